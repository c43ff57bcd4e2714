import 'reflect-metadata';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print } from 'graphql';
import { randomBytes, type KeyObject } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { useCompiledResponses } from '../gateway/apollo-internals';
import { createGateway } from '../gateway/app';
import { gatewayConfig, gatewayEnvironment } from '../gateway/config';
import { gatewayFeatures, type FeatureSettings } from '../gateway/features';
import { developmentIssuer, mintToken, newDevelopmentKey, tokenVerifier, type DevelopmentKey, type TokenVerifier, type TrustedIssuer } from '../gateway/features/authentication/tokens';
import { auditClient, auditRecordsUrl } from '../gateway/features/audit/audit-client';
import { loadSupergraph } from '../gateway/supergraph';
import { AuditLog } from '../subgraphs/audit/audit-log';
import { loadManifest, type PersistedOperationsMode } from '../gateway/features/persisted-operations/persisted-operations';
import { startGatewayHttp, type RunningGatewayHttp } from '../gateway/http/server';
import { createLogger } from '../platform/telemetry/logger';
import { readinessProbe } from '../gateway/http/readiness';
import type { RateLimiter } from '../gateway/features/rate-limit/rate-limit';
import type { Admission } from '../gateway/features/admission/admission';
import { SUBGRAPHS } from '../subgraphs';
import { openDatabase, type Database } from '../platform/db/database';
import { migrate } from '../platform/db/migrate';
import { ensureDemoData } from '../demo/ensure-demo-data';
import { httpGraphClient } from '../platform/graph-client';
import { registryTokenKeys } from '../protocol/registry-token';
import { newSigningKeyPair, signRequest, type SignedRequest } from '../protocol/request-signing';
import { createSubgraphApp } from '../platform/server/subgraph-app';
import { DEFAULT_GRAPHQL_JIT } from '../platform/config';
import type { SubgraphName } from '../protocol/registries';

export const REFERENCE_DATE = '2026-11-01';
/** Tests evaluate "today" on a fixed day so that derived answers do not drift with the calendar. */
export const TODAY = '2026-11-02';

export interface RunningGraph {
  gatewayUrl: string;
  /** The gateway's key pair: it signs subgraph requests with the private key; the subgraphs (here and started outside) check with the public one. */
  gatewayKeys: { privateKey: KeyObject; publicKey: KeyObject };
  /** The applications registry's private key, for its tokens when it calls the graph (the gateway trusts its public half). */
  registryKey: KeyObject;
  /**
   * A signature header as the gateway makes it, for a request of a test's own to a subgraph: by
   * default a POST of JSON to /graphql; a fresh nonce unless one is given.
   */
  signAsGateway(request: Partial<SignedRequest> & { audience: SubgraphName }, options?: { now?: Date; nonce?: string }): string;
  /** A bearer token for an agency (its profile's scopes unless given), signed with the harness's key. */
  token(agency: string, subject?: string, options?: { scopes?: string[]; ttlSeconds?: number }): Promise<string>;
  /** The key `token` signs with, trusted by the gateway: for tokens a test shapes itself (lifetimes, claims). */
  tokenKey: DevelopmentKey;
  /** Headers of a caller: an agency's token (its profile's scopes unless given) and the purpose declared. */
  caller(agency: string, purpose?: string, options?: { scopes?: string[]; subject?: string }): Promise<Record<string, string>>;
  /** The audit subgraph's log (in memory), with its chain key, for checks. */
  audit: { log: AuditLog; db: Database };
  /** The subgraphs running in this process (not the external ones). */
  subgraphs: Partial<Record<SubgraphName, { app: FastifyInstance; db: Database; url: string; requests: { graphql: number } }>>;
  /**
   * POSTs a GraphQL request to the gateway: a typed document from codegen, or a query string. It is
   * sent as the administrator (purpose ADMINISTRATION) unless `headers` say otherwise; `ANONYMOUS`
   * sends it without a token.
   */
  query<T = any, V = Record<string, unknown>>(
    query: TypedDocumentNode<T, V> | string,
    variables?: V,
    headers?: Record<string, string>,
  ): Promise<GraphQLResponse<T>>;
  /** GraphQL requests each registry in this process has served (the gateway's fetches, batched or not). */
  fetchCount(name: SubgraphName): number;
  /** SQL statements sent by all four registries on behalf of requests (the outbox relay's own polling left out). */
  statementCount(): number;
  /**
   * Another gateway process's stand-in: a second gateway on the same registries (and keys), with the
   * registries' URLs given replacing its defaults and a rate limiter of its own (e.g. a shared one).
   */
  addGateway(options?: {
    subgraphUrls?: Partial<Record<SubgraphName, string>>;
    rateLimiter?: RateLimiter;
    /** Another mode than the graph's own gateway (e.g. production beside a development one). */
    development?: boolean;
    dashboard?: FeatureSettings['dashboard'];
  }): Promise<AnotherGateway>;
  /** Another process of a registry on the same PostgreSQL database (databaseUrls), its outbox relay running. */
  addRegistry(name: SubgraphName): Promise<{ app: FastifyInstance; db: Database; url: string; stop(): Promise<void> }>;
  /** A write in every registry here (one changing no row): whatever the gateway cached of their answers is out of date (gateway/subgraph-fetch/read-cache.ts). */
  writeInEveryRegistry(): Promise<void>;
  stop(): Promise<void>;
}

