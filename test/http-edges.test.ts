import { createServer, type Server } from 'node:http';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { getIntrospectionQuery } from 'graphql';
import type { AddressInfo } from 'node:net';
import { SignJWT } from 'jose';
import { AUDIENCE, DEVELOPMENT_ISSUER, type DevelopmentKey } from '../gateway/features/authentication/tokens';
import { operationHash } from '../gateway/features/persisted-operations/persisted-operations';
import { rawRequest } from '../platform/testing/raw-http';
import { ANONYMOUS, startGatewayOnly, startGraph, type RunningGraph } from './harness';

/**
 * The gateway's HTTP edges (issues 18 and 19): liveness and readiness beside the GraphQL endpoint,
 * CORS by an allow-list, the Authorization scheme in any case, token lifetime, a persisted-query hash
 * that is not its text's, and errors without the gateway's plumbing in them.
 */
const DASHBOARD = 'https://dashboard.migration.gov.az';

/** Listens on 127.0.0.1 (on `port` when given); answers each request with `answer`. */
async function listen(answer: (path: string, body: string) => { status: number; body: unknown }, port = 0): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const { status, body } = answer(new URL(req.url ?? '/', 'http://x').pathname, Buffer.concat(chunks).toString('utf8'));
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

const close = (server: Server) =>
  new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });

