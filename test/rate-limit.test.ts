import { mintToken } from '../gateway/features/authentication/tokens';
import { rateLimiter } from '../gateway/features/rate-limit/rate-limit';
import { startGatewayOnly, type GraphQLAnswer } from './harness';

type RunningGateway = Awaited<ReturnType<typeof startGatewayOnly>>;

/** A gateway alone (no registry behind it) with these budgets, started and stopped around the describe block that calls it. */
function gatewayWithBudgets(budgets: Parameters<typeof rateLimiter>[0]): () => RunningGateway {
  let http: RunningGateway;
  beforeAll(async () => {
    http = await startGatewayOnly({ limiter: rateLimiter(budgets) });
  });
  afterAll(() => http.stop());
  return () => http;
}

/** `{ __typename }`, which the gateway answers itself: no registry is needed to count requests. */
const askTypename = (http: RunningGateway, headers: Record<string, string> = {}) =>
  fetch(http.url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ query: '{ __typename }' }) });

/** A token of the gateway's own issuer with its signature spoiled. */
const forgedBearer = async (http: RunningGateway) => `Bearer ${(await mintToken(http.key, { agency: 'police', subject: 'x' })).slice(0, -4)}AAAA`;

/** A rate limit per agency (issue 5, item 6): 429 with Retry-After; one agency's burst costs no other. */
describe('rate limits per agency', () => {
  const gateway = gatewayWithBudgets({ perAgencyPerMinute: 3, anonymousPerMinute: 2 });
  const token = (agency: string) => mintToken(gateway().key, { agency, subject: 'load-test' });
  const ask = (headers: Record<string, string> = {}) => askTypename(gateway(), headers);

  it('serves an agency up to its budget, then answers 429 with Retry-After', async () => {
    const police = { authorization: `Bearer ${await token('police')}` };
    for (let i = 0; i < 3; i += 1) expect((await ask(police)).status).toBe(200);
    const refused = await ask(police);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    const body = (await refused.json()) as GraphQLAnswer;
    expect(body.errors[0].extensions.code).toBe('RATE_LIMITED');
    expect(body.errors[0].message).toMatch(/police/);
  });

  it('counts every user of an agency together, and no other agency against it', async () => {
    const bank = { authorization: `Bearer ${await token('bank')}` };
    for (let i = 0; i < 3; i += 1) expect((await ask(bank)).status).toBe(200);
    expect((await ask({ authorization: `Bearer ${await token('bank')}` })).status).toBe(429);
    expect((await ask({ authorization: `Bearer ${await token('border-service')}` })).status).toBe(200);
  });

  it('gives callers without a token a small budget of their own', async () => {
    expect((await ask()).status).toBe(200);
    expect((await ask()).status).toBe(200);
    expect((await ask()).status).toBe(429);
  });
});

/** A forged token costs a signature check and has no agency: it is counted against its address, or forging is free. */
describe('refused tokens', () => {
  const gateway = gatewayWithBudgets({ perAgencyPerMinute: 100, anonymousPerMinute: 2 });

  it("count against the address's budget: 401 while it lasts, then 429", async () => {
    const forged = await forgedBearer(gateway());
    const ask = () => askTypename(gateway(), { authorization: forged });
    expect((await ask()).status).toBe(401);
    expect((await ask()).status).toBe(401);
    const refused = await ask();
    expect(refused.status).toBe(429);
    expect(((await refused.json()) as GraphQLAnswer).errors[0].extensions.code).toBe('RATE_LIMITED');
  });
});

/**
 * The pages beside GraphQL (the contract, the dashboard, the IDE) pass the same hooks as a GraphQL
 * request: a burst of them, or forged tokens sent to them, cost what they cost on GraphQL.
 */