/** A gateway started beside the graph's own (RunningGraph.addGateway). */
export interface AnotherGateway {
  url: string;
  query: RunningGraph['query'];
  stop(): Promise<void>;
}

export interface GraphQLResponse<T> {
  status: number;
  headers: Headers;
  body: { data?: T; errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[] };
}

export interface GraphOptions {
  persons?: number;
  /** Demo world seed (default: a test seed). */
  seed?: string;
  /** Development mode: internal error details, introspection and the IDE. */
  development?: boolean;
  /** PostgreSQL URLs per subgraph; absent means an in-memory PGlite. */
  databaseUrls?: Partial<Record<SubgraphName, string>>;
  /** Persisted operations mode (default allow), with the committed manifest. */
  persisted?: PersistedOperationsMode;
  /** Plan the persisted operations for every agency before serving, as production does (default off). */
  warmQueryPlans?: boolean;
  /** Concurrent reads of a registry by officers of one agency share a fetch (default: as production, FETCH_BATCHING). */
  batchFetches?: boolean;
  /** Bytes of the registries' answers kept (default: as production, READ_CACHE and READ_CACHE_MIB); 0: none. */
  readCacheBytes?: number;
  /**
   * Registries answer in windows, as over a network with latency: a request waits until this many
   * ms after the first request of its window, so that the requests of concurrent callers overlap
   * there as they do under load (default: none).
   */
  registryLatencyMs?: number;
  /** Subgraphs run elsewhere (e.g. as a separate process): the gateway is pointed at these URLs instead. */
  external?: Partial<Record<SubgraphName, string>>;
  /** Browser origins allowed cross-site (CORS_ORIGINS); none when absent. */
  corsOrigins?: string[];
  /** Per-agency request budgets (none when absent). */
  rateLimiter?: RateLimiter;
  /** Every service's log lines, at debug level, go here (none are written when absent). */
  logs?: { write(line: string): void };
  /** Token issuers trusted besides the harness's own (AUTH_TRUST), e.g. a stand-in identity provider. */
  trust?: TrustedIssuer[];
  /** The dashboard page: where it is built (dist/dashboard when absent) and where its staff sign in. */
  dashboard?: FeatureSettings['dashboard'];
  /**
   * Run the permits registry's presence refresher, pausing this long between passes (off when absent:
   * its background reads would show in the counts of statements and fetches other tests take).
   */
  presence?: { intervalMs: number };
  /** The registries' clock (default: 09:00 in Baku on TODAY); a test that lets days pass moves it. */
  clock?: () => Date;
  /** Counts under this are withheld from a caller who may only count (AGGREGATE_MIN_COUNT; default 10). */
  aggregateMinCount?: number;
}

