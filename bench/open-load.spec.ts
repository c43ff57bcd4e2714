import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { load } from './gateways.bench';
import { openLoad, type OpenAnswer } from './open-load';

/** A server on loopback answering each POST after `delayMs`, one at a time per connection; it notes when each arrived. */
async function server(delayMs: number): Promise<{ url: string; arrivals: number[]; bodies: string[]; close(): Promise<void> }> {
  const arrivals: number[] = [];
  const bodies: string[] = [];
  const timers = new Set<NodeJS.Timeout>();
  const http: Server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => (body += chunk));
    request.on('end', () => {
      arrivals.push(performance.now());
      bodies.push(body);
      const timer = setTimeout(() => {
        timers.delete(timer);
        response.end(JSON.stringify({ data: { echo: body } }));
      }, delayMs);
      timers.add(timer);
    });
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const { port } = http.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/graphql`,
    arrivals,
    bodies,
    close: () => {
      for (const timer of timers) clearTimeout(timer);
      http.closeAllConnections();
      return new Promise((resolve) => http.close(() => resolve()));
    },
  };
}

describe('openLoad: requests at a fixed arrival rate', () => {
  it('sends rate x duration requests, each the next one, spread over the duration and not in bursts', async () => {
    const target = await server(0);
    const answers: OpenAnswer[] = [];
    try {
      const result = await openLoad({ url: target.url, rate: 40, duration: 1, connections: 10, request: (n) => ({ headers: { 'content-type': 'application/json' }, body: `{"n":${n}}` }) }, (answer) => answers.push(answer));
      expect(result).toEqual({ sent: 40, errors: 0, timeouts: 0 });
      expect(answers.map((answer) => answer.n).sort((a, b) => a - b)).toEqual(Array.from({ length: 40 }, (_, n) => n));
      expect(answers.every((answer) => answer.status === 200 && answer.body === JSON.stringify({ data: { echo: `{"n":${answer.n}}` } }))).toBe(true);
      // Evenly spaced arrivals are 25 ms apart; a burst (autocannon's rate) puts most of a second's together.
      // Only a bound from below that a late timer cannot break: the last arrives most of a second after the first.
      const arrivals = [...target.arrivals].sort((a, b) => a - b);
      expect(arrivals[arrivals.length - 1] - arrivals[0]).toBeGreaterThan(800);
      const gaps = arrivals.slice(1).map((at, index) => at - arrivals[index]).sort((a, b) => a - b);
      expect(gaps[Math.floor(gaps.length / 2)]).toBeGreaterThan(5);
    } finally {
      await target.close();
    }
  });

  it('does not wait for answers: a slow server gets every arrival, and the wait for a connection counts', async () => {
    // One connection, answers 100 ms each, ten arrivals in half a second: a closed loop would send five.
    const target = await server(100);
    const answers: OpenAnswer[] = [];
    try {
      const result = await openLoad({ url: target.url, rate: 20, duration: 0.5, connections: 1, request: (n) => ({ headers: {}, body: String(n) }) }, (answer) => answers.push(answer));
      expect(result.sent).toBe(10);
      expect(answers).toHaveLength(10);
      // The last arrival waited for the nine before it, 100 ms each, less the 450 ms it arrived after the first.
      expect(Math.max(...answers.map((answer) => answer.latencyMs))).toBeGreaterThan(9 * 100 - 450);
    } finally {
      await target.close();
    }
  });

  it('counts requests that get no answer', async () => {
    const target = await server(0);
    await target.close();
    const result = await openLoad({ url: target.url, rate: 10, duration: 0.3, connections: 2, request: () => ({ headers: {}, body: '{}' }) }, () => undefined);
    expect(result).toEqual({ sent: 3, errors: 3, timeouts: 0 });
  });

  it('gives up on a request unanswered in time, counting it as timed out', async () => {
    const target = await server(2_000);
    try {
      const result = await openLoad({ url: target.url, rate: 10, duration: 0.1, connections: 1, timeoutMs: 200, request: () => ({ headers: {}, body: '{}' }) }, () => undefined);
      expect(result).toEqual({ sent: 1, errors: 0, timeouts: 1 });
    } finally {
      await target.close();
    }
  });

  it('refuses a rate or a duration of 0', async () => {
    await expect(openLoad({ url: 'http://127.0.0.1:1/', rate: 0, duration: 1, connections: 1, request: () => ({ headers: {}, body: '' }) }, () => undefined)).rejects.toThrow('rate and a duration');
  });

  it("as the benchmark's load at a rate: each answer checked against its own request, and told with its latency", async () => {
    const target = await server(0);
    const checked: [number, boolean][] = [];
    const latencies: number[] = [];
    try {
      // Odd requests expect what no answer holds: they must be counted wrong, the even ones right.
      const plan = (n: number) => ({ body: `{"n":${n}}`, expected: n % 2 === 0 ? null : 'not in any answer' });
      const run = load({ url: target.url, headers: { 'x-dmx-purpose': 'OVERSIGHT' }, tokens: ['t0', 't1'], plan, connections: 4, duration: 0.5, overallRate: 20 }, (right, planned) =>
        checked.push([JSON.parse(planned.body).n as number, right]),
      );
      run.on('response', (_client, status, _bytes, latencyMs) => {
        expect(status).toBe(200);
        latencies.push(latencyMs);
      });
      expect(await run).toEqual({ sent: 10, errors: 0, timeouts: 0 });
      expect(checked.sort(([a], [b]) => a - b)).toEqual(Array.from({ length: 10 }, (_, n) => [n, n % 2 === 0]));
      expect(latencies).toHaveLength(10);
      expect(target.bodies.sort()).toEqual(Array.from({ length: 10 }, (_, n) => `{"n":${n}}`).sort());
    } finally {
      await target.close();
    }
  });
});
