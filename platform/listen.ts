import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Starts `server` listening and gives its URL (port 0: the one it was given; 0.0.0.0 reached as 127.0.0.1). */
export async function listen(server: Server, port: number, host: string): Promise<string> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, resolve);
  });
  const { port: bound } = server.address() as AddressInfo;
  const shown = host.includes(':') ? `[${host}]` : host;
  return `http://${shown === '0.0.0.0' ? '127.0.0.1' : shown}:${bound}/`;
}
