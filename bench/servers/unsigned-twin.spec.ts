import 'reflect-metadata';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { FastifyInstance } from 'fastify';
import { personsSubgraph } from '../../subgraphs/persons/app';
import { openDatabase } from '../../platform/db/database';
import { migrate } from '../../platform/db/migrate';
import { parseEnvironment } from '../../platform/config';
import { createSubgraphApp } from '../../platform/server/subgraph-app';
import { AGENCIES } from '../../gateway/features/authorization/agencies';
import { encodeClaims } from '../../protocol/claims';
import { STATE_PATH } from '../../protocol/registry-state';
import { newSigningKeyPair } from '../../protocol/request-signing';
import { registryRequest, type PlannedRequest } from '../workloads';
import { openUnsignedTwin, twinEnvironment } from './unsigned-twin';

const ADMINISTRATOR = encodeClaims({ agency: 'administrator', subject: 'bench-operator', scopes: AGENCIES.administrator.scopes });

describe("the benchmark's registry wrapper: environment", () => {
  it('reads the twin port and caller, and refuses the twin in production', () => {
    const env = parseEnvironment(twinEnvironment, { NODE_ENV: 'test', DMX_BENCH_PORT: '5101', DMX_BENCH_CLAIMS: ADMINISTRATOR });
    expect(env.DMX_BENCH_PORT).toBe(5101);
    expect(env.DMX_BENCH_CLAIMS).toEqual({ agency: 'administrator', subjects: ['bench-operator'], scopes: AGENCIES.administrator.scopes });
    expect(() => parseEnvironment(twinEnvironment, { NODE_ENV: 'production', DMX_BENCH_PORT: '5101' })).toThrow(/DMX_BENCH_PORT/);
    expect(() => parseEnvironment(twinEnvironment, {})).toThrow(/DMX_BENCH_PORT/);
    expect(() => parseEnvironment(twinEnvironment, { DMX_BENCH_PORT: '70000' })).toThrow(/DMX_BENCH_PORT/);
    expect(() => parseEnvironment(twinEnvironment, { DMX_BENCH_PORT: '5101', DMX_BENCH_CLAIMS: 'not claims' })).toThrow(/DMX_BENCH_CLAIMS/);
  });
});

describe("the benchmark's unsigned twin", () => {
  let app: FastifyInstance;
  let twin: FastifyInstance;
  let twinUrl: string;
  let appUrl: string;
  const keys = newSigningKeyPair();
  beforeAll(async () => {
    const db = await openDatabase({});
    await migrate(db, personsSubgraph.migrations);
    const shared = { db, logLevel: 'silent' };
    app = await createSubgraphApp(personsSubgraph, { ...shared, signingKey: keys.publicKey });
    appUrl = await app.listen({ port: 0, host: '127.0.0.1' });
    twin = await openUnsignedTwin({ definition: personsSubgraph, app, shared }, parseEnvironment(twinEnvironment, { DMX_BENCH_PORT: '0', DMX_BENCH_CLAIMS: ADMINISTRATOR }));
    twinUrl = `http://127.0.0.1:${(twin.server.address() as { port: number }).port}`;
  });
  afterAll(async () => {
    await twin.close();
    await app.close();
  });

  const read = (base: string) =>
    fetch(`${base}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ persons(first: 1) { nodes { id } } }' }) });
  const stats = async () =>
    (await (await fetch(`${twinUrl}/bench/stats`)).json()) as { total: number; byName: Record<string, number>; graphqlRequests: number; stateRequests: number };

  it('answers unsigned requests as the assumed caller, and counts both apps’ requests and the statements run', async () => {
    const before = await stats();
    expect(before).toMatchObject({ graphqlRequests: 0, stateRequests: 0 });
    const answer = (await (await read(twinUrl)).json()) as { data: unknown; errors?: unknown[] };
    expect(answer).toEqual({ data: { persons: { nodes: [] } } });
    // The signed app refuses it, but served it all the same.
    expect((await read(appUrl)).status).toBe(401);
    expect((await fetch(`${twinUrl}${STATE_PATH}`)).status).toBe(200);
    const after = await stats();
    expect(after).toMatchObject({ graphqlRequests: 2, stateRequests: 1 });
    expect(after.total).toBeGreaterThan(before.total);
  });

  it('the signed app answers the benchmark\'s signed requests once each, the twin its unsigned ones', async () => {
    const personId = '00000000-0000-4000-8000-000000000001';
    const send = (base: string, planned: PlannedRequest) =>
      fetch(`${base}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', ...planned.headers }, body: planned.body });
    const signed = registryRequest([personId], ADMINISTRATOR, keys.privateKey, 0);
    const first = await send(appUrl, signed);
    expect(first.status).toBe(200);
    expect(await first.json()).toEqual({ data: { person: null } });
    // A real signature: good once, refused when replayed, and refused without it.
    expect((await send(appUrl, signed)).status).toBe(401);
    expect((await send(appUrl, registryRequest([personId], ADMINISTRATOR, null, 0))).status).toBe(401);
    const unsigned = await send(twinUrl, registryRequest([personId], ADMINISTRATOR, null, 0));
    expect(await unsigned.json()).toEqual({ data: { person: null } });
  });

  it('collects garbage when asked, where the process can, and counts the time collecting', async () => {
    const gcStats = async () => ((await (await fetch(`${twinUrl}/bench/stats`)).json()) as { gcMs: { allMs: number; majorMs: number } }).gcMs;
    const collect = () => fetch(`${twinUrl}/bench/gc`, { method: 'POST' });
    const withoutGc = global.gc;
    try {
      global.gc = undefined;
      const refused = await collect();
      expect(refused.status).toBe(501);
      expect(await refused.text()).toMatch(/--expose-gc/);
      // As `node --expose-gc` gives it: V8's own gc function.
      setFlagsFromString('--expose-gc');
      global.gc = runInNewContext('gc') as typeof global.gc;
      const before = await gcStats();
      const collected = await collect();
      expect(collected.status).toBe(200);
      expect(((await collected.json()) as { ms: number }).ms).toBeGreaterThan(0);
      // The observer hears of the collection after it, by the next request at the latest.
      await new Promise((resolve) => setImmediate(resolve));
      const after = await gcStats();
      expect(after.majorMs).toBeGreaterThan(before.majorMs);
      expect(after.allMs - before.allMs).toBeGreaterThanOrEqual(after.majorMs - before.majorMs);
    } finally {
      global.gc = withoutGc;
    }
  });

  it('is the only one to serve the counters', async () => {
    expect((await fetch(`${appUrl}/bench/stats`)).status).not.toBe(200);
  });
});