/** Starts the four subgraphs and the gateway on 127.0.0.1 with ephemeral ports, seeded with demo data. */
export async function startGraph(options: GraphOptions = {}): Promise<RunningGraph> {
  const clock = options.clock ?? (() => new Date(`${TODAY}T09:00:00+04:00`));
  // As deployed (RESULT_SHAPING's default): for every gateway of this process.
  useCompiledResponses();
  const gatewayKeys = newSigningKeyPair();
  const applicationsKeys = newSigningKeyPair();
  const registryKey = applicationsKeys.privateKey;
  // The permits registry calls as itself: only its token may read the persons registry's feed of stay facts.
  const permitsKeys = newSigningKeyPair();
  const tokens = await testTokens({ applications: applicationsKeys.publicKey, permits: permitsKeys.publicKey }, options.trust);
  const subgraphs = {} as RunningGraph['subgraphs'];
  // Subgraphs read other registries through the gateway, which starts after them.
  let gatewayUrl = '';
  const graph = httpGraphClient(() => gatewayUrl, { registry: 'applications', key: registryKey });
  const permitsGraph = httpGraphClient(() => gatewayUrl, { registry: 'permits', key: permitsKeys.privateKey });
  /** How a subgraph is started: as itself towards the graph, and the permits registry's refresher only when asked for. */
  const backgroundOf = (name: SubgraphName) =>
    name !== 'permits'
      ? { graph }
      : { graph: permitsGraph, backgroundWork: options.presence !== undefined, backgroundIntervalMs: options.presence?.intervalMs };
  const auditKey = randomBytes(32).toString('hex');
  const privacy = options.aggregateMinCount === undefined ? {} : { privacy: { aggregateMinCount: options.aggregateMinCount, cursorSecret: randomBytes(32).toString('hex') } };
  const logging = options.logs ? { logLevel: 'debug', logStream: options.logs } : { logLevel: 'silent' };
  for (const definition of SUBGRAPHS) {
    if (options.external?.[definition.name]) continue;
    const db = await openDatabase({ url: options.databaseUrls?.[definition.name] });
    await migrate(db, definition.migrations);
    await ensureDemoData(db, definition, {
      persons: options.persons ?? 60,
      seed: options.seed ?? 'test-seed',
      referenceDate: REFERENCE_DATE,
      log: () => undefined,
    });
    const app = await createSubgraphApp(definition, { db, clock, ...logging, ...backgroundOf(definition.name), ...privacy, signingKey: gatewayKeys.publicKey, secrets: { auditKey }, jit: DEFAULT_GRAPHQL_JIT });
    const requests = { graphql: 0 };
    app.addHook('onRequest', async (request) => {
      if (request.routeOptions.url === '/graphql') requests.graphql += 1;
    });
    if (options.registryLatencyMs) answerInWindows(app, options.registryLatencyMs);
    const address = await app.listen({ port: 0, host: '127.0.0.1' });
    subgraphs[definition.name] = { app, db, url: `${address}/graphql`, requests };
  }
  const token: RunningGraph['token'] = (agency, subject = 'test-user', options = {}) => mintToken(tokens.key, { agency, subject, ...options });
  const caller: RunningGraph['caller'] = async (agency, purpose, options = {}) => ({
    authorization: `Bearer ${await token(agency, options.subject, options)}`,
    ...(purpose ? { 'x-dmx-purpose': purpose } : {}),
  });
  const supergraphSdl = readFileSync(path.resolve(__dirname, '../schema/supergraph.graphql'), 'utf8');
  const subgraphUrls = { ...Object.fromEntries(Object.entries(subgraphs).map(([name, subgraph]) => [name, subgraph!.url])), ...options.external };
  const supergraph = loadSupergraph(supergraphSdl);
  const startGateway = async (
    urls: Partial<Record<SubgraphName, string>>,
    rateLimiter: RateLimiter | undefined,
    mode: { development?: boolean; dashboard?: FeatureSettings['dashboard'] } = {},
  ) => {
    const development = mode.development ?? options.development ?? false;
    const server = createGateway({
      supergraph,
      development,
      subgraphs: {
        urls,
        signingKey: gatewayKeys.privateKey,
        batchFetches: options.batchFetches ?? DEFAULTS.subgraphs.batchFetches,
        readCacheBytes: options.readCacheBytes ?? DEFAULTS.subgraphs.readCacheBytes,
      },
      ...(options.logs ? { logger: createLogger({ service: 'gateway', level: 'debug', destination: options.logs }) } : {}),
      features: gatewayFeatures({
        ...testFeatures(supergraph, development, tokens.verifier),
        rateLimiter,
        // As in production: under load, a POST of audit records waits a moment for more (AUDIT_LINGER_MS).
        audit: auditClient({ url: auditRecordsUrl(supergraphSdl, urls.audit), signingKey: gatewayKeys.privateKey, lingerMs: DEFAULTS.audit.lingerMs }),
        ide: { caller: (agency, purpose) => caller(agency, purpose, { subject: 'graphiql' }) },
        dashboard: { developmentToken: () => token('internal-dashboard', 'dashboard'), ...options.dashboard, ...mode.dashboard },
        persisted: { manifest: loadManifest(path.resolve(__dirname, '../schema/persisted-operations.json')), mode: options.persisted ?? 'allow' },
        warmQueryPlans: options.warmQueryPlans,
      }),
    });
    return startGatewayHttp(server, {
      port: 0,
      host: '127.0.0.1',
      corsOrigins: options.corsOrigins,
      readiness: readinessProbe({ urls }),
    });
  };
  const http = await startGateway(subgraphUrls, options.rateLimiter);
  gatewayUrl = http.url;

  const administrator = await caller('administrator', 'ADMINISTRATION');
  const queryAt = (url: string): RunningGraph['query'] => async (query, variables, headers) => {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(headers && 'authorization' in headers ? {} : administrator), ...headers },
      body: JSON.stringify({ query: typeof query === 'string' ? query : print(query), variables }),
    });
    return { status: response.status, headers: response.headers, body: (await response.json()) as GraphQLResponse<any>['body'] };
  };
  const extraGateways: RunningGatewayHttp[] = [];
  const extraRegistries: FastifyInstance[] = [];
  return {
    gatewayUrl,
    gatewayKeys,
    registryKey,
    signAsGateway: (request, options) =>
      signRequest(gatewayKeys.privateKey, { method: 'POST', path: '/graphql', contentType: 'application/json', ...request }, options),
    token,
    tokenKey: tokens.key,
    caller,
    audit: subgraphs.audit ? { log: new AuditLog(subgraphs.audit.db, auditKey), db: subgraphs.audit.db } : (undefined as never),
    subgraphs,
    query: queryAt(gatewayUrl),
    async addGateway(more = {}) {
      const started = await startGateway({ ...subgraphUrls, ...more.subgraphUrls }, more.rateLimiter, { development: more.development, dashboard: more.dashboard });
      extraGateways.push(started);
      return { url: started.url, query: queryAt(started.url), stop: () => started.stop() };
    },
    async addRegistry(name) {
      const url = options.databaseUrls?.[name];
      if (!url) throw new Error(`another ${name} process needs the registry on a PostgreSQL server (databaseUrls)`);
      const definition = SUBGRAPHS.find((candidate) => candidate.name === name)!;
      const db = await openDatabase({ url });
      const app = await createSubgraphApp(definition, { db, clock, ...logging, ...backgroundOf(name), signingKey: gatewayKeys.publicKey, secrets: { auditKey }, jit: DEFAULT_GRAPHQL_JIT });
      const address = await app.listen({ port: 0, host: '127.0.0.1' });
      extraRegistries.push(app);
      return { app, db, url: `${address}/graphql`, stop: () => app.close() };
    },
    fetchCount: (name) => subgraphs[name]?.requests.graphql ?? 0,
    statementCount: () =>
      Object.values(subgraphs).reduce((sum, subgraph) => {
        const { db } = subgraph!;
        let background = 0;
        for (const [name, count] of db.stats.byName) if (name.startsWith('outbox.')) background += count;
        return sum + db.stats.total - background;
      }, 0),
    async writeInEveryRegistry() {
      await Promise.all(Object.values(subgraphs).map((subgraph) => subgraph!.db.query('test.touch', 'update schema_migrations set name = name where false')));
    },
    async stop() {
      // The presence refresher calls the gateway every pause: it stops first, or the gateway would wait for its requests.
      const permits = options.presence ? subgraphs.permits?.app : undefined;
      await permits?.close();
      await Promise.all([http, ...extraGateways].map((gateway) => gateway.stop()));
      const apps = [...Object.values(subgraphs).map((subgraph) => subgraph!.app), ...extraRegistries].filter((app) => app !== permits);
      await Promise.all(apps.map((app) => app.close()));
    },
  };
}

