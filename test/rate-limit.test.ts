import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createGateway } from '../gateway/app';
import { DEVELOPMENT_ISSUER, developmentKeySet, mintToken, newDevelopmentKey, tokenVerifier } from '../gateway/auth/tokens';
import { gatewayContext } from '../gateway/context';
import { startGatewayHttp, type RunningGatewayHttp } from '../gateway/http';
import { rateLimiter } from '../gateway/rate-limit';

/** A rate limit per agency (issue 5, item 6): 429 with Retry-After; one agency's burst costs no other. */
describe('rate limits per agency', () => {
  let http: RunningGatewayHttp;
  let token: (agency: string) => Promise<string>;
  beforeAll(async () => {
    const key = await newDevelopmentKey();
    token = (agency) => mintToken(key, { agency, subject: 'load-test' });
    const server = createGateway({
      supergraphSdl: readFileSync(path.resolve(__dirname, '../schema/supergraph.graphql'), 'utf8'),
      development: false,
      signingKey: 'x'.repeat(32),
    });
    const context = gatewayContext(tokenVerifier(developmentKeySet(key), [DEVELOPMENT_ISSUER]), rateLimiter({ perAgencyPerMinute: 3, anonymousPerMinute: 2 }));
    http = await startGatewayHttp(server, { port: 0, host: '127.0.0.1', context });
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
    const body = await refused.json();
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
