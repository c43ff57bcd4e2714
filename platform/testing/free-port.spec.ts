import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { freePort } from './free-port';

describe('freePort', () => {
  it('gives a port that can be listened on, below the range the system hands out by itself', async () => {
    const port = await freePort();
    await new Promise<void>((resolve, reject) => {
      const server = createServer().once('error', reject);
      server.listen(port, '127.0.0.1', () => server.close(() => resolve()));
    });
    let low: number | null = null;
    try {
      low = Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]);
    } catch {
      // not Linux: any free port will do
    }
    if (low !== null && low > 21_000) {
      expect(port).toBeGreaterThanOrEqual(20_000);
      expect(port).toBeLessThan(low);
    }
  });

  it('never gives a port twice, though it is still free', async () => {
    const draws = [0.5, 0.5, 0.25];
    const random = jest.spyOn(Math, 'random').mockImplementation(() => draws.shift() ?? 0.75);
    try {
      const first = await freePort();
      const second = await freePort();
      expect(second).not.toBe(first);
    } finally {
      random.mockRestore();
    }
  });
});