function answerInWindows(app: FastifyInstance, ms: number): void {
  let window: Promise<void> | null = null;
  app.addHook('onRequest', async () => {
    window ??= new Promise<void>((resolve) =>
      setTimeout(() => {
        window = null;
        resolve();
      }, ms),
    );
    await window;
  });
}

/** The data of a response that must have succeeded; fails the test with the errors otherwise. */
export function expectData<T>(response: GraphQLResponse<T>): T {
  if (response.body.errors || !response.body.data) {
    throw new Error(`expected data, got ${JSON.stringify(response.body)}`);
  }
  return response.body.data;
}

/** Headers of a request without a token (the harness's queries are the administrator's otherwise). */
export const ANONYMOUS: Readonly<Record<string, string>> = { authorization: '' };

/** A token key kept in memory and a verifier that trusts it (and the registries' tokens under their public keys). */
export async function testTokens(registryKeys?: Partial<Record<SubgraphName, KeyObject>>, trust: TrustedIssuer[] = []) {
  const key = await newDevelopmentKey();
  return { key, verifier: tokenVerifier([developmentIssuer(key), ...trust], registryKeys ? registryTokenKeys(registryKeys) : undefined) };
}

/** The gateway's configuration with nothing set: what production runs by default. */
const DEFAULTS = gatewayConfig(gatewayEnvironment.parse({}));

