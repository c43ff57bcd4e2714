import type { AddressInfo } from 'node:net';
import { createTraceSink } from './trace-sink';

describe('the benchmark trace sink', () => {
  it('takes trace exports, drops them and counts them', async () => {
    const server = createTraceSink();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const exported = await fetch(`${url}/v1/traces`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ resourceSpans: [] }) });
      expect(exported.status).toBe(200);
      expect(await exported.json()).toEqual({});
      await fetch(`${url}/v1/traces`, { method: 'POST', body: 'x'.repeat(200_000) });
      expect(await (await fetch(`${url}/received`)).json()).toEqual({ received: 2 });
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
