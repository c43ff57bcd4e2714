import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Admission } from '../gateway/features/admission/admission';
import { mintToken } from '../gateway/features/authentication/tokens';
import { PURPOSE_HEADER } from '../protocol/headers';
import { mintRegistryToken, REGISTRY_PURPOSE } from '../protocol/registry-token';
import { eventually, startGatewayOnly } from './harness';

/**
 * Admission (issue 6, and a protection): a bounded number of requests at work, the others waiting in
 * order of arrival, the rest refused with 503 SERVER_BUSY; a registry's own call never waits behind
 * the request that made it; a caller that leaves the queue frees its place.
 */
describe('admission of requests to the gateway', () => {
  /** A stand-in for the applications registry that answers only when the test lets it. */
  let registry: Server;
  const held: { rule: string; answer: () => void }[] = [];
  let gateway: Awaited<ReturnType<typeof startGatewayOnly>>;
  const admission = new Admission({ concurrency: 1, queueLimit: 1 });
  let officer: string;

  beforeAll(async () => {
    registry = createServer((req, res: ServerResponse) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        const { variables } = JSON.parse(body) as { variables: Record<string, string> };
        const rule = Object.values(variables)[0];
        held.push({ rule, answer: () => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ data: { rule: { id: rule } } })) });
      });
    });
    await new Promise<void>((resolve) => registry.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(registry.address() as AddressInfo).port}/graphql`;
    gateway = await startGatewayOnly({ admission, subgraphUrls: { applications: url } });
    officer = await mintToken(gateway.key, { agency: 'police', subject: 'admission-test' });
  });
  afterAll(async () => {
    await gateway.stop();
    registry.closeAllConnections();
    await new Promise((resolve) => registry.close(resolve));
  });

  /** Asks for one rule of the catalog (the applications registry's, public); the answer's status and body. */
  const ask = async (rule: string, options: { token?: string; purpose?: string; signal?: AbortSignal } = {}) => {
    const response = await fetch(gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${options.token ?? officer}`, ...(options.purpose ? { [PURPOSE_HEADER]: options.purpose } : {}) },
      body: JSON.stringify({ query: 'query Rule($id: String!) { rule(id: $id) { id } }', variables: { id: rule } }),
      signal: options.signal,
    });
    return { status: response.status, retryAfter: response.headers.get('retry-after'), body: (await response.json()) as { data?: { rule: { id: string } }; errors?: { message: string; extensions: { code: string } }[] } };
  };
  const heldFor = (rule: string) => eventually(async () => held.find((fetch) => fetch.rule === rule), `the registry to be asked for ${rule}`);
  const answer = (rule: string) => {
    const index = held.findIndex((fetch) => fetch.rule === rule);
    held.splice(index, 1)[0].answer();
  };

  it('works on one request at a time here, starts the next in order when it is answered, and refuses beyond the queue', async () => {
    const first = ask('REG-01');
    await heldFor('REG-01');
    const second = ask('REG-02');
    await eventually(async () => admission.stats.waiting === 1, 'the second request to wait');
    const third = await ask('REG-03');
    expect(third.status).toBe(503);
    expect(third.retryAfter).toBe('1');
    expect(third.body.errors?.[0].extensions.code).toBe('SERVER_BUSY');
    expect(third.body.errors?.[0].message).toMatch(/at capacity \(1 requests at work, 1 waiting\)/);
    // The second waits its turn: the registry is not asked for it while the first is at work.
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(held.map((fetch) => fetch.rule)).toEqual(['REG-01']);
    answer('REG-01');
    expect((await first).body.data).toEqual({ rule: { id: 'REG-01' } });
    await heldFor('REG-02');
    answer('REG-02');
    expect((await second).body.data).toEqual({ rule: { id: 'REG-02' } });
    expect(admission.stats).toMatchObject({ running: 0, waiting: 0, refused: 1 });
  });

  it('lets the pages beside GraphQL by: they are served while operations wait', async () => {
    const first = ask('REG-09');
    await heldFor('REG-09');
    const second = ask('REG-10');
    await eventually(async () => admission.stats.waiting === 1, 'the second request to wait');
    const contract = await fetch(new URL('/schema.graphql', gateway.url), { headers: { authorization: `Bearer ${officer}` } });
    expect(contract.status).toBe(200);
    expect(await contract.text()).toMatch(/^type Query/m);
    expect(admission.stats).toMatchObject({ running: 1, waiting: 1 });
    answer('REG-09');
    await first;
    await heldFor('REG-10');
    answer('REG-10');
    expect((await second).status).toBe(200);
  });

  it("does not make a registry's own call wait behind the requests at work", async () => {
    const first = ask('REG-04');
    await heldFor('REG-04');
    const registryToken = await mintRegistryToken(gateway.registryKey, 'applications');
    const internal = ask('REG-05', { token: registryToken, purpose: REGISTRY_PURPOSE });
    await heldFor('REG-05');
    answer('REG-05');
    expect((await internal).body.data).toEqual({ rule: { id: 'REG-05' } });
    answer('REG-04');
    expect((await first).status).toBe(200);
    expect(admission.stats).toMatchObject({ running: 0, waiting: 0 });
  });

  it('lets a caller that leaves the queue free its place, and gives its turn to the next', async () => {
    const first = ask('REG-06');
    await heldFor('REG-06');
    const leaving = new AbortController();
    const left = ask('REG-07', { signal: leaving.signal });
    await eventually(async () => admission.stats.waiting === 1, 'the request to wait');
    leaving.abort();
    await expect(left).rejects.toThrow();
    await eventually(async () => admission.stats.waiting === 0, 'the request to leave the queue');
    expect(admission.stats.left).toBe(1);
    // Its place is free: another request may wait, and is the next at work.
    const next = ask('REG-08');
    await eventually(async () => admission.stats.waiting === 1, 'the next request to wait');
    answer('REG-06');
    await first;
    await heldFor('REG-08');
    expect(held.map((fetch) => fetch.rule)).toEqual(['REG-08']);
    answer('REG-08');
    expect((await next).status).toBe(200);
    expect(admission.stats).toMatchObject({ running: 0, waiting: 0, left: 1 });
  });
});
