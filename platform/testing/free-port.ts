import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';

/**
 * A port on 127.0.0.1 that is free now, for a server another process will start (tests and the
 * benchmark). Taken below the range the system hands out by itself for the local end of outgoing
 * connections (Linux: ip_local_port_range, 32768-60999 by default): a port from listen(0) lies in
 * that range, so between the probe and the server's own listen any outgoing connection on the
 * machine could take it. It happened: a benchmark run stopped with EADDRINUSE.
 */
export async function freePort(): Promise<number> {
  const low = ephemeralLow();
  if (low !== null && low > LOWEST + 1000) {
    for (let attempt = 0; attempt < 50; attempt += 1) {
      const candidate = LOWEST + Math.floor(Math.random() * (low - LOWEST));
      if (handedOut.has(candidate)) continue;
      const port = await probe(candidate).catch(() => null);
      if (port !== null) return handOut(port);
    }
  }
  return handOut(await probe(0));
}

/**
 * The ports given lately, never given again: the servers they are for may not listen yet, so the
 * port is still free when asked again (a demo started with twelve ports drawn among 12,768 got one
 * twice and stopped with EADDRINUSE).
 */
const handedOut = new Set<number>();

function handOut(port: number): number {
  if (handedOut.size >= 1000) handedOut.delete(handedOut.values().next().value!);
  handedOut.add(port);
  return port;
}

/** The lowest port picked: clear of the well-known and registered services most machines run. */
const LOWEST = 20_000;

/** The first port of the system's automatic range; null where it cannot be read (not Linux). */
function ephemeralLow(): number | null {
  try {
    const low = Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]);
    return Number.isInteger(low) ? low : null;
  } catch {
    return null;
  }
}

/** Listens on the port (0: any) and lets it go again; rejects when it is taken. */
function probe(port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      const { port: bound } = server.address() as { port: number };
      server.close(() => resolve(bound));
    });
  });
}