/** The features' settings common to the tests' gateways: the default limits, and no rate limit or admission unless given. */
function testFeatures(supergraph: FeatureSettings['supergraph'], development: boolean, verifier: TokenVerifier) {
  return { supergraph, development, verifier, limits: DEFAULTS.limits.operation };
}

/** Polls until `check` gives a value (background work such as the outbox relay takes a moment). */
export async function eventually<T>(check: () => Promise<T | undefined | null | false>, what: string, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check().catch(() => undefined);
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * The gateway alone, in production mode, with no subgraph behind it (or with stand-ins at
 * `subgraphUrls`): for what it refuses before planning (limits, rate limits, admission, the IDE).
 * Tokens are signed with the returned key; the applications registry's tokens with `registryKey`.
 */
export async function startGatewayOnly(
  options: {
    development?: boolean;
    limiter?: RateLimiter;
    admission?: Admission;
    subgraphUrls?: Partial<Record<SubgraphName, string>>;
    dashboard?: FeatureSettings['dashboard'];
    /** RESPONSE_COMPRESSION; on by default, as deployed. */
    compression?: boolean;
  } = {},
) {
  useCompiledResponses();
  const key = await newDevelopmentKey();
  const registryKeys = newSigningKeyPair();
  const registryKey = registryKeys.privateKey;
  const gatewayKey = newSigningKeyPair().privateKey;
  const supergraph = loadSupergraph(readFileSync(path.resolve(__dirname, '../schema/supergraph.graphql'), 'utf8'));
  const development = options.development ?? false;
  const server = createGateway({
    supergraph,
    development,
    subgraphs: { urls: options.subgraphUrls, signingKey: gatewayKey },
    features: gatewayFeatures({
      ...testFeatures(supergraph, development, tokenVerifier([developmentIssuer(key)], registryTokenKeys({ applications: registryKeys.publicKey }))),
      rateLimiter: options.limiter,
      admission: options.admission,
      // No subgraph behind it: a personal read would fail closed (AUDIT_UNAVAILABLE); these tests make none.
      audit: auditClient({ url: 'http://127.0.0.1:9/audit/records', signingKey: gatewayKey }),
      dashboard: options.dashboard,
    }),
  });
  const http = await startGatewayHttp(server, { port: 0, host: '127.0.0.1', compression: options.compression });
  return {
    ...http,
    key,
    registryKey,
    stop: () => http.stop(),
  };
}

/**
 * PAY-04: brings an application's state duty to PAID through the graph, as an officer and a bank would:
 * an open amount is assessed first (`assessAt` AZN), the bill waited for (the outbox relay delivers it),
 * then paid by its code. A duty-free application needs nothing. Returns the payment code paid, if any.
 */
export async function payStateDuty(graph: RunningGraph, applicationId: string, assessAt = '150.00'): Promise<string | null> {
  const read = async () =>
    expectData(
      await graph.query<{ application: { stateDuty: { outcome: string }; payments: { code: string; status: string; amount: { amount: string } }[] } }>(
        `query($id: ID!) { application(id: $id) { stateDuty { outcome } payments { code status amount { amount } } } }`,
        { id: applicationId },
      ),
    ).application;
  const now = await read();
  if (now.stateDuty.outcome === 'FREE') return null;
  const paid = now.payments.find((payment) => payment.status === 'PAID');
  if (paid) return paid.code;
  if (!now.payments.some((payment) => payment.status === 'UNPAID') && now.stateDuty.outcome !== 'FIXED' && now.stateDuty.outcome !== 'ASSESSED') {
    expectData(await graph.query(`mutation($id: ID!, $amount: String!) { assessStateDuty(id: $id, amount: $amount) { id } }`, { id: applicationId, amount: assessAt }));
  }
  const bill = await eventually(async () => (await read()).payments.find((payment) => payment.status === 'UNPAID'), 'the duty to be billed');
  expectData(
    await graph.query(`mutation($input: RecordPaymentInput!) { recordPayment(input: $input) { status } }`, {
      input: { code: bill.code, channel: 'ONLINE', amount: bill.amount.amount, idempotencyKey: `duty-${applicationId}` },
    }),
  );
  return bill.code;
}

/** A GraphQL answer (or any JSON body) read with fetch in a test, whose shape each test asserts. */
export type GraphQLAnswer = Record<string, any>;
