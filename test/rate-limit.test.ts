import { mintToken } from '../gateway/features/authentication/tokens';
import { rateLimiter } from '../gateway/features/rate-limit/rate-limit';
import { startGatewayOnly, type GraphQLAnswer } from './harness';

/** A rate limit per agency (issue 5, item 6): 429 with Retry-After; one agency's burst costs no other. */
describe('rate limits per agency', () => {
  let http: Awaited<ReturnType<typeof startGatewayOnly>>;
  let token: (agency: string) => Promise<string>;
  beforeAll(async () => {
    http = await startGatewayOnly({ limiter: rateLimiter({ perAgencyPerMinute: 3, anonymousPerMinute: 2 }) });
    token = (agency) => mintToken(http.key, { agency, subject: 'load-test' });
  });
  afterAll(() => http.stop());

  // Answered by the gateway itself: no subgraph is needed to count requests.
  const ask = (headers: Record<string, string> = {}) =>
    fetch(http.url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ query: '{ __typename }' }) });

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