describe('the gateway over HTTP', () => {
  let graph: RunningGraph;
  /** What answers at a stopped registry's address once it is "back"; closed after the graph. */
  const standIns: Server[] = [];
  beforeAll(async () => {
    graph = await startGraph({ persons: 5, corsOrigins: [DASHBOARD] });
  }, 180_000);
  afterAll(async () => {
    await graph.stop();
    await Promise.all(standIns.map(close));
  });

  const url = (path: string) => new URL(path, graph.gatewayUrl).toString();
  const ready = async () => {
    const response = await fetch(url('/ready'));
    return { status: response.status, body: (await response.json()) as { status: string; checks: Record<string, string> } };
  };

  describe('CORS', () => {
    it('answers a preflight from an allowed origin with what a client may send', async () => {
      const response = await fetch(graph.gatewayUrl, {
        method: 'OPTIONS',
        headers: { origin: DASHBOARD, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type, authorization, x-dmx-purpose' },
      });
      expect(response.status).toBe(204);
      expect(response.headers.get('access-control-allow-origin')).toBe(DASHBOARD);
      expect(response.headers.get('access-control-allow-methods')).toMatch(/POST/);
      expect(response.headers.get('access-control-allow-headers')).toMatch(/authorization/);
      expect(response.headers.get('access-control-allow-headers')).toMatch(/x-dmx-purpose/);
      expect(response.headers.get('access-control-allow-credentials')).toBeNull();
    });

    it('lets an allowed origin read an answer, and tells no other origin anything', async () => {
      const ask = (origin: string) =>
        fetch(graph.gatewayUrl, { method: 'POST', headers: { origin, 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ rules(idPrefix: "REG") { id } }' }) });
      const allowed = await ask(DASHBOARD);
      expect(allowed.status).toBe(200);
      expect(allowed.headers.get('access-control-allow-origin')).toBe(DASHBOARD);
      expect(allowed.headers.get('access-control-expose-headers')).toMatch(/x-request-id/);
      expect(allowed.headers.get('vary')).toMatch(/origin/i);
      const other = await ask('https://elsewhere.example');
      expect(other.headers.get('access-control-allow-origin')).toBeNull();
      const preflight = await fetch(graph.gatewayUrl, { method: 'OPTIONS', headers: { origin: 'https://elsewhere.example', 'access-control-request-method': 'POST' } });
      expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
    });
  });

  describe('the Authorization header', () => {
    it.each(['bearer', 'BEARER', 'Bearer', 'bEaReR'])('accepts the scheme written "%s"', async (scheme) => {
      const response = await graph.query('{ persons(first: 1) { totalCount } }', undefined, {
        authorization: `${scheme} ${await graph.token('administrator')}`,
        'x-dmx-purpose': 'ADMINISTRATION',
      });
      expect(response.status).toBe(200);
      expect(response.body.data.persons.totalCount).toBe(5);
    });
  });

  describe('token lifetime', () => {
    let key: DevelopmentKey;
    let gateway: Awaited<ReturnType<typeof startGatewayOnly>>;
    beforeAll(async () => {
      gateway = await startGatewayOnly();
      key = gateway.key;
    });
    afterAll(() => gateway.stop());

    const now = () => Math.floor(Date.now() / 1000);
    const sign = (build: (jwt: SignJWT) => SignJWT) =>
      build(new SignJWT({ agency: 'police', scope: 'persons:read' }).setProtectedHeader({ alg: 'ES256', kid: key.kid }).setIssuer(DEVELOPMENT_ISSUER).setAudience(AUDIENCE).setSubject('p-1')).sign(key.privateKey);

    it.each([
      ['a token without an expiry', (jwt: SignJWT) => jwt.setIssuedAt(), /no expiry \(exp\)/],
      ['a token made to last a century', (jwt: SignJWT) => jwt.setIssuedAt().setExpirationTime('36500d'), /longer than AUTH_MAX_TOKEN_AGE \(12 h\)/],
      ['a token issued 13 hours ago', (jwt: SignJWT) => jwt.setIssuedAt(now() - 13 * 3600).setExpirationTime(now() + 600), /older than AUTH_MAX_TOKEN_AGE \(12 h\)/],
      ['a token issued a year from now', (jwt: SignJWT) => jwt.setIssuedAt(now() + 365 * 86400).setExpirationTime(now() + 365 * 86400 + 3600), /issued in the future/],
    ])('refuses %s with 401 and says why', async (_name, build, reason) => {
      const response = await fetch(gateway.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${await sign(build)}` },
        body: JSON.stringify({ query: '{ rules(idPrefix: "REG") { id } }' }),
      });
      expect(response.status).toBe(401);
      const body = (await response.json()) as { errors: { message: string; extensions: { code: string } }[] };
      expect(body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
      expect(body.errors[0].message).toMatch(reason);
    });

    it('serves a token of an hour', async () => {
      const response = await fetch(gateway.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${await sign((jwt) => jwt.setIssuedAt().setExpirationTime('1h'))}` },
        body: JSON.stringify({ query: '{ __typename }' }),
      });
      expect(response.status).toBe(200);
    });
  });

  describe('persisted queries', () => {
    it('refuses a text sent with a hash that is not its own with 400 PERSISTED_QUERY_HASH_MISMATCH', async () => {
      const query = '{ rules(idPrefix: "REG") { id } }';
      for (const sha256Hash of [operationHash('{ rules { id } }'), '0'.repeat(64)]) {
        const response = await fetch(graph.gatewayUrl, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...ANONYMOUS },
          body: JSON.stringify({ query, extensions: { persistedQuery: { version: 1, sha256Hash } } }),
        });
        expect(response.status).toBe(400);
        const body = (await response.json()) as { errors: { extensions: { code: string } }[] };
        expect(body.errors.map((error) => error.extensions.code)).toEqual(['PERSISTED_QUERY_HASH_MISMATCH']);
      }
    });
  });

  // Last: these stop registries (a stand-in answers their health checks afterwards, nothing else).
  describe('health and readiness', () => {
    it('/health says the gateway is alive, as JSON, not the IDE or a GraphQL error', async () => {
      const response = await fetch(url('/health'), { headers: { accept: 'text/html' } });
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/application\/json/);
      expect(await response.json()).toEqual({ status: 'alive' });
    });

    it('/ready is true when the supergraph is loaded and every registry and the audit log answer', async () => {
      expect(await ready()).toEqual({
        status: 200,
        body: { status: 'ready', checks: { supergraph: 'up', persons: 'up', applications: 'up', payments: 'up', permits: 'up', audit: 'up' } },
      });
    });

    it('/ready turns false, naming the registry, when one stops, and true again when it answers again', async () => {
      const permits = graph.subgraphs.permits!;
      const port = Number(new URL(permits.url).port);
      await permits.app.close();
      const down = await ready();
      expect(down.status).toBe(503);
      expect(down.body.status).toBe('not ready');
      expect(down.body.checks.permits).toMatch(/^down/);
      expect(down.body.checks.persons).toBe('up');
      // The instance itself can still serve what the other registries hold: its own readiness stays true.
      const instance = await fetch(url('/ready/instance'));
      expect({ status: instance.status, body: await instance.json() }).toEqual({ status: 200, body: { status: 'ready', checks: { supergraph: 'up' } } });
      // The registry's address answers its health check again (a registry restarted there).
      const back = await listen((path) => (path === '/health' ? { status: 200, body: { status: 'ok', subgraph: 'permits' } } : { status: 404, body: {} }), port);
      standIns.push(back.server);
      expect(await ready()).toMatchObject({ status: 200, body: { status: 'ready' } });
    });

    it('/ready is false while the audit log does not answer', async () => {
      const audit = graph.subgraphs.audit!;
      const port = Number(new URL(audit.url).port);
      await audit.app.close();
      const down = await ready();
      expect(down.status).toBe(503);
      expect(down.body.checks.audit).toMatch(/^down/);
      const back = await listen((path) => (path === '/health' ? { status: 200, body: { status: 'ok', subgraph: 'audit' } } : { status: 404, body: {} }), port);
      standIns.push(back.server);
      expect(await ready()).toMatchObject({ status: 200, body: { status: 'ready' } });
    });
  });
});

