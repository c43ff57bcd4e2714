import type { IncomingMessage } from 'node:http';
import { fromThisMachine } from './loopback';

const request = (remoteAddress: string | undefined, host: string | undefined) => ({ socket: { remoteAddress }, headers: host === undefined ? {} : { host } }) as unknown as IncomingMessage;

describe('a request from this machine that names it (fromThisMachine)', () => {
  it.each([
    ['127.0.0.1', '127.0.0.1:4000'],
    ['127.0.0.1', 'localhost:4000'],
    ['::1', '[::1]:4000'],
    ['::ffff:127.0.0.1', 'LOCALHOST'],
    ['127.0.0.1', 'ide.localhost:4000'],
  ])('from %s as %s: yes', (peer, host) => {
    expect(fromThisMachine(request(peer, host))).toBe(true);
  });

  it.each([
    // DNS rebinding: the browser connects to 127.0.0.1 under the attacking page's own name.
    ['127.0.0.1', 'evil.example:4000'],
    ['127.0.0.1', 'localhost.evil.example'],
    ['127.0.0.1', undefined],
    // Another machine, whatever name it gives.
    ['192.168.1.20', 'localhost:4000'],
    ['10.0.0.5', '127.0.0.1:4000'],
    [undefined, 'localhost'],
  ])('from %s as %s: no', (peer, host) => {
    expect(fromThisMachine(request(peer, host))).toBe(false);
  });
});