describe('pages beside GraphQL', () => {
  const gateway = gatewayWithBudgets({ perAgencyPerMinute: 3, anonymousPerMinute: 2 });

  const contract = (headers: Record<string, string> = {}) => fetch(new URL('/schema.graphql', gateway().url), { headers });

  it("count forged tokens against the address's budget: 401 while it lasts, then 429", async () => {
    const forged = { authorization: await forgedBearer(gateway()) };
    const first = await contract(forged);
    expect(first.status).toBe(401);
    expect(first.headers.get('www-authenticate')).toMatch(/error="invalid_token"/);
    expect(first.headers.get('x-request-id')).toMatch(/\S/);
    expect((await contract(forged)).status).toBe(401);
    const refused = await contract(forged);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(((await refused.json()) as GraphQLAnswer).errors[0].extensions.code).toBe('RATE_LIMITED');
    // Without a token the address's budget is spent too: the dashboard's files are counted as well.
    expect((await fetch(new URL('/dashboard/app.js', gateway().url))).status).toBe(429);
  });

  it("count against the agency's budget, as its GraphQL requests do", async () => {
    const bank = { authorization: `Bearer ${await mintToken(gateway().key, { agency: 'bank', subject: 'dev-1' })}` };
    for (let i = 0; i < 3; i += 1) expect((await contract(bank)).status).toBe(200);
    expect((await contract(bank)).status).toBe(429);
    expect((await askTypename(gateway(), bank)).status).toBe(429);
  });

  it('keep the caller\'s request id, and refuse a malformed purpose as GraphQL does', async () => {
    // Another agency, with a budget of its own.
    const border = { authorization: `Bearer ${await mintToken(gateway().key, { agency: 'border-service', subject: 'dev-3' })}` };
    const answer = await contract({ ...border, 'x-request-id': 'page-trace-0001' });
    expect(answer.status).toBe(200);
    expect(answer.headers.get('x-request-id')).toBe('page-trace-0001');
    const refused = await contract({ ...border, 'x-dmx-purpose': 'not a purpose' });
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as GraphQLAnswer).errors[0].extensions.code).toBe('BAD_REQUEST');
  });
});

describe('pages beside GraphQL, asked with HEAD or a preflight', () => {
  const gateway = gatewayWithBudgets({ perAgencyPerMinute: 100, anonymousPerMinute: 2 });

  it('count a HEAD as a request, refused without a body; a preflight not at all', async () => {
    const contract = new URL('/schema.graphql', gateway().url);
    for (let i = 0; i < 3; i += 1) {
      const preflight = await fetch(contract, { method: 'OPTIONS', headers: { origin: 'https://example.org', 'access-control-request-method': 'GET' } });
      expect(preflight.status).toBe(204);
    }
    const head = await fetch(contract, { method: 'HEAD' });
    expect(head.status).toBe(401);
    expect(head.headers.get('www-authenticate')).toBe('Bearer realm="dmx"');
    expect(await head.text()).toBe('');
    expect((await fetch(contract)).status).toBe(401);
    expect((await fetch(contract, { method: 'HEAD' })).status).toBe(429);
  });
});

describe('pages beside GraphQL, asked with credentials of another scheme', () => {
  const gateway = gatewayWithBudgets({ perAgencyPerMinute: 100, anonymousPerMinute: 100 });

  it("take them as no credentials (a proxy's Basic), where GraphQL refuses them", async () => {
    const basic = { authorization: `Basic ${Buffer.from('staff:secret').toString('base64')}` };
    const contract = await fetch(new URL('/schema.graphql', gateway().url), { headers: basic });
    expect(contract.status).toBe(401);
    // The bare challenge of a request without credentials, not a refusal of the header.
    expect(contract.headers.get('www-authenticate')).toBe('Bearer realm="dmx"');
    // Served, or 503 where `npm run build` has not made the dashboard's files: not refused.
    expect([200, 503]).toContain((await fetch(new URL('/dashboard/app.js', gateway().url), { headers: basic })).status);
    const graphql = await askTypename(gateway(), basic);
    expect(graphql.status).toBe(401);
  });
});

/** Tracking needs no token (PAY-01): a lookup by number is a guess, and aliases must not multiply them. */
describe('lookups by tracking number', () => {
  const gateway = gatewayWithBudgets({ perAgencyPerMinute: 100, anonymousPerMinute: 100, anonymousLookupsPerMinute: 4 });

  const track = (numbers: string[]) =>
    fetch(gateway().url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: `{ ${numbers.map((number, i) => `n${i}: applicationByNumber(number: "${number}") { status }`).join(' ')} }` }),
    });

  it("counts each number an operation asks against the address's budget of lookups", async () => {
    // Four numbers: the address's four; no registry runs behind this gateway, so the answer is the registry's absence.
    const four = await track(['WP-2026-00000001', 'WP-2026-00000002', 'WP-2026-00000003', 'WP-2026-00000004']);
    expect(four.status).toBe(200);
    expect(((await four.json()) as GraphQLAnswer).errors?.[0].extensions.code).not.toBe('RATE_LIMITED');
    const fifth = await track(['WP-2026-00000005']);
    expect(fifth.status).toBe(429);
    expect(Number(fifth.headers.get('retry-after'))).toBeGreaterThan(0);
    const body = (await fifth.json()) as GraphQLAnswer;
    expect(body.errors[0].extensions.code).toBe('RATE_LIMITED');
    expect(body.errors[0].message).toMatch(/^Too many lookups by number/);
    // Other reads of the address go on: its budget of requests is its own.
    expect((await askTypename(gateway())).status).toBe(200);
  });
});