describe('compressed answers', () => {
  const INTROSPECTION = JSON.stringify({ query: getIntrospectionQuery() });
  const post = (url: string, body: string, headers: Record<string, string>) => rawRequest(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });

  it('sends an answer of 8 KiB or more in the coding the client takes, the same answer decoded; a smaller one as it is', async () => {
    const gateway = await startGatewayOnly({ development: true });
    try {
      const plain = await post(gateway.url, INTROSPECTION, {});
      expect(plain.status).toBe(200);
      expect(plain.headers['content-encoding']).toBeUndefined();
      expect(plain.headers.vary).toContain('Accept-Encoding');
      expect(plain.body.length).toBeGreaterThan(100_000);

      const br = await post(gateway.url, INTROSPECTION, { 'accept-encoding': 'gzip, deflate, br' });
      expect(br.headers['content-encoding']).toBe('br');
      expect(Number(br.headers['content-length'])).toBe(br.body.length);
      expect(br.body.length).toBeLessThan(plain.body.length / 5);
      expect(JSON.parse(brotliDecompressSync(br.body).toString('utf8'))).toEqual(JSON.parse(plain.body.toString('utf8')));

      const gzip = await post(gateway.url, INTROSPECTION, { 'accept-encoding': 'gzip' });
      expect(gzip.headers['content-encoding']).toBe('gzip');
      expect(gunzipSync(gzip.body).equals(plain.body)).toBe(true);

      const small = await post(gateway.url, JSON.stringify({ query: '{ __typename }' }), { 'accept-encoding': 'br' });
      expect(small.headers['content-encoding']).toBeUndefined();
      expect(JSON.parse(small.body.toString('utf8'))).toEqual({ data: { __typename: 'Query' } });
      // The size of a person's picture (a few KB): not worth the encoder's set-up.
      const middling = await post(gateway.url, JSON.stringify({ query: '{ __schema { types { name } } }' }), { 'accept-encoding': 'br, gzip' });
      expect(middling.body.length).toBeGreaterThan(1024);
      expect(middling.body.length).toBeLessThan(8 * 1024);
      expect(middling.headers['content-encoding']).toBeUndefined();
    } finally {
      await gateway.stop();
    }
  });

  it('sends nothing compressed with RESPONSE_COMPRESSION=off (a proxy in front compresses)', async () => {
    const gateway = await startGatewayOnly({ development: true, compression: false });
    try {
      const answer = await post(gateway.url, INTROSPECTION, { 'accept-encoding': 'br, gzip' });
      expect(answer.status).toBe(200);
      expect(answer.headers['content-encoding']).toBeUndefined();
      expect(JSON.parse(answer.body.toString('utf8')).data.__schema).toBeDefined();
    } finally {
      await gateway.stop();
    }
  });
});

describe('errors in production carry no internal paths or names', () => {
  let applications: { server: Server; url: string };
  let payments: { server: Server; url: string };
  let gateway: Awaited<ReturnType<typeof startGatewayOnly>>;
  beforeAll(async () => {
    // Stand-ins for two registries: the application is found, the payments registry fails its entity fetch as a whole.
    applications = await listen(() => ({ status: 200, body: { data: { applicationByNumber: { __typename: 'Application', id: 'a-1', number: 'WP-1' } } } }));
    payments = await listen((_path, body) =>
      body.includes('_entities')
        ? {
            status: 200,
            body: {
              data: { _entities: null },
              errors: [
                { message: 'Cannot return null for non-nullable field Query._entities.', path: ['_entities'] },
                { message: 'Variable "$representations" got invalid value.', path: ['_entities'], extensions: { code: 'BAD_USER_INPUT' } },
              ],
            },
          }
        : { status: 404, body: {} },
    );
    gateway = await startGatewayOnly({ development: false, subgraphUrls: { applications: `${applications.url}/graphql`, payments: `${payments.url}/graphql` } });
  });
  afterAll(async () => {
    await gateway.stop();
    await close(applications.server);
    await close(payments.server);
  });

  it('places a failed entity fetch on the field the client asked for, in words without the plumbing', async () => {
    const response = await fetch(gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ applicationByNumber(number: "WP-1") { number payments { __typename } } }' }),
    });
    const body = (await response.json()) as { data: unknown; errors: { message: string; path?: unknown[]; extensions: { code: string } }[] };
    expect(body.data).toMatchObject({ applicationByNumber: { number: 'WP-1' } });
    expect(body.errors.length).toBeGreaterThan(0);
    for (const error of body.errors) expect(error.path ?? []).toEqual(expect.not.arrayContaining(['_entities']));
    expect(body.errors.map((error) => error.path)).toContainEqual(['applicationByNumber']);
    expect(JSON.stringify(body)).not.toMatch(/_entities|representations|_dmx|serviceName/);
    // The registry's own code stands (its wording goes); what the gateway could not use is masked.
    expect(body.errors.map((error) => error.extensions.code)).toContain('BAD_USER_INPUT');
    for (const error of body.errors) expect(['BAD_USER_INPUT', 'INTERNAL_SERVER_ERROR']).toContain(error.extensions.code);
  });
});
