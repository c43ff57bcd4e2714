import autocannon from 'autocannon';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, SignJWT } from 'jose';
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'graphql';
import { persistedOperationsManifest } from '../codegen/persisted-operations';
import { AGENCIES, CALLING_AGENCIES } from '../gateway/features/authorization/agencies';
import { AUDIENCE } from '../gateway/features/authentication/tokens';
import { encodeClaims } from '../protocol/claims';
import { dateInBaku } from '../platform/context';
import { DEFAULT_GRAPHQL_JIT } from '../platform/config';
import { SUBGRAPH_NAMES, type SubgraphName } from '../protocol/registries';
import { BASE_ENV, benchTrust, deployedTraceSampling, describeSampling, openSupergraph, REGISTRY_NODE_FLAGS, registryEnv, SCRAPE_INTERVAL_MS, startOurGateway } from './environments';
import { cpuMs, freePort, machineBusyMs, peakMemoryMiB, resetPeakMemory, startServer, stopAll, stopServer, threadCpuMs, waitUntil, type Server } from './processes';
import {
  checkTargets,
  combineSlices,
  letterOf,
  markdownTable,
  parseBenchArgs,
  percentile,
  p99AgainstPeers,
  pairedRatio,
  ratio,
  rotated,
  round,
  type BenchOptions,
  type BenchResults,
  type FixedRateResult,
  type GatewayKey,
  type GcTime,
  type Measurement,
  type Slice,
  type WorkloadKey,
} from './report';
import {
  AGENCY_MIX,
  agencyRequest,
  COLD_SHARES,
  coldConnections,
  coldInputs,
  coldTurnShare,
  COLD_WARMUP_SECONDS,
  disjointSlices,
  distinctRequests,
  FIXED_RATE_SHARES,
  fixedRates,
  isRightAnswer,
  mixRequest,
  readAfterWrite,
  registryRequest,
  variablesFor,
  warmupRequests,
  workloadRequest,
  WORKLOAD_QUERIES,
  WORKLOAD_TITLES,
  WRITE_EVERY,
  type PlannedRequest,
  type PopulationRecord,
  type UnpaidPayment,
  type WorkloadInputs,
} from './workloads';
import { operationKit } from '../test/operation-kit';
import { openLoad } from './open-load';
import { dashboardBench, dashboardMarkdown } from './dashboard.bench';
import { addTurnsAreas, cpuProfileFlags, describeAreas, emptyTurnsAreas, readCpuProfile } from './profile-share';
import { describeGatewayGc, gcBetween, readGatewayGc } from './gateway-gc';

/**
 * The gateway benchmark (issue 6): our gateway in its production configuration, stock Apollo gateway
 * and Hive Gateway with and without its Rust planner, side by side on the same subgraph processes and
 * data; the same loads cold, with writes, from all agencies at once and at fixed rates (issue 24);
 * telemetry's cost (issue 22) and signing's (issue 18); the federation overhead against the same
 * resolvers in one process; SQL statements per request as pages grow. Then the rules benchmark
 * (issue 3). See docs/performance.md. Each phase is one block of runGatewayBench, measured with
 * measureInRounds and kept in `report`.
 *
 *   npm run bench                                    # 100,000 persons, 10 s per measurement
 *   npm run bench -- --persons 2000 --duration 2     # the short run of CI
 */
const root = path.resolve(__dirname, '..');
const dist = path.join(root, 'dist');
const GATEWAYS: Record<GatewayKey, string> = {
  ours: '(a) this gateway, production config',
  oursUncached: "(a') the same with READ_CACHE=off",
  stock: '(b) stock @apollo/gateway + @apollo/server',
  hive: '(c) @graphql-hive/gateway',
  hiveRouter: '(d) @graphql-hive/gateway, Rust query planner',
};
const GATEWAY_KEYS = Object.keys(GATEWAYS) as GatewayKey[];
export const WORKLOADS: WorkloadKey[] = ['picture', 'page', 'document'];
const BENCH_ISSUER = 'dmx-bench';
const PURPOSE = 'OVERSIGHT';

/** One page size of the scale phase on one gateway. */
interface ScalePoint {
  p50Ms: number;
  p99Ms: number;
  requests: number;
  sqlPerRequest: number | null;
  failed: number;
}

/** The CPU profiles' names (`--profile`) of the two gateways whose profiles describeProfiles reads. */
const PROFILE_NAMES = { ours: 'gateway', oursUncached: 'gateway-uncached' } as const;

/** A page size: through (a), and through (a') (READ_CACHE=off), whose SQL statements are the registries' cost of the page. */
type ScaleRow = ScalePoint & { pageSize: number; nothingKept: ScalePoint };

export interface Endpoint {
  server: Server;
  url: string;
  /** Its operations listener, whose `/metrics` tell its garbage collection turn by turn (ours only). */
  opsUrl?: string;
}

/** Waits until a GraphQL server answers `{ __typename }` (by default at most 2 minutes): started and ready. */
export async function untilAnswering(endpoint: Endpoint, headers: Record<string, string>, timeoutMs = 120_000): Promise<void> {
  await waitUntil(endpoint.server, async () => (await postJson(endpoint.url, { query: '{ __typename }' }, headers)).status === 200, timeoutMs);
}

export async function postJson(url: string, body: unknown, headers: Record<string, string>): Promise<{ status: number; json: any }> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  return { status: response.status, json: await response.json().catch(() => null) };
}

/**
 * Passes over a warm workload's inputs before it is measured: (a) caches a read only when it is asked
 * again (decision 0014), so one pass would leave every first answer of its turns a cache miss.
 */
export const WARM_PASSES = 2;

/** Reads each of `distinct` inputs WARM_PASSES times through one gateway, not measured. */
export async function readEveryInput(url: string, options: Pick<LoadOptions, 'headers' | 'tokens' | 'plan' | 'connections'>, distinct: number): Promise<void> {
  for (let pass = 0; pass < WARM_PASSES; pass += 1) await load({ url, ...options, duration: 0, amount: distinct });
}

/**
 * The telemetry comparison (measureInGenerations): this many generations of the three gateways' processes,
 * each measuring the run's rounds over this many times its duration divided among the generations;
 * each turn with at most 1 s of warm-up (the inputs are read twice before). Its target is a few percent:
 * the median of three paired rounds swung by ten points between two identical gateways, and two
 * processes of the same code differed by up to 14 % in CPU a request over a whole run. A multiple of
 * three, so that each gateway takes each place (see `start` below) as often as the others.
 */
const TELEMETRY_GENERATIONS = 6;
const TELEMETRY_SPAN = 3;

/** The generations, rounds and seconds (each generation's) and warm-up of the telemetry comparison, from the run's options. */
function telemetryTurns(options: Pick<BenchOptions, 'rounds' | 'duration' | 'warmup'>): { generations: number; rounds: number; duration: number; warmup: number } {
  return { generations: TELEMETRY_GENERATIONS, rounds: options.rounds, duration: (options.duration * TELEMETRY_SPAN) / TELEMETRY_GENERATIONS, warmup: Math.min(options.warmup, 1) };
}

/** Officers per agency whose tokens the multi-agency mix carries in turn. */
const OFFICERS_PER_AGENCY = 3;
/** Requests per agency of the multi-agency mix read once through each gateway before it is measured. */
const AGENCY_FIRST_PASS = 200;

/**
 * An ES256 key pair made for this run, the gateway's AUTH_TRUST naming it (for every partner
 * agency), the tokens of `officers` administrators (subjects bench-officer-<n>), and for the
 * multi-agency mix the tokens of OFFICERS_PER_AGENCY officers of each partner agency, each with its
 * agency's scopes.
 */
export async function benchCredentials(officers: number) {
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
  const jwk = await exportJWK(publicKey);
  const kid = `bench-${await calculateJwkThumbprint(jwk)}`;
  const mint = (agency: string, subject: string) =>
    new SignJWT({ agency, scope: AGENCIES[agency].scopes.join(' ') })
      .setProtectedHeader({ alg: 'ES256', kid })
      .setIssuer(BENCH_ISSUER)
      .setAudience(AUDIENCE)
      .setSubject(subject)
      .setIssuedAt()
      .setExpirationTime('6h')
      .sign(privateKey);
  const tokens = await Promise.all(Array.from({ length: officers }, (_, n) => mint('administrator', `bench-officer-${n}`)));
  const byAgency: Record<string, string[]> = {};
  for (const agency of CALLING_AGENCIES) {
    byAgency[agency] = await Promise.all(Array.from({ length: OFFICERS_PER_AGENCY }, (_, n) => mint(agency, `bench-${agency}-${n}`)));
  }
  const trust = [{ issuer: BENCH_ISSUER, jwks: { keys: [{ ...jwk, kid, alg: 'ES256', use: 'sig' }] }, agencies: [...CALLING_AGENCIES] }];
  return { trust: JSON.stringify(trust), tokens, byAgency };
}

/**
 * SQL statements the registries sent for requests so far (their outbox relay's own polling left out),
 * the GraphQL requests they served and the probes of their state (GET /state, for (a)'s read cache;
 * null where a server does not count them).
 */
async function registryCounters(statsUrls: string[]): Promise<{ statements: number; fetches: number | null; probes: number | null; gcMs: GcTime | null }> {
  let statements = 0;
  let fetches: number | null = 0;
  let probes: number | null = 0;
  let gcMs: GcTime | null = { allMs: 0, majorMs: 0 };
  for (const url of statsUrls) {
    const stats = (await (await fetch(url)).json()) as { total: number; byName?: Record<string, number>; graphqlRequests?: number | null; stateRequests?: number; gcMs?: GcTime };
    statements += stats.total;
    for (const [name, count] of Object.entries(stats.byName ?? {})) if (name.startsWith('outbox.')) statements -= count;
    fetches = typeof stats.graphqlRequests === 'number' && fetches !== null ? fetches + stats.graphqlRequests : null;
    probes = typeof stats.stateRequests === 'number' && probes !== null ? probes + stats.stateRequests : null;
    gcMs = stats.gcMs && gcMs ? { allMs: gcMs.allMs + stats.gcMs.allMs, majorMs: gcMs.majorMs + stats.gcMs.majorMs } : null;
  }
  return { statements, fetches, probes, gcMs };
}

/**
 * Has every registry collect its garbage now (POST /bench/gc beside each GET /bench/stats: a full
 * collection). measureTurn does so before each turn, outside the turn's costs: no turn pays for
 * collecting what the work before it left (a gateway sending many small fetches leaves more than one
 * sending few, and the gateways take turns in a fixed cyclic order: the turn after it paid). What a
 * turn leaves is collected before the next one and charged to neither: a full collection's cost is
 * mostly marking what is live, about the same after any turn, which would weigh on a slow gateway's
 * few requests.
 */
async function collectRegistryGarbage(statsUrls: string[]): Promise<void> {
  for (const statsUrl of statsUrls) {
    const url = new URL('/bench/gc', statsUrl);
    const response = await fetch(url, { method: 'POST' });
    if (!response.ok) throw new Error(`${url} answered ${response.status}: ${await response.text()}`);
  }
}

/** Same data, whatever the order of keys (the gateways must give the same answers). */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value as object).sort().map((key) => `${JSON.stringify(key)}:${canonical((value as Record<string, unknown>)[key])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

interface LoadOptions {
  url: string;
  headers: Record<string, string>;
  /** Bearer tokens the requests carry in turn, the n-th request the (n mod count)-th; else the headers' own (or the request's). */
  tokens?: readonly string[];
  /** The n-th request: a workload's (workloadRequest), the mix's, the agencies'. */
  plan: (n: number) => PlannedRequest;
  connections: number;
  duration: number;
  /** A number of requests instead of a duration. */
  amount?: number;
  /** At most this many requests, the duration still in force (a cold slice's records left). */
  maxRequests?: number;
  /** Where the requests' numbering goes on, shared by the turns of a contestant (cold slices are used up, not rewound). */
  counter?: { next: number };
  /** Requests per second in all, arriving on a clock (the open model, openLoad), instead of as fast as answers come. */
  overallRate?: number;
}

/** A load running: the answers as they come (status, size, milliseconds), then what failed. */
export interface LoadRun extends PromiseLike<{ errors: number; timeouts: number }> {
  on(event: 'response', listener: (client: unknown, statusCode: number, bytes: number, responseTimeMs: number) => void): unknown;
}

/**
 * Load on one gateway: as fast as its answers come over `connections` (autocannon), or at a fixed
 * arrival rate (`overallRate`: openLoad, whose arrivals do not wait for answers). Every answer is
 * checked as it arrives (`isRightAnswer`): data, no errors, and the record asked for, so that a
 * gateway answering errors or mixing answers up cannot look fast.
 */
export function load(options: LoadOptions, onAnswer?: (right: boolean, planned: PlannedRequest) => void): LoadRun {
  const counter = options.counter ?? { next: 0 };
  const tokens = options.tokens?.length ? options.tokens : null;
  const limit = options.maxRequests;
  /** The next request: its plan, and the headers it goes with beyond the load's. */
  const next = () => {
    const n = counter.next++;
    const planned = options.plan(n);
    return { planned, headers: { ...(tokens ? { authorization: `Bearer ${tokens[n % tokens.length]}` } : {}), ...planned.headers } };
  };
  const check = (status: number, body: string, planned: PlannedRequest) => onAnswer?.(status === 200 && isRightAnswer(body, planned.expected), planned);
  const headers = { 'content-type': 'application/json', ...options.headers };
  if (options.overallRate) return openRun(options, options.overallRate, headers, next, check);
  return autocannon({
    url: options.url,
    connections: limit !== undefined ? Math.max(1, Math.min(options.connections, limit)) : options.connections,
    duration: options.duration,
    ...(options.amount ? { amount: options.amount } : {}),
    ...(limit !== undefined ? { maxOverallRequests: Math.max(1, limit) } : {}),
    timeout: 120,
    method: 'POST',
    headers,
    requests: [
      {
        setupRequest: (request, context) => {
          const { planned, headers } = next();
          context.planned = planned;
          return { ...request, headers: { ...request.headers, ...headers }, body: planned.body };
        },
        onResponse: (status, body, context) => check(status, body, context.planned as PlannedRequest),
      },
    ],
  });
}

/** openLoad as a LoadRun: each request the load's next, each answer checked and told to the listeners. */
function openRun(options: LoadOptions, rate: number, headers: Record<string, string>, next: () => { planned: PlannedRequest; headers: Record<string, string> }, check: (status: number, body: string, planned: PlannedRequest) => void): LoadRun {
  const listeners: Parameters<LoadRun['on']>[1][] = [];
  const running = openLoad(
    {
      url: options.url,
      rate,
      duration: options.duration,
      connections: options.connections,
      request: () => {
        const { planned, headers: own } = next();
        return { planned, headers: { ...headers, ...own }, body: planned.body };
      },
    },
    ({ sent, status, body, latencyMs }) => {
      check(status, body, sent.planned);
      for (const listener of listeners) listener(null, status, Buffer.byteLength(body), latencyMs);
    },
  );
  return {
    on(_event, listener) {
      listeners.push(listener);
      return this;
    },
    then: (fulfilled, rejected) => running.then(fulfilled, rejected),
  };
}

/** Reads after writes of the mix, of one gateway: sampled, checked, and the checks still running. */
interface WriteCheck {
  /** Writes answered right, by kind. */
  crossings: number;
  payments: number;
  checked: number;
  seen: number;
  pending: Promise<void>[];
}

/** What the writes of the mix took, and how many of the reads after them saw them. */
type WritesSeen = Omit<WriteCheck, 'pending'>;

/** Every fifth write of the mix is read back at once, through the same gateway: it must be seen. */
const CHECK_EVERY_NTH_WRITE = 5;

function checkReadAfterWrite(url: string, headers: Record<string, string>, right: boolean, planned: PlannedRequest, check: WriteCheck): void {
  if (!planned.write || !right) return;
  if (planned.write.kind === 'crossing') check.crossings += 1;
  else check.payments += 1;
  if ((check.crossings + check.payments) % CHECK_EVERY_NTH_WRITE !== 0) return;
  const { body, expected } = readAfterWrite(planned.write);
  check.checked += 1;
  check.pending.push(
    fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body })
      .then(async (response) => {
        if (response.status === 200 && isRightAnswer(await response.text(), expected)) check.seen += 1;
      })
      .catch(() => undefined),
  );
}

/**
 * Whether (d) runs the Rust planner: its process has the planner's native addon
 * (@graphql-hive/router-query-planner's `.node` file) mapped, and said it uses the router runtime;
 * (c) must have neither, or the check tells nothing.
 */
function routerRuntimeCheck(withRouter: Server, without: Server): { usesRustPlanner: boolean; evidence: string } {
  const addon = (server: Server) => {
    try {
      return readFileSync(`/proc/${server.child.pid}/maps`, 'utf8')
        .split('\n')
        .map((line) => line.split(/\s+/).slice(5).join(' '))
        .find((file) => file.includes('router-query-planner') && file.endsWith('.node'));
    } catch {
      return undefined;
    }
  };
  const said = withRouter.output.some((line) => line.includes('Using Hive Router Runtime'));
  const fellBack = withRouter.output.some((line) => line.includes('Falling back to the default runtime'));
  const mapped = addon(withRouter);
  const usesRustPlanner = Boolean(mapped) && !fellBack && !addon(without);
  return {
    usesRustPlanner,
    evidence: `native addon mapped in (d): ${mapped ? path.basename(mapped) : 'no'}, in (c): ${addon(without) ? 'yes' : 'no'}; (d) logged "Using Hive Router Runtime": ${said}${fellBack ? ', and fell back to the default runtime' : ''}`,
  };
}

/**
 * (a) exporting every trace and scraped for its metrics; the same keeping the share of traces the
 * Kubernetes manifests deploy (`sampled`, deployedTraceSampling); and (a) with OTEL_SDK_DISABLED=true.
 */
export type TelemetryKey = 'on' | 'sampled' | 'off';
export const TELEMETRY_KEYS: TelemetryKey[] = ['on', 'sampled', 'off'];

/** The trace sink as the benchmark holds it: where to export to, what it took, and the CPU it spent. */
export interface TraceSink {
  url: string;
  /** Trace exports taken so far (ask before `close`). */
  received(): Promise<number>;
  /** CPU time the sink process has spent, ms. */
  cpuMs(): number | null;
  close(): Promise<void>;
}

/**
 * An OTLP/HTTP endpoint that takes trace exports (POST /v1/traces) and drops them, counting them: a
 * process of its own (bench/servers/trace-sink.ts), as a collector is, so that reading the exports
 * costs the load generator nothing.
 */
export async function startTraceSink(): Promise<TraceSink> {
  const sinkPort = await freePort();
  const url = `http://127.0.0.1:${sinkPort}`;
  const server = startServer('trace sink', [path.join(dist, 'bench', 'servers', 'trace-sink.js')], { env: { ...process.env, TRACE_SINK_PORT: String(sinkPort) }, quiet: true });
  await waitUntil(server, async () => (await fetch(`${url}/received`)).ok, 30_000);
  return {
    url,
    received: async () => ((await (await fetch(`${url}/received`)).json()) as { received: number }).received,
    cpuMs: () => cpuMs(server.child.pid!),
    close: () => stopServer(server),
  };
}

/** Scrapes each operations port's /metrics as the deployment's Prometheus does (SCRAPE_INTERVAL_MS), until stopped; counts the scrapes. */
export function scrapeMetrics(opsPorts: readonly number[], intervalMs = SCRAPE_INTERVAL_MS): { scrapes(): number; stop(): void } {
  let scrapes = 0;
  const scrape = () => {
    for (const opsPort of opsPorts) {
      void fetch(`http://127.0.0.1:${opsPort}/metrics`)
        .then((response) => response.text())
        .then(() => (scrapes += 1))
        .catch(() => undefined);
    }
  };
  scrape();
  const timer = setInterval(scrape, intervalMs);
  return { scrapes: () => scrapes, stop: () => clearInterval(timer) };
}

/** A server under measurement, by the key its results go under. */
interface Contestant extends Endpoint {
  key: string;
}

interface RoundsOptions extends Omit<LoadOptions, 'url' | 'duration'> {
  /** Seconds measured per contestant, over all its turns. */
  duration: number;
  /** Seconds of load at the start of each turn that are not measured. */
  warmup: number;
  rounds: number;
  statsUrls: string[];
  /** The registry processes (none for the one-process graph). */
  subgraphPids: Record<string, number>;
  /** What differs per contestant, asked at the start of each of its turns (its own cold slice, its own payments). */
  perContestant?: (key: string) => Partial<LoadOptions> & { observe?: (right: boolean, planned: PlannedRequest) => void };
  /** Told each contestant's turns once measured, not combined (which parts of its CPU profile were measured). */
  keepTurns?: (key: string, turns: Slice[]) => void;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const ownCpuMs = () => {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
};

/**
 * Waits until the given processes are idle (under 10 % of a core over 200 ms), at most 20 s: the
 * requests a turn left in flight when it stopped are not paid for by the next turn.
 */
async function settle(pids: number[]): Promise<void> {
  const busy = () => pids.reduce((total, pid) => total + (cpuMs(pid) ?? 0), 0);
  const deadline = Date.now() + 20_000;
  let last = busy();
  while (Date.now() < deadline) {
    await sleep(200);
    const now = busy();
    if (now - last < 20) return;
    last = now;
  }
}

function emptySlice(): Slice {
  return { seconds: 0, latenciesMs: [], failed: 0, statements: 0, fetches: 0, probes: 0, serverCpuMs: 0, registryCpuMs: {}, loadGeneratorCpuMs: 0, machineBusyMs: 0, cores: os.cpus().length, whole: { requests: 0, statements: 0, fetches: 0, probes: 0, serverCpuMs: 0, registryCpuMs: {} } };
}

/**
 * One turn: `warmup` seconds of load (or fewer requests, warmupRequests), then `seconds` measured,
 * counting only what answers in the measured window; and the turn's whole cost (Slice.whole), which its
 * costs per request come from.
 */
async function measureTurn(contestant: Contestant, options: RoundsOptions, seconds: number): Promise<Slice> {
  const pid = contestant.server.child.pid!;
  const registryCpu = () => Object.fromEntries(Object.entries(options.subgraphPids).map(([name, subgraph]) => [name, cpuMs(subgraph) ?? 0]));
  const snapshot = () => ({ at: Date.now(), clockUs: Number(process.hrtime.bigint() / 1000n), server: cpuMs(pid), registries: registryCpu(), own: ownCpuMs(), machine: machineBusyMs() });
  const latenciesMs: number[] = [];
  let failedAnswers = 0;
  let measuring = false;
  const { observe, ...own } = options.perContestant?.(contestant.key) ?? {};
  // A cold slice used up: nothing left to ask that was not asked before.
  if (own.maxRequests !== undefined && own.maxRequests <= 0) return emptySlice();
  const hasRegistries = Object.keys(options.subgraphPids).length > 0;
  if (hasRegistries) await collectRegistryGarbage(options.statsUrls);
  // The whole turn's cost, from before its first request (the processes idle) to after its last answer.
  const first = snapshot();
  // By thread only at the turn's two ends (Slice.whole), not under load.
  const firstThreads = threadCpuMs(pid);
  const firstGc = contestant.opsUrl ? await readGatewayGc(contestant.opsUrl) : null;
  const firstCounters = await registryCounters(options.statsUrls);
  // Every request sent is charged: one cut off unanswered at the end of the turn was still worked on.
  let sent = 0;
  const { plan } = { ...options, ...own };
  const warmupBudget = warmupRequests(own.maxRequests);
  let warmedUp!: () => void;
  const budgetSpent = new Promise<void>((resolve) => (warmedUp = resolve));
  const counted = (n: number) => {
    sent += 1;
    if (sent === warmupBudget) warmedUp();
    return plan(n);
  };
  const run = load({ ...options, ...own, plan: counted, url: contestant.url, duration: options.warmup + seconds }, (right, planned) => {
    if (measuring && !right) failedAnswers += 1;
    observe?.(right, planned);
  });
  let lastAnswerAt = 0;
  run.on('response', (_client, _statusCode, _bytes, responseTime) => {
    if (!measuring) return;
    latenciesMs.push(responseTime);
    lastAnswerAt = Date.now();
  });
  const start = (async () => {
    await Promise.race([sleep(options.warmup * 1000), budgetSpent]);
    measuring = true;
    const before = snapshot();
    return { before, counters: await registryCounters(options.statsUrls) };
  })();
  const result = await run;
  measuring = false;
  const after = snapshot();
  const { before, counters } = await start;
  // A turn that used its budget up ends at its last answer: autocannon stops only at its next sample
  // (every second), and the time until then, idle, would count against the gateway.
  const budgetUsed = own.maxRequests !== undefined && sent >= own.maxRequests && lastAnswerAt > before.at;
  const end = budgetUsed ? lastAnswerAt : after.at;
  const countersAfter = await registryCounters(options.statsUrls);
  // What the last requests left to do (the audit records of answers already sent) is theirs too.
  await settle([pid, ...Object.values(options.subgraphPids)]);
  const last = snapshot();
  const lastThreads = threadCpuMs(pid);
  const lastGc = contestant.opsUrl && firstGc ? await readGatewayGc(contestant.opsUrl) : null;
  const lastCounters = await registryCounters(options.statsUrls);
  const difference = (to: number | null, from: number | null) => (to === null || from === null ? null : to - from);
  return {
    seconds: (end - before.at) / 1000,
    latenciesMs,
    failed: failedAnswers + result.errors + result.timeouts,
    statements: countersAfter.statements - counters.statements,
    fetches: countersAfter.fetches === null || counters.fetches === null ? null : countersAfter.fetches - counters.fetches,
    probes: countersAfter.probes === null || counters.probes === null ? null : countersAfter.probes - counters.probes,
    serverCpuMs: after.server === null || before.server === null ? null : after.server - before.server,
    registryCpuMs: hasRegistries ? Object.fromEntries(Object.keys(after.registries).map((name) => [name, after.registries[name] - before.registries[name]])) : null,
    loadGeneratorCpuMs: after.own - before.own,
    machineBusyMs: after.machine === null || before.machine === null ? null : after.machine - before.machine,
    cores: os.cpus().length,
    whole: {
      requests: sent,
      clockUs: { from: first.clockUs, to: last.clockUs },
      statements: lastCounters.statements - firstCounters.statements,
      fetches: difference(lastCounters.fetches, firstCounters.fetches),
      probes: difference(lastCounters.probes, firstCounters.probes),
      serverCpuMs: difference(last.server, first.server),
      serverThreadsCpuMs: lastThreads && firstThreads ? Object.fromEntries(Object.entries(lastThreads).map(([name, ms]) => [name, ms - (firstThreads[name] ?? 0)])) : null,
      registryCpuMs: hasRegistries ? Object.fromEntries(Object.keys(last.registries).map((name) => [name, last.registries[name] - first.registries[name]])) : null,
      registryGcMs: gcBetween(firstCounters.gcMs, lastCounters.gcMs),
      serverGcMs: gcBetween(firstGc, lastGc),
    },
  };
}

/**
 * Measures the contestants side by side: `rounds` turns each, taking turns (the order rotated every
 * round, starting at `firstTurn`), each turn a warm-up and then duration / rounds seconds measured,
 * the machine left to settle before every turn. Slow drift of the machine's speed thus falls on all
 * contestants alike instead of on whichever was measured last. Peak memory is each server's over
 * all its turns.
 */
export async function measureInRounds(contestants: Contestant[], options: RoundsOptions, firstTurn = 0): Promise<Record<string, Measurement>> {
  const measured = await measureTurns(contestants, options, firstTurn);
  for (const { key } of contestants) options.keepTurns?.(key, measured[key].slices);
  return Object.fromEntries(contestants.map(({ key }) => [key, combineSlices(measured[key].slices, measured[key].peakRssMiB)]));
}

/** Each contestant's turns of `rounds` rounds taking turns, not yet combined, and its peak memory over them. */
async function measureTurns(contestants: Contestant[], options: RoundsOptions, firstTurn: number): Promise<Record<string, { slices: Slice[]; peakRssMiB: number | null }>> {
  const slices = new Map<string, Slice[]>(contestants.map((contestant) => [contestant.key, []]));
  for (const contestant of contestants) resetPeakMemory(contestant.server.child.pid!);
  const watched = [...contestants.map((contestant) => contestant.server.child.pid!), ...Object.values(options.subgraphPids)];
  for (let round = 0; round < options.rounds; round += 1) {
    for (const contestant of rotated(contestants, firstTurn + round)) {
      await settle(watched);
      slices.get(contestant.key)!.push(await measureTurn(contestant, options, options.duration / options.rounds));
    }
  }
  return Object.fromEntries(contestants.map((contestant) => [contestant.key, { slices: slices.get(contestant.key)!, peakRssMiB: peakMemoryMiB(contestant.server.child.pid!) }]));
}

/** A server's CPU by thread (threadCpuMs) over whole turns, ms a request sent: `main 1.34, node 0.33`. */
export function describeThreads(turns: readonly Slice[]): string {
  const requests = turns.reduce((sum, turn) => sum + (turn.whole?.requests ?? 0), 0);
  const byName: Record<string, number> = {};
  for (const turn of turns) for (const [name, ms] of Object.entries(turn.whole?.serverThreadsCpuMs ?? {})) byName[name] = (byName[name] ?? 0) + ms;
  const names = Object.keys(byName).sort((a, b) => byName[b] - byName[a]);
  return requests && names.length ? names.map((name) => `${name} ${round(byName[name] / requests, 2)}`).join(', ') : 'not read';
}

/** The registries' garbage collection over whole turns, ms a request sent, the full collections among it: `0.6 (full 0.03)`. */
export function describeRegistryGc(turns: readonly Slice[]): string {
  const requests = turns.reduce((sum, turn) => sum + (turn.whole?.requests ?? 0), 0);
  const read = turns.map((turn) => turn.whole?.registryGcMs).filter((gc) => gc != null);
  if (!requests || read.length === 0) return 'not read';
  const perRequest = (of: (gc: GcTime) => number) => round(read.reduce((total, gc) => total + of(gc), 0) / requests, 3);
  return `${perRequest((gc) => gc.allMs)} (full ${perRequest((gc) => gc.majorMs)})`;
}

/** What measureInGenerations found: each contestant's measurement over every generation, and each generation's own. */
export interface GenerationsMeasured<K extends string> {
  measured: Record<WorkloadKey, Record<K, Measurement>>;
  byGeneration: Record<WorkloadKey, Record<K, Measurement>[]>;
  /** Each generation's turns, not combined: which parts of its processes' CPU profiles were measured. */
  turnsByGeneration: Record<WorkloadKey, Record<K, Slice[]>[]>;
}

/**
 * Gateways compared over several generations of their processes. Within one pair of processes the
 * paired rounds agree, but two processes of the same code and settings can differ by ten percent in
 * CPU a request for their whole life (JIT decisions, memory layout), so a comparison of a few percent
 * cannot rest on one pair. Each generation starts every contestant afresh, readies it for each workload
 * in turn (`prepare`: its inputs read) and measures that workload's rounds, then stops it. A
 * contestant's measurement is made of its turns of every generation (so `pairedRatio` takes the median
 * over all their rounds); each generation's own is kept, to show the spread between process pairs.
 */
export async function measureInGenerations<K extends string>(options: {
  keys: readonly K[];
  generations: number;
  workloads: readonly WorkloadKey[];
  /** Starts the contestants of a generation; they answer when it resolves. */
  start(generation: number): Promise<Record<K, Endpoint>>;
  /** Readies a generation's contestants for a workload and gives the rounds to measure. */
  prepare(workload: WorkloadKey, gateways: Record<K, Endpoint>): Promise<RoundsOptions>;
  log?: (line: string) => void;
}): Promise<GenerationsMeasured<K>> {
  const { keys, workloads } = options;
  const turns = Object.fromEntries(workloads.map((workload) => [workload, Object.fromEntries(keys.map((key) => [key, [] as Slice[]]))])) as Record<WorkloadKey, Record<K, Slice[]>>;
  const byGeneration = Object.fromEntries(workloads.map((workload) => [workload, []])) as unknown as Record<WorkloadKey, Record<K, Measurement>[]>;
  const turnsByGeneration = Object.fromEntries(workloads.map((workload) => [workload, []])) as unknown as Record<WorkloadKey, Record<K, Slice[]>[]>;
  for (let generation = 0; generation < options.generations; generation += 1) {
    const gateways = await options.start(generation);
    try {
      for (const [index, workload] of workloads.entries()) {
        const rounds = await options.prepare(workload, gateways);
        const measured = await measureTurns(
          keys.map((key) => ({ key, ...gateways[key] })),
          rounds,
          index + generation,
        );
        const own = {} as Record<K, Measurement>;
        for (const key of keys) {
          turns[workload][key].push(...measured[key].slices);
          own[key] = combineSlices(measured[key].slices, measured[key].peakRssMiB);
        }
        byGeneration[workload].push(own);
        turnsByGeneration[workload].push(Object.fromEntries(keys.map((key) => [key, measured[key].slices])) as Record<K, Slice[]>);
        options.log?.(`  generation ${generation + 1} of ${options.generations}, ${WORKLOAD_TITLES[workload]}: ${keys.map((key) => `${key} ${own[key].requestsPerSecond} req/s, ${own[key].gatewayCpuMsPerRequest} ms CPU`).join('; ')}`);
      }
    } finally {
      for (const gateway of Object.values<Endpoint>(gateways)) await stopServer(gateway.server);
    }
  }
  // A contestant's peak memory is the highest of its processes' (unknown if any one's is).
  const peak = (workload: WorkloadKey, key: K) => {
    const peaks = byGeneration[workload].map((own) => own[key].peakRssMiB);
    return peaks.includes(null) ? null : Math.max(...(peaks as number[]));
  };
  const measured = Object.fromEntries(
    workloads.map((workload) => [workload, Object.fromEntries(keys.map((key) => [key, combineSlices(turns[workload][key], peak(workload, key))]))]),
  ) as Record<WorkloadKey, Record<K, Measurement>>;
  return { measured, byGeneration, turnsByGeneration };
}

/**
 * The contestants of a generation in their places, each with its place's port, in the order to start
 * and ready them: the first place is started and readied first (in bench/telemetry.bench.ts it also has
 * the port the registries call the graph at). Whichever gateway held it was measured dearer, even two
 * of the same code and settings, so the places are taken in turn, one step further each generation.
 */
export function placesInTurn<K>(keys: readonly K[], placePorts: readonly number[], generation: number): [K, number][] {
  return rotated(keys, generation).map((key, place) => [key, placePorts[place]]);
}

/** Each generation's ratio of `a` to `b` (the median of its paired rounds): the spread between process pairs. */
export function generationRatios<K extends string>(byGeneration: readonly Record<K, Measurement>[], a: K, b: K): (number | null)[] {
  return byGeneration.map((own) => pairedRatio(own[a], own[b]));
}

export function describe(measurement: Measurement): string {
  return `${measurement.requestsPerSecond} req/s, p50 ${measurement.p50Ms} ms, p99 ${measurement.p99Ms} ms, ${measurement.sqlPerRequest} SQL/request, ${measurement.subgraphFetchesPerRequest} subgraph fetches/request, ${measurement.stateProbesPerRequest} state probes/request, peak ${measurement.peakRssMiB} MiB, CPU ms/request server ${measurement.gatewayCpuMsPerRequest} registries ${measurement.subgraphsCpuMsPerRequest}, other load ${measurement.otherLoadShare}${measurement.failed ? `, FAILED ${measurement.failed}` : ''}`;
}

/**
 * The warm inputs: the persons of the first pages (at most 40 pages of 50, and at most half the
 * persons, so that the cold workloads have the rest), their first travel documents, and their fines:
 * the unpaid ones for the mix to pay, every code for the bank to look up.
 */
export async function gatherInputs(url: string, persons: number, headers: Record<string, string>): Promise<{ inputs: WorkloadInputs; unpaid: UnpaidPayment[]; codes: string[] }> {
  const inputs: WorkloadInputs = { personIds: [], cursors: [null], documents: [] };
  const unpaid: UnpaidPayment[] = [];
  const codes: string[] = [];
  const pages = Math.max(1, Math.min(40, Math.floor(persons / 100)));
  let after: string | null = null;
  for (let page = 0; page < pages; page += 1) {
    const { json } = await postJson(
      url,
      {
        query: `query($after: String) { persons(first: 50, after: $after) { pageInfo { endCursor hasNextPage } nodes { id travelDocuments { issuingCountry number } fines { paymentCode outstanding amount { amount } } } } }`,
        variables: { after },
      },
      headers,
    );
    const connection = json?.data?.persons;
    if (!connection) throw new Error(`could not read the persons to ask for: ${JSON.stringify(json)}`);
    type Node = { id: string; travelDocuments: { issuingCountry: string; number: string }[]; fines: { paymentCode: string; outstanding: boolean; amount: { amount: string } }[] };
    for (const node of connection.nodes as Node[]) {
      inputs.personIds.push(node.id);
      const document = node.travelDocuments[0];
      if (document) inputs.documents.push({ country: document.issuingCountry, number: document.number, holder: node.id });
      for (const fine of node.fines) {
        codes.push(fine.paymentCode);
        if (fine.outstanding) unpaid.push({ code: fine.paymentCode, amount: String(fine.amount.amount) });
      }
    }
    after = connection.pageInfo.endCursor;
    if (!connection.pageInfo.hasNextPage) break;
    if (page < pages - 1) inputs.cursors.push(after);
  }
  return { inputs, unpaid, codes };
}

/**
 * The whole population in the persons registry's order, with each person's edge cursor and first
 * document, asked of the persons registry alone (its benchmark port), a thousand at a time: no other
 * registry reads any of them, and no gateway sees them, before the cold workloads ask.
 */
export async function gatherPopulation(personsUrl: string): Promise<PopulationRecord[]> {
  const population: PopulationRecord[] = [];
  let after: string | null = null;
  for (;;) {
    const { json } = await postJson(
      personsUrl,
      {
        query: `query($after: String) { persons(first: 1000, after: $after) { pageInfo { endCursor hasNextPage } edges { cursor node { id travelDocuments { issuingCountry number } } } } }`,
        variables: { after },
      },
      {},
    );
    const connection = json?.data?.persons;
    if (!connection) throw new Error(`could not list the population: ${JSON.stringify(json).slice(0, 600)}`);
    type Edge = { cursor: string; node: { id: string; travelDocuments: { issuingCountry: string; number: string }[] } };
    for (const { cursor, node } of connection.edges as Edge[]) {
      const document = node.travelDocuments[0];
      population.push({ id: node.id, cursor, document: document ? { country: document.issuingCountry, number: document.number } : null });
    }
    after = connection.pageInfo.endCursor;
    if (!connection.pageInfo.hasNextPage) return population;
  }
}

/**
 * Cold start: what a gateway does with the first requests after it starts, as after a deployment
 * under load. (a) as shipped (plans warmed from the persisted operations), (a) with
 * QUERY_PLAN_WARMING=off, and (b). The registries are warm by then (every input was read).
 */
type ColdStartKey = 'ours' | 'oursUnwarmed' | 'stock';
const COLD_START_KEYS: ColdStartKey[] = ['ours', 'oursUnwarmed', 'stock'];
const COLD_START_TITLES: Record<ColdStartKey, string> = {
  ours: '(a) as shipped, plans warmed',
  oursUnwarmed: '(a) with QUERY_PLAN_WARMING=off',
  stock: '(b) stock @apollo/gateway + @apollo/server',
};
/** Fresh starts per gateway, the order rotated: a start is one sample, the machine drifts. */
const COLD_START_ROUNDS = 3;

interface Burst {
  /** The workload's first request, alone (its plan is made then unless it was warmed). */
  firstMs: number;
  /** Then `requests` at once. */
  p50Ms: number | null;
  /** From sending all the requests until the last answer. */
  lastMs: number;
  failed: number;
}

/** One start, or the means over the starts. */
interface ColdStart {
  /** From starting the process until it answers (polled every 20 ms). */
  readyMs: number;
  bursts: Record<WorkloadKey, Burst>;
}

/** A workload's first request alone, then `requests` requests at once, each to a different input, each timed. */
async function burst(url: string, headers: Record<string, string>, workload: WorkloadKey, inputs: WorkloadInputs, requests: number): Promise<Burst> {
  const first = performance.now();
  const alone = await postJson(url, { query: WORKLOAD_QUERIES[workload], variables: variablesFor(workload, inputs, 0) }, headers);
  const firstMs = performance.now() - first;
  const sent = performance.now();
  const answers = await Promise.all(
    Array.from({ length: requests }, async (_, n) => {
      const { status, json } = await postJson(url, { query: WORKLOAD_QUERIES[workload], variables: variablesFor(workload, inputs, n) }, headers).catch(() => ({ status: 0, json: null }));
      return { ms: performance.now() - sent, ok: status === 200 && !json?.errors };
    }),
  );
  const latencies = answers.map((answer) => answer.ms).sort((x, y) => x - y);
  const failed = answers.filter((answer) => !answer.ok).length + (alone.status === 200 && !alone.json?.errors ? 0 : 1);
  return { firstMs, p50Ms: percentile(latencies, 0.5), lastMs: latencies[latencies.length - 1], failed };
}

async function measureColdStarts(
  starters: Record<ColdStartKey, (listenOn: number) => Server>,
  options: { headers: Record<string, string>; inputs: WorkloadInputs; requests: number },
): Promise<Record<ColdStartKey, ColdStart>> {
  const samples = Object.fromEntries(COLD_START_KEYS.map((key) => [key, [] as ColdStart[]])) as Record<ColdStartKey, ColdStart[]>;
  for (let round = 0; round < COLD_START_ROUNDS; round += 1) {
    for (const key of rotated(COLD_START_KEYS, round)) {
      const listenOn = await freePort();
      const url = `http://127.0.0.1:${listenOn}/`;
      const started = performance.now();
      const server = starters[key](listenOn);
      // The readiness probe is none of the workloads' operations, so it plans none of them.
      await waitUntil(server, async () => (await postJson(url, { query: '{ __typename }' }, options.headers)).status === 200, 120_000, 20);
      const readyMs = performance.now() - started;
      const bursts = {} as Record<WorkloadKey, Burst>;
      for (const workload of WORKLOADS) bursts[workload] = await burst(url, options.headers, workload, options.inputs, options.requests);
      samples[key].push({ readyMs, bursts });
      await stopServer(server);
    }
  }
  const mean = (values: (number | null)[]) => {
    const present = values.filter((value): value is number => value !== null);
    return present.length ? round(present.reduce((sum, value) => sum + value, 0) / present.length) : null;
  };
  return Object.fromEntries(
    COLD_START_KEYS.map((key) => [
      key,
      {
        readyMs: mean(samples[key].map((sample) => sample.readyMs))!,
        bursts: Object.fromEntries(
          WORKLOADS.map((workload) => {
            const of = samples[key].map((sample) => sample.bursts[workload]);
            return [workload, { firstMs: mean(of.map((b) => b.firstMs))!, p50Ms: mean(of.map((b) => b.p50Ms)), lastMs: mean(of.map((b) => b.lastMs))!, failed: of.reduce((sum, b) => sum + b.failed, 0) }];
          }),
        ) as Record<WorkloadKey, Burst>,
      },
    ]),
  ) as Record<ColdStartKey, ColdStart>;
}

function describeColdStart(coldStart: ColdStart): string {
  const bursts = WORKLOADS.map((workload) => {
    const b = coldStart.bursts[workload];
    return `${workload} first ${b.firstMs} ms, then p50 ${b.p50Ms} ms, last ${b.lastMs} ms${b.failed ? `, ${b.failed} failed` : ''}`;
  });
  return `ready in ${coldStart.readyMs} ms; ${bursts.join('; ')}`;
}

function machine() {
  return {
    cpus: os.cpus().length,
    model: os.cpus()[0]?.model,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    kernel: `${os.type()} ${os.release()}`,
  };
}

export async function runGatewayBench(options: BenchOptions): Promise<void> {
  const profiling = (name: string) => cpuProfileFlags(options.profileDir, name);
  const started = Date.now();
  // The code measured is the code at the start: a commit made while a long run goes on is not in it.
  const git = (args: string[]) => spawnSync('git', args, { cwd: root, encoding: 'utf8' }).stdout?.trim() ?? '';
  const measuredCommit = `${git(['rev-parse', '--short', 'HEAD'])}${git(['status', '--porcelain', '--untracked-files=no']) ? ' with uncommitted changes' : ''}`;
  console.log(`compiling the servers (tsc -p bench/tsconfig.json)...`);
  const build = spawnSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', path.join(root, 'bench/tsconfig.json')], { stdio: 'inherit' });
  if (build.status !== 0) throw new Error('the build failed');
  await (await import('./demo-memory')).printDemoMemory();

  const dataDir = path.join(root, 'data', `bench-${options.persons}`);
  // The registries' data is seeded once and reused; the audit log starts empty in every run, so that
  // runs start from the same state and the log does not grow by every request of every run.
  rmSync(path.join(dataDir, 'audit'), { recursive: true, force: true });
  // Its signed checkpoints with it: they would name the emptied log a reset (subgraphs/audit/checkpoints.ts).
  rmSync(path.join(dataDir, 'audit-checkpoints'), { recursive: true, force: true });
  const temp = mkdtempSync(path.join(os.tmpdir(), 'dmx-bench-'));
  // Subgraph trust as in production: the gateway's Ed25519 key pair, and the applications registry's for its own calls.
  const dashboard = dashboardBench();
  const trust = benchTrust(dashboard);
  const credentials = await benchCredentials(options.officers);
  // Single requests (inputs, samples, cold starts) carry the first officer's token; the load carries them all in turn.
  const headers = { authorization: `Bearer ${credentials.tokens[0]}`, 'x-dmx-purpose': PURPOSE };
  const { tokens } = credentials;

  // Ports: the gateways, each subgraph's signed port (for (a)) and its unsigned benchmark port (for (b), (c)).
  const port = { ours: await freePort(), oursUncached: await freePort(), stock: await freePort(), hive: await freePort(), hiveRouter: await freePort(), oneProcess: await freePort(), baseline: await freePort(), house: await freePort() };
  const signedPorts = {} as Record<SubgraphName, number>;
  const benchPorts = {} as Record<SubgraphName, number>;
  for (const name of SUBGRAPH_NAMES) {
    signedPorts[name] = await freePort();
    benchPorts[name] = await freePort();
  }
  const gatewayUrl = (key: GatewayKey) => `http://127.0.0.1:${port[key]}/`;

  // (b), (c) and (d) get the same supergraph, pointed at the benchmark ports (openSupergraph).
  const openSupergraphText = openSupergraph(readFileSync(path.join(root, 'schema/supergraph.graphql'), 'utf8'), benchPorts);
  const openSupergraphPath = path.join(temp, 'supergraph.graphql');
  writeFileSync(openSupergraphPath, openSupergraphText);

  console.log(`starting the four registries on ${path.relative(root, dataDir)} (${options.persons.toLocaleString('en')} persons; seeded on first use, ~1 min per 100,000)...`);
  // Every server runs as docker-compose.yml runs it, `node [flags] <entry>`: no --enable-source-maps,
  // which costs the gateway about 10 MiB of resident memory (stock (b) runs without it too); (a)
  // with its GATEWAY_NODE_FLAGS.
  const subgraphs = SUBGRAPH_NAMES.map((name) => {
    // Each registry as its main.js runs it, plus its unsigned twin (bench/servers/registry.ts).
    // Not profiled: under V8's profiler a registry (its PGlite is WebAssembly) spent about five times its CPU a request.
    const server = startServer(name, [...REGISTRY_NODE_FLAGS, path.join(dist, 'bench', 'servers', 'registry.js'), name], {
      env: registryEnv({ name, dataDir, persons: options.persons, signedPort: signedPorts[name], benchPort: benchPorts[name], gatewayUrl: `http://127.0.0.1:${port.house}/`, trust }),
    });
    return { name, server };
  });
  const subgraphPids = Object.fromEntries(subgraphs.map(({ name, server }) => [name, server.child.pid!]));
  const statsUrls = SUBGRAPH_NAMES.map((name) => `http://127.0.0.1:${benchPorts[name]}/bench/stats`);
  const seedStarted = Date.now();
  await Promise.all(
    subgraphs.map(({ name, server }) =>
      waitUntil(server, async () => (await fetch(`http://127.0.0.1:${benchPorts[name]}/health`)).ok, 30 * 60_000),
    ),
  );
  const startupSeconds = round((Date.now() - seedStarted) / 1000, 1);
  console.log(`registries ready in ${startupSeconds} s`);

  // The benchmark's client persists its three operations, as a partner's client would: (a) plans them
  // before it serves (QUERY_PLAN_WARMING, on as shipped).
  const manifestPath = path.join(temp, 'persisted-operations.json');
  writeFileSync(manifestPath, JSON.stringify(persistedOperationsManifest(WORKLOADS.map((workload) => parse(WORKLOAD_QUERIES[workload])))));
  const ourSetup = { checkout: root, signedPorts, authTrust: credentials.trust, trust, manifestPath };
  const startOurs = (name: string, listenOn: number, env: Record<string, string> = {}, flags: string[] = [], distFolder = dist) =>
    startOurGateway(name, ourSetup, listenOn, { env, flags, dist: distFolder });
  const startStock = (name: string, listenOn: number) =>
    startServer(name, [path.join(dist, 'bench', 'servers', 'stock-gateway.js')], {
      cwd: root,
      env: { ...BASE_ENV, NODE_ENV: 'production', PORT: String(listenOn), SUPERGRAPH_PATH: openSupergraphPath },
    });
  const startHive = (name: string, listenOn: number, env: Record<string, string> = {}) =>
    startServer(
      name,
      [path.join(path.dirname(require.resolve('@graphql-hive/gateway')), 'bin.js'), 'supergraph', openSupergraphPath, '--host', '127.0.0.1', '--port', String(listenOn), '--fork', '1'],
      // Its own empty folder, so that no gateway config file is picked up: default options.
      { cwd: temp, env: { ...BASE_ENV, NODE_ENV: 'production', ...env }, quiet: true },
    );
  // The registries' own reads of the graph (the presence refresher's feed after the mix's crossings, the
  // outbox's deliveries) go through a gateway of their own, started first and never measured: through
  // (a), they were (a)'s work in every gateway's turn, and the gateway that was also started first and
  // held that port was measured dearer (docs/performance-history.md, "the first place").
  const house: Endpoint = { url: `http://127.0.0.1:${port.house}/`, server: startOurs("ours, for the registries' own reads", port.house) };
  await untilAnswering(house, headers);
  // (a)'s and (a')'s operations listeners on known ports: their garbage collection is read turn by turn.
  const opsPort = { ours: await freePort(), oursUncached: await freePort() };
  const opsUrl = (key: keyof typeof opsPort) => `http://127.0.0.1:${opsPort[key]}/`;
  const starts: Record<GatewayKey, () => Endpoint> = {
    ours: () => ({ url: gatewayUrl('ours'), opsUrl: opsUrl('ours'), server: startOurs('ours', port.ours, { OPS_PORT: String(opsPort.ours) }, profiling(PROFILE_NAMES.ours)) }),
    // What the read cache does: the same gateway asking the registries for every read.
    oursUncached: () => ({
      url: gatewayUrl('oursUncached'),
      opsUrl: opsUrl('oursUncached'),
      server: startOurs('ours, nothing kept', port.oursUncached, { READ_CACHE: 'off', OPS_PORT: String(opsPort.oursUncached) }, profiling(PROFILE_NAMES.oursUncached)),
    }),
    stock: () => ({ url: gatewayUrl('stock'), server: startStock('stock', port.stock) }),
    // Hive serves GraphQL under /graphql.
    hive: () => ({ url: `${gatewayUrl('hive')}graphql`, server: startHive('hive', port.hive) }),
    // The same with its Rust query planner and executor (@graphql-hive/router-runtime), default options otherwise.
    hiveRouter: () => ({ url: `${gatewayUrl('hiveRouter')}graphql`, server: startHive('hive, router runtime', port.hiveRouter, { HIVE_ROUTER_RUNTIME: 'true' }) }),
  };
  // (a₀): another checkout's gateway, as shipped there, beside (a) in the warm workloads (--baseline).
  const startBaseline = (): Contestant => ({ key: 'baseline', url: `http://127.0.0.1:${port.baseline}/`, server: startOurs('baseline', port.baseline, {}, [], path.resolve(options.baseline!)) });
  // One at a time, each alone until it answers, in the order of the turns (--order), which every
  // later "each gateway in turn" follows (the samples, the agencies' first pass): started together, the
  // gateway started first was measured dearer than its twin for a whole run (docs/performance-history.md).
  const gateways = {} as Record<GatewayKey, Endpoint>;
  const startAlone = async <E extends Endpoint>(key: string, start: () => E): Promise<E> => {
    const gateway = start();
    await untilAnswering(gateway, headers).catch((error) => {
      throw new Error(`gateway ${key}: ${(error as Error).message}`);
    });
    return gateway;
  };
  for (const key of options.order) gateways[key] = await startAlone(key, starts[key]);
  const baseline: Contestant | null = options.baseline ? await startAlone('baseline', startBaseline) : null;
  const hiveRouterCheck = routerRuntimeCheck(gateways.hiveRouter.server, gateways.hive.server);
  console.log(`gateways ready; (d) runs the Rust planner: ${hiveRouterCheck.usesRustPlanner} (${hiveRouterCheck.evidence})`);
  console.log("dashboard page: waiting for the presence status to fill, then timing the page's requests...");
  // Through the house gateway, as (a) is configured but never measured: a measured gateway alone
  // serving the page's requests would carry what they leave (its caches) into its turns.
  const dashboardResult = await dashboard.measure(house.url, headers, options.persons);
  console.log(
    `  filled after ${dashboardResult.fillSeconds} s; ${[...dashboardResult.operations, dashboardResult.page].map((timed) => `${timed.name} p50 ${timed.p50Ms} ms, p99 ${timed.p99Ms} ms`).join('; ')}`,
  );

  const { inputs, unpaid, codes } = await gatherInputs(gateways.stock.url, options.persons, headers);
  console.log(`rotating over ${inputs.personIds.length} persons, ${inputs.cursors.length} pages, ${inputs.documents.length} travel documents; ${unpaid.length} unpaid fines for the mix`);

  // The same answers from every gateway, before anything is measured; a gateway that answers errors
  // would look fast.
  const agreement: Record<string, string> = {};
  /** (a)'s answers to the picture samples, which the one-process baseline must give too. */
  const referencePicture: string[] = [];
  for (const workload of WORKLOADS) {
    for (let sample = 0; sample < 3; sample += 1) {
      const body = { query: WORKLOAD_QUERIES[workload], variables: variablesFor(workload, inputs, sample * 7) };
      const answers: Partial<Record<GatewayKey, string>> = {};
      for (const [key, gateway] of [...Object.entries(gateways), ...(baseline ? [['baseline', baseline] as const] : [])]) {
        const { status, json } = await postJson(gateway.url, body, headers);
        if (status !== 200 || json?.errors || !json?.data) throw new Error(`gateway ${key} answered ${workload} with ${status}: ${JSON.stringify(json).slice(0, 600)}`);
        answers[key as GatewayKey] = canonical(json.data);
      }
      if (workload === 'picture') referencePicture.push(answers.ours!);
      for (const key of Object.keys(answers).filter((key) => key !== 'ours') as GatewayKey[]) {
        if (answers[key] !== answers.ours) agreement[`${workload}/${key}`] = 'differs from (a)';
      }
    }
  }
  if (Object.keys(agreement).length > 0) console.warn(`WARNING: answers differ: ${JSON.stringify(agreement)}`);
  else console.log(`the ${GATEWAY_KEYS.length + (baseline ? 1 : 0)} gateways give the same answers (3 samples per workload)`);

  // Side by side: per workload the gateways take turns (see measureInRounds), the first turn
  // rotated per workload.
  const results = {} as Record<WorkloadKey, Record<GatewayKey, Measurement>>;
  const baselineResults = {} as Record<WorkloadKey, Measurement>;
  // In the order asked (--order): each always follows the same one in every round of every phase.
  const contestants = options.order.map((key) => ({ key, ...gateways[key] }));
  const warmContestants = baseline ? [...contestants, baseline] : contestants;
  // (a)'s and (a')'s measured turns by phase and workload: their CPU by thread is printed, and with
  // --profile their profiles are read by them (describeProfiles).
  const profiledTurns = new Map<string, Partial<Record<GatewayKey, Slice[]>>>();
  const keepTurns = (phase: string) => (key: string, turns: Slice[]) => {
    console.log(`  ${GATEWAYS[key as GatewayKey] ?? key}, the registries' garbage collection, ms a request: ${describeRegistryGc(turns)}`);
    if (key !== 'ours' && key !== 'oursUncached') return;
    profiledTurns.set(phase, { ...profiledTurns.get(phase), [key]: turns });
    console.log(`  ${GATEWAYS[key]}, CPU by thread, ms a request: ${describeThreads(turns)}`);
    console.log(`  ${GATEWAYS[key]}, its garbage collection turn by turn, ms a request: ${describeGatewayGc(turns)}`);
  };
  const measuring = { headers, tokens, connections: options.connections, statsUrls, subgraphPids };
  for (const [index, workload] of WORKLOADS.entries()) {
    // Every record the workload asks for, read WARM_PASSES times through each gateway before any is
    // measured: otherwise the first gateway measured pays for warming the registries' caches and the
    // later ones do not, and a gateway's own first passes (plans, (a)'s cached answers) fall into its
    // first turn.
    const distinct = distinctRequests(workload, inputs);
    const plan = (n: number) => workloadRequest(workload, inputs, n);
    console.log(`reading the ${distinct} distinct inputs of ${WORKLOAD_TITLES[workload]} ${WARM_PASSES} times through each gateway (not measured)...`);
    // In the order of the turns (measureInRounds' first turn moves on by workload), so (a) is not always read first.
    for (const gateway of rotated(warmContestants, index)) await readEveryInput(gateway.url, { headers, tokens, plan, connections: Math.min(options.connections, distinct) }, distinct);
    console.log(`measuring ${WORKLOAD_TITLES[workload]}: ${options.rounds} rounds, each gateway ${options.warmup} s warm-up + ${round(options.duration / options.rounds, 2)} s per turn, ${options.connections} connections...`);
    const measured = await measureInRounds(warmContestants, { ...measuring, plan, duration: options.duration, warmup: options.warmup, rounds: options.rounds, keepTurns: keepTurns(`${workload}, warm`) }, index);
    results[workload] = measured as Record<GatewayKey, Measurement>;
    for (const key of GATEWAY_KEYS) console.log(`  ${GATEWAYS[key]}: ${describe(results[workload][key])}`);
    if (baseline) {
      baselineResults[workload] = measured.baseline;
      console.log(`  (a₀) ${options.baseline}: ${describe(measured.baseline)}`);
    }
  }

  // Cold: every request another person, page or document that nobody read before (see coldInputs).
  console.log('listing the population (the persons registry alone, ids and cursors)...');
  const population = await gatherPopulation(`http://127.0.0.1:${benchPorts.persons}/graphql`);
  if (inputs.cursors[1] !== undefined && population[49]?.cursor !== inputs.cursors[1]) console.warn('WARNING: the population\'s cursors are not the pages\' cursors');
  const cold = coldInputs(population, inputs.personIds.length, options.order);
  const coldResults = {} as Record<WorkloadKey, Record<GatewayKey, Measurement>>;
  for (const [index, workload] of WORKLOADS.entries()) {
    const counters = Object.fromEntries(GATEWAY_KEYS.map((key) => [key, { next: 0 }])) as Record<GatewayKey, { next: number }>;
    const turnsTaken = Object.fromEntries(GATEWAY_KEYS.map((key) => [key, 0])) as Record<GatewayKey, number>;
    const slice = (key: string) => cold[workload][key as GatewayKey];
    const warmup = Math.min(options.warmup, COLD_WARMUP_SECONDS);
    console.log(`measuring ${WORKLOAD_TITLES[workload]}, cold: ${distinctRequests(workload, slice('ours'))} unread records per gateway, a share in each of ${options.rounds} rounds of ${warmup} s warm-up + up to ${round(options.duration / options.rounds, 2)} s, ${coldConnections(workload, options.connections)} connections...`);
    const measured = await measureInRounds(
      contestants,
      {
        ...measuring,
        plan: () => {
          throw new Error('each contestant has its own slice');
        },
        duration: options.duration,
        // The warm-up reads unread records of the gateway's own slice too: still cold, but the measured window starts under load.
        warmup,
        rounds: options.rounds,
        connections: coldConnections(workload, options.connections),
        keepTurns: keepTurns(`${workload}, cold`),
        perContestant: (key) => {
          const gateway = key as GatewayKey;
          turnsTaken[gateway] += 1;
          return {
            plan: (n) => workloadRequest(workload, slice(key), n),
            counter: counters[gateway],
            maxRequests: coldTurnShare(distinctRequests(workload, slice(key)) - counters[gateway].next, options.rounds - turnsTaken[gateway] + 1),
          };
        },
      },
      index,
    );
    coldResults[workload] = measured as Record<GatewayKey, Measurement>;
    for (const key of GATEWAY_KEYS) console.log(`  ${GATEWAYS[key]}: ${describe(coldResults[workload][key])}`);
  }

  // Latency at fixed arrival rates (open model): shares of stock's saturation rate measured above.
  const fixedRateResults: FixedRateResult[] = [];
  const rateSeconds = Math.max(2, Math.round(options.duration / 2));
  for (const workload of WORKLOADS) {
    const plan = (n: number) => workloadRequest(workload, inputs, n);
    const rates = fixedRates(results[workload].stock.requestsPerSecond);
    for (const [index, rate] of rates.entries()) {
      console.log(`${WORKLOAD_TITLES[workload]} at ${rate} requests/s (${FIXED_RATE_SHARES[index] * 100} % of stock's saturation), ${rateSeconds} s per gateway...`);
      const measured = await measureInRounds(contestants, { ...measuring, plan, overallRate: rate, duration: rateSeconds, warmup: Math.min(options.warmup, 1), rounds: 1 }, index);
      fixedRateResults.push({ workload, share: FIXED_RATE_SHARES[index], rate, byGateway: measured as Record<GatewayKey, Measurement> });
      for (const key of GATEWAY_KEYS) console.log(`  ${GATEWAYS[key]}: p50 ${measured[key].p50Ms} ms, p99 ${measured[key].p99Ms} ms, ${measured[key].requestsPerSecond} req/s${measured[key].failed ? `, FAILED ${measured[key].failed}` : ''}`);
    }
  }

  // Reads with writes: about 10 % crossings and payments, each gateway its own unpaid fines.
  const payments = Object.fromEntries(GATEWAY_KEYS.map((key, index) => [key, disjointSlices(unpaid, GATEWAY_KEYS.length)[index]])) as Record<GatewayKey, UnpaidPayment[]>;
  const mixCounters = Object.fromEntries(GATEWAY_KEYS.map((key) => [key, { next: 0 }])) as Record<GatewayKey, { next: number }>;
  const writeChecks = Object.fromEntries(GATEWAY_KEYS.map((key) => [key, { crossings: 0, payments: 0, checked: 0, seen: 0, pending: [] as Promise<void>[] }])) as Record<GatewayKey, WriteCheck>;
  console.log(`measuring the read/write mix (1 write in ${WRITE_EVERY}), ${options.rounds} rounds...`);
  const mixResults = (await measureInRounds(contestants, {
    ...measuring,
    plan: () => {
      throw new Error('each contestant has its own payments');
    },
    duration: options.duration,
    warmup: options.warmup,
    rounds: options.rounds,
    perContestant: (key) => {
      const gateway = key as GatewayKey;
      return {
        plan: (n) => mixRequest(inputs, payments[gateway], n, randomUUID(), dateInBaku(new Date())),
        counter: mixCounters[gateway],
        observe: (right, planned) => checkReadAfterWrite(gateways[gateway].url, headers, right, planned, writeChecks[gateway]),
      };
    },
  })) as Record<GatewayKey, Measurement>;
  const readAfterWrite = {} as Record<GatewayKey, WritesSeen>;
  for (const key of GATEWAY_KEYS) {
    await Promise.all(writeChecks[key].pending);
    const { crossings, payments, checked, seen } = writeChecks[key];
    readAfterWrite[key] = { crossings, payments, checked, seen };
    console.log(`  ${GATEWAYS[key]}: ${describe(mixResults[key])}; ${crossings} crossings and ${payments} payments taken, reads after writes ${seen} of ${checked} saw them`);
  }

  // Every partner agency at once, each with its officers' tokens, its scopes and its purposes.
  const kit = new Map(operationKit().map((operation) => [operation.name, operation.text]));
  const agencyDocuments = Object.fromEntries(AGENCY_MIX.map((part) => [part.operation, kit.get(part.operation)!]));
  const purposes = Object.fromEntries(AGENCY_MIX.map((part) => [part.agency, AGENCIES[part.agency].purposes]));
  const agencyPlan = (n: number) => agencyRequest(agencyDocuments, credentials.byAgency, purposes, inputs, codes.length ? codes : ['000000000000'], n);
  console.log(`reading each agency's requests once through each gateway (not measured), then measuring the ${AGENCY_MIX.length} agencies at once...`);
  // The first requests of the mix (each turn starts it again), enough that every agency's operation is
  // planned, its kept answers made and the registries' tables it reads warm before any gateway's turn.
  const agencyFirstPass = Math.min(AGENCY_MIX.length * AGENCY_FIRST_PASS, AGENCY_MIX.length * Math.max(inputs.personIds.length, inputs.documents.length));
  for (const gateway of Object.values(gateways)) await load({ url: gateway.url, headers, plan: agencyPlan, connections: Math.min(options.connections, agencyFirstPass), duration: 0, amount: agencyFirstPass });
  const agencyResults = (await measureInRounds(contestants, { ...measuring, tokens: undefined, plan: agencyPlan, duration: options.duration, warmup: options.warmup, rounds: options.rounds }, 1)) as Record<GatewayKey, Measurement>;
  for (const key of GATEWAY_KEYS) console.log(`  ${GATEWAYS[key]}: ${describe(agencyResults[key])}`);

  const lifetimePeak = Object.fromEntries(Object.entries(gateways).map(([key, gateway]) => [key, peakMemoryMiB(gateway.server.child.pid!)]));

  // Scale: workload 2 through (a) at growing page sizes, one request at a time (latency, not load);
  // and through (a'), which asks the registries every time: their SQL statements per page size.
  const scale: ScaleRow[] = [];
  const scaleOn = async (key: 'ours' | 'oursUncached', pageSize: number): Promise<ScalePoint> => {
    console.log(`scale: persons(first: ${pageSize}) on ${GATEWAYS[key]}, 1 connection, ${options.duration} s...`);
    const { [key]: measured } = await measureInRounds([{ key, ...gateways[key] }], {
      headers,
      tokens,
      plan: (n) => workloadRequest('page', inputs, n, pageSize),
      connections: 1,
      duration: options.duration,
      warmup: Math.min(options.warmup, 2),
      rounds: 1,
      statsUrls,
      subgraphPids,
    });
    console.log(`  p50 ${measured.p50Ms} ms, p99 ${measured.p99Ms} ms, ${measured.sqlPerRequest} SQL/request`);
    return { p50Ms: measured.p50Ms, p99Ms: measured.p99Ms, requests: measured.requests, sqlPerRequest: measured.sqlPerRequest, failed: measured.failed };
  };
  for (const pageSize of options.pageSizes) {
    scale.push({ pageSize, ...(await scaleOn('ours', pageSize)), nothingKept: await scaleOn('oursUncached', pageSize) });
  }

  for (const gateway of Object.values(gateways)) await stopServer(gateway.server);
  if (baseline) await stopServer(baseline.server);
  if (options.profileDir) {
    // What the profiles say is a reading of the run, not part of its results: a profile missing or unreadable loses only it.
    try {
      describeProfiles(options.profileDir, profiledTurns);
    } catch (error) {
      console.warn(`WARNING: the profiles could not be read: ${(error as Error).message}`);
    }
  }

  // Telemetry's cost (issue 22): (a) exporting traces over OTLP to a sink that drops them, its
  // metrics scraped as deployed, against (a) with OTEL_SDK_DISABLED=true; side by side.
  const sink = await startTraceSink();
  const telemetryOps = { on: await freePort(), sampled: await freePort() };
  const scraper = scrapeMetrics(Object.values(telemetryOps));
  const sampling = deployedTraceSampling(root);
  const { generations: telemetryGenerations, ...telemetryRounds } = telemetryTurns(options);
  console.log(`telemetry on (every trace kept, and ${describeSampling(sampling)} as deployed) against off: ${telemetryGenerations} generations of the three gateways, ${telemetryRounds.rounds} rounds of each workload each...`);
  const telemetryMeasured = await measureInGenerations<TelemetryKey>({
    keys: TELEMETRY_KEYS,
    generations: telemetryGenerations,
    workloads: WORKLOADS,
    async start(generation) {
      const settings: Record<TelemetryKey, Record<string, string>> = {
        on: { OTEL_EXPORTER_OTLP_ENDPOINT: sink.url, OPS_PORT: String(telemetryOps.on), OTEL_TRACES_SAMPLER: 'parentbased_always_on' },
        sampled: { OTEL_EXPORTER_OTLP_ENDPOINT: sink.url, OPS_PORT: String(telemetryOps.sampled), ...sampling },
        off: { OTEL_SDK_DISABLED: 'true' },
      };
      const gateways = {} as Record<TelemetryKey, Endpoint>;
      for (const [key, placePort] of placesInTurn(TELEMETRY_KEYS, [port.ours, port.oursUncached, port.stock], generation)) {
        gateways[key] = { url: `http://127.0.0.1:${placePort}/`, server: startOurs(`ours, telemetry ${key} (${generation + 1})`, placePort, settings[key]) };
      }
      for (const gateway of Object.values(gateways)) await untilAnswering(gateway, headers);
      return gateways;
    },
    async prepare(workload, gateways) {
      const plan = (n: number) => workloadRequest(workload, inputs, n);
      const distinct = distinctRequests(workload, inputs);
      for (const gateway of Object.values(gateways)) await readEveryInput(gateway.url, { headers, tokens, plan, connections: Math.min(options.connections, distinct) }, distinct);
      return { ...measuring, plan, ...telemetryRounds };
    },
    log: (line) => console.log(line),
  });
  const telemetry = telemetryMeasured.measured;
  const telemetryByGeneration = Object.fromEntries(
    (['on', 'sampled'] as const).map((key) => [key, Object.fromEntries(WORKLOADS.map((workload) => [workload, generationRatios(telemetryMeasured.byGeneration[workload], key, 'off')]))]),
  ) as Record<'on' | 'sampled', Record<WorkloadKey, (number | null)[]>>;
  for (const workload of WORKLOADS) for (const key of TELEMETRY_KEYS) console.log(`  telemetry ${key}, ${workload}: ${describe(telemetry[workload][key])}`);
  scraper.stop();
  const telemetrySummary = { traceExports: await sink.received(), metricScrapes: scraper.scrapes() };
  const sinkCpuMs = sink.cpuMs();
  await sink.close();
  console.log(`  the sink took ${telemetrySummary.traceExports} trace exports (its own process, ${sinkCpuMs ?? '?'} ms of CPU); /metrics scraped ${telemetrySummary.metricScrapes} times`);

  // Signing's cost (issue 18): the persons registry asked directly, signed as the gateway signs,
  // against its unsigned twin (same process, database and resolvers); the same query.
  const signingClaims = encodeClaims({ agency: 'administrator', subject: 'bench-operator', scopes: AGENCIES.administrator.scopes });
  const signingKey = trust.gateway.privateKey;
  const signingPlan = (signed: boolean) => (n: number) => registryRequest(inputs.personIds, signingClaims, signed ? signingKey : null, n);
  const personsRegistry = subgraphs.find(({ name }) => name === 'persons')!.server;
  const signingContestants = [
    { key: 'signed', url: `http://127.0.0.1:${signedPorts.persons}/graphql`, server: personsRegistry },
    { key: 'unsigned', url: `http://127.0.0.1:${benchPorts.persons}/graphql`, server: personsRegistry },
  ];
  console.log(`signing: the persons registry asked directly, signed against unsigned, ${options.rounds} rounds...`);
  const signing = (await measureInRounds(signingContestants, {
    headers: {},
    connections: options.connections,
    statsUrls: [`http://127.0.0.1:${benchPorts.persons}/bench/stats`],
    subgraphPids: { persons: personsRegistry.child.pid! },
    plan: () => {
      throw new Error('each contestant has its own plan');
    },
    perContestant: (key) => ({ plan: signingPlan(key === 'signed') }),
    duration: options.duration,
    warmup: options.warmup,
    rounds: options.rounds,
  })) as Record<'signed' | 'unsigned', Measurement>;
  for (const key of ['signed', 'unsigned'] as const) console.log(`  ${key}: ${describe(signing[key])}`);

  // Cold start: fresh gateway processes (the registries warm), each workload's first burst.
  const coldStarters: Record<ColdStartKey, (listenOn: number) => Server> = {
    ours: (listenOn) => startOurs('ours (cold start)', listenOn),
    oursUnwarmed: (listenOn) => startOurs('ours, plans not warmed (cold start)', listenOn, { QUERY_PLAN_WARMING: 'off' }),
    stock: (listenOn) => startStock('stock (cold start)', listenOn),
  };
  console.log(`cold start: each gateway started afresh ${COLD_START_ROUNDS} times, then ${options.connections} requests of each workload at once...`);
  const coldStart = await measureColdStarts(coldStarters, { headers, inputs, requests: options.connections });
  for (const key of COLD_START_KEYS) console.log(`  ${COLD_START_TITLES[key]}: ${describeColdStart(coldStart[key])}`);
  await stopServer(house.server);
  for (const { server } of subgraphs) await stopServer(server);

  // Federation overhead: workload 1 on the same resolvers and databases in one process.
  console.log('starting the one-process graph (the same resolvers and databases, no HTTP between them)...');
  const oneProcessUrl = `http://127.0.0.1:${port.oneProcess}/`;
  const oneProcessServer = startServer('one-process', [path.join(dist, 'bench', 'servers', 'one-process.js')], {
    cwd: root,
    env: { ...BASE_ENV, NODE_ENV: 'production', PORT: String(port.oneProcess), DATA_DIR: dataDir, SUPERGRAPH_PATH: openSupergraphPath },
  });
  await untilAnswering({ server: oneProcessServer, url: oneProcessUrl }, headers, 10 * 60_000);
  let oneProcessAgrees = true;
  for (let sample = 0; sample < 3; sample += 1) {
    const { json } = await postJson(oneProcessUrl, { query: WORKLOAD_QUERIES.picture, variables: variablesFor('picture', inputs, sample * 7) }, headers);
    if (!json?.data || json.errors || canonical(json.data) !== referencePicture[sample]) oneProcessAgrees = false;
  }
  if (!oneProcessAgrees) console.warn('WARNING: the one-process graph answers differently from (a)');
  console.log(`measuring ${WORKLOAD_TITLES.picture} in one process...`);
  const { oneProcess } = await measureInRounds([{ key: 'oneProcess', url: oneProcessUrl, server: oneProcessServer }], {
    headers,
    tokens,
    plan: (n) => workloadRequest('picture', inputs, n),
    connections: options.connections,
    duration: options.duration,
    warmup: options.warmup,
    rounds: 1,
    statsUrls: [`${oneProcessUrl}bench/stats`],
    subgraphPids: {},
  });
  console.log(`  ${describe(oneProcess)}`);
  await stopServer(oneProcessServer);
  rmSync(temp, { recursive: true, force: true });

  const benchResults: BenchResults = { warm: results, cold: coldResults, mix: mixResults, agencies: agencyResults, fixedRates: fixedRateResults, telemetry, oneProcess };
  const targets = checkTargets(benchResults);
  const date = new Date().toISOString();
  const report = {
    date,
    commit: measuredCommit,
    machine: machine(),
    settings: {
      persons: options.persons,
      connections: options.connections,
      durationSeconds: options.duration,
      warmupSecondsPerTurn: options.warmup,
      workers: 'each gateway one process (no cluster, no workers); Hive with --fork 1',
      rounds: options.rounds,
      order: `per workload the gateways take turns in the order ${options.order.map(letterOf).join(', ')} (--order; also their cold slices' order), ${options.rounds} each, the order rotated every round; a turn is ${options.warmup} s of load not measured, then ${round(options.duration / options.rounds, 2)} s measured (only answers within it count), after the gateways and registries have gone idle`,
      subgraphs:
        'four processes (NODE_ENV=test, compiled), shared by all the gateways; (a) and (a\') call their signed ports, (b), (c) and (d) their unsigned benchmark ports (DMX_BENCH_PORT): same processes, schemas, resolvers and databases',
      cold: `every request another record nobody read before: the persons after the warm inputs, cut per workload (page ${COLD_SHARES.page * 100} %, picture ${COLD_SHARES.picture * 100} %, document ${COLD_SHARES.document * 100} %) and per gateway into disjoint slices, so no gateway's reads warm another's; no pre-read; each turn an equal share of what is left of its slice, its warm-up (${COLD_WARMUP_SECONDS} s) reading unread records of it too; pages with ${coldConnections('page', options.connections)} connections (a page costs about fifty pictures); a turn ends early when its slice is used up`,
      fixedRates: `arrivals evenly spaced at the rate, not waiting for answers (bench/open-load.ts), over at most ${options.connections} connections (a request due while all are busy waits, and the wait counts), ${Math.max(2, Math.round(options.duration / 2))} s per gateway and rate after ${Math.min(options.warmup, 1)} s not measured, the warm inputs`,
      mix: `1 request in ${WRITE_EVERY} a write (border crossings and payments of unpaid fines in turn, each its own idempotency key; a crossing when a gateway's fines are used up), the others a picture and a status by document in turn over the warm inputs; every ${CHECK_EVERY_NTH_WRITE}th write read back at once through the same gateway`,
      agencies: `the ${AGENCY_MIX.length} partner agencies in turn, each its committed operation (${AGENCY_MIX.map((part) => `${part.agency}: ${part.operation}`).join(', ')}), the tokens of ${OFFICERS_PER_AGENCY} officers each and the agency's purposes in turn`,
      telemetry: `on: every trace kept and exported over OTLP/HTTP (protobuf) to a sink that drops them (a process of its own, beside the load generator), /metrics scraped every ${SCRAPE_INTERVAL_MS / 1000} s as deploy/prometheus.yml; sampled: the same keeping traces as deploy/kubernetes/configmap.yaml says (${describeSampling(sampling)}); off: OTEL_SDK_DISABLED=true; the registries as everywhere else (no OTLP endpoint); ${telemetryGenerations} generations of the three processes (each started afresh, its inputs read twice, each in each place in turn), each ${telemetryRounds.rounds} rounds over ${round(telemetryRounds.duration, 1)} s, each turn ${telemetryRounds.warmup} s of warm-up`,
      signing: 'the persons registry asked directly: its signed port, each request signed as the gateway signs (Ed25519, fresh nonce), against its unsigned twin in the same process; the same query and claims header',
      subgraphJit: process.env.GRAPHQL_JIT || `${DEFAULT_GRAPHQL_JIT} (the default)`,
      loadGenerator: 'autocannon in the benchmark process, on the same machine',
      officers: options.officers,
      headers: `every request to every gateway carries an Authorization bearer token (administrator; under load the tokens of ${options.officers} officers in turn, one per request) and x-dmx-purpose: OVERSIGHT; only (a) checks them`,
      rateLimitPerAgency: '10,000,000 a minute (the limiter runs, its budget does not cap the run)',
      registriesStartupSeconds: startupSeconds,
    },
    answersAgree: Object.keys(agreement).length === 0 ? true : agreement,
    oneProcessAgrees,
    workloads: Object.fromEntries(
      WORKLOADS.map((workload) => [
        workload,
        {
          title: WORKLOAD_TITLES[workload],
          ...results[workload],
          ratios: {
            oursToStock: pairedRatio(results[workload].ours, results[workload].stock),
            oursToHive: pairedRatio(results[workload].ours, results[workload].hive),
            oursUncachedToStock: pairedRatio(results[workload].oursUncached, results[workload].stock),
          },
        },
      ]),
    ),
    lifetimePeakRssMiB: lifetimePeak,
    federationOverhead: {
      oneProcess,
      p50OursToOneProcess: ratio(results.picture.ours.p50Ms, oneProcess.p50Ms),
      p50StockToOneProcess: ratio(results.picture.stock.p50Ms, oneProcess.p50Ms),
      requestsPerSecondOneProcessToOurs: ratio(oneProcess.requestsPerSecond, results.picture.ours.requestsPerSecond),
    },
    hiveRouterCheck,
    cold: {
      recordsPerGateway: Object.fromEntries(WORKLOADS.map((workload) => [workload, distinctRequests(workload, cold[workload].ours)])),
      ...coldResults,
    },
    fixedRates: fixedRateResults,
    mix: { ...mixResults, readAfterWrite },
    agencies: agencyResults,
    telemetry: { ...telemetry, ...telemetrySummary, toOffByGeneration: telemetryByGeneration },
    signing,
    scale,
    coldStart,
    targets,
    dashboard: dashboardResult,
    ...(baseline ? { baseline: { dist: options.baseline, commit: baselineCommit(options.baseline!), ...baselineResults } } : {}),
    totalSeconds: Math.round((Date.now() - started) / 1000),
  };

  const baselineMarkdown = baseline ? `\n\n${renderBaseline(report.baseline!, results)}` : '';
  const markdown = `${renderMarkdown(report, results, oneProcess, scale, coldStart, { cold: coldResults, fixedRates: fixedRateResults, mix: mixResults, readAfterWrite, agencies: agencyResults, telemetry, telemetryByGeneration, signing, hiveRouterCheck, coldRecords: report.cold.recordsPerGateway })}\n\n${dashboardMarkdown(dashboardResult)}${baselineMarkdown}`;
  // A second run on the same day keeps the first: its files are named by the time as well.
  const day = date.slice(0, 10);
  const stamp = existsSync(path.join(__dirname, 'results', `${day}.md`)) ? `${day}-${date.slice(11, 16).replace(':', '')}` : day;
  mkdirSync(path.join(__dirname, 'results'), { recursive: true });
  writeFileSync(path.join(__dirname, 'results', `${stamp}.json`), `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(path.join(__dirname, 'results', `${stamp}.md`), `${markdown}\n`);
  console.log(`\n${markdown}\n\nwritten bench/results/${stamp}.json and bench/results/${stamp}.md (${report.totalSeconds} s)`);
}

/** (a)'s and (a')'s CPU profiles (written when they stopped) in their measured turns of each phase, by area. */
function describeProfiles(dir: string, turns: ReadonlyMap<string, Partial<Record<GatewayKey, Slice[]>>>): void {
  const keys = ['ours', 'oursUncached'] as const;
  const profiles = Object.fromEntries(keys.map((key) => [key, readCpuProfile(path.join(dir, `${PROFILE_NAMES[key]}.cpuprofile`))]));
  console.log(`\n(a)'s and (a')'s CPU profiles in their measured turns, us a request (main thread, wall time; profiles in ${dir})`);
  for (const [phase, byKey] of turns) {
    const areas = Object.fromEntries(keys.map((key) => [key, addTurnsAreas(emptyTurnsAreas(), profiles[key], byKey[key] ?? [])]));
    for (const line of describeAreas(phase, keys, (key) => areas[key])) console.log(line);
  }
}

/** The commit of the checkout whose `dist` folder is the baseline (its parent folder's git). */
function baselineCommit(distFolder: string): string {
  const checkout = path.dirname(path.resolve(distFolder));
  return spawnSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: checkout, encoding: 'utf8' }).stdout?.trim() || 'unknown';
}

/** (a) against (a₀), the baseline checkout's gateway, on the warm workloads. */
function renderBaseline(baseline: { dist?: string; commit: string } & Partial<Record<WorkloadKey, Measurement>>, results: Record<WorkloadKey, Record<GatewayKey, Measurement>>): string {
  const rows = WORKLOADS.flatMap((workload) => {
    const before = baseline[workload]!;
    const after = results[workload].ours;
    return [
      [WORKLOAD_TITLES[workload], `(a₀) ${baseline.commit}`, before.requestsPerSecond, before.p50Ms, before.p99Ms, before.peakRssMiB, before.gatewayCpuMsPerRequest ?? null, before.subgraphsCpuMsPerRequest ?? null, before.otherLoadShare ?? null, before.failed, null],
      [WORKLOAD_TITLES[workload], '(a) this checkout', after.requestsPerSecond, after.p50Ms, after.p99Ms, after.peakRssMiB, after.gatewayCpuMsPerRequest ?? null, after.subgraphsCpuMsPerRequest ?? null, after.otherLoadShare ?? null, after.failed, pairedRatio(after, before)],
    ];
  });
  return [
    `## Before and after: (a₀), the gateway of ${baseline.commit} (\`--baseline ${baseline.dist}\`), beside (a), taking turns in the warm workloads`,
    '',
    markdownTable(['workload', 'gateway', 'requests/s', 'p50 ms', 'p99 ms', 'gateway peak MiB', 'gateway CPU ms/request', 'registries CPU ms/request', 'other load', 'failed', 'a/a₀ (median of the rounds)'], rows),
  ].join('\n');
}

function renderMarkdown(
  report: { date: string; machine: ReturnType<typeof machine>; settings: { persons: number; connections: number; officers: number; durationSeconds: number; rounds: number }; targets: ReturnType<typeof checkTargets> },
  results: Record<WorkloadKey, Record<GatewayKey, Measurement>>,
  oneProcess: Measurement,
  scale: ScaleRow[],
  coldStart: Record<ColdStartKey, ColdStart>,
  more: {
    cold: Record<WorkloadKey, Record<GatewayKey, Measurement>>;
    coldRecords: Record<string, number>;
    fixedRates: FixedRateResult[];
    mix: Record<GatewayKey, Measurement>;
    readAfterWrite: Record<GatewayKey, WritesSeen>;
    agencies: Record<GatewayKey, Measurement>;
    telemetry: Record<WorkloadKey, Record<TelemetryKey, Measurement>>;
    telemetryByGeneration: Record<'on' | 'sampled', Record<WorkloadKey, (number | null)[]>>;
    signing: Record<'signed' | 'unsigned', Measurement>;
    hiveRouterCheck: { usesRustPlanner: boolean; evidence: string };
  },
): string {
  const { machine: m, settings } = report;
  const row = (title: string, gateway: string, r: Measurement) => [title, gateway, r.requestsPerSecond, r.p50Ms, r.p99Ms, r.peakRssMiB, r.sqlPerRequest, r.subgraphFetchesPerRequest ?? null, r.stateProbesPerRequest ?? null, r.gatewayCpuMsPerRequest ?? null, r.subgraphsCpuMsPerRequest ?? null, r.otherLoadShare ?? null, r.failed];
  const header = ['workload', 'gateway', 'requests/s', 'p50 ms', 'p99 ms', 'gateway peak MiB', 'SQL/request', 'subgraph fetches/request', 'state probes/request', 'gateway CPU ms/request', 'registries CPU ms/request', 'other load', 'failed'];
  const rows = WORKLOADS.flatMap((workload) => GATEWAY_KEYS.map((key) => row(WORKLOAD_TITLES[workload], GATEWAYS[key], results[workload][key])));
  const coldRows = WORKLOADS.flatMap((workload) => GATEWAY_KEYS.map((key) => [...row(`${WORKLOAD_TITLES[workload]}, cold`, GATEWAYS[key], more.cold[workload][key]), more.cold[workload][key].requests]));
  const mixedRows = [
    ...GATEWAY_KEYS.map((key) => {
      const writes = more.readAfterWrite[key];
      return [...row('reads with 10 % writes', GATEWAYS[key], more.mix[key]), `${writes.crossings} / ${writes.payments}`, `${writes.seen} of ${writes.checked}`];
    }),
    ...GATEWAY_KEYS.map((key) => [...row('seven agencies at once', GATEWAYS[key], more.agencies[key]), null, null]),
  ];
  const rateRows = more.fixedRates.map((r) => [WORKLOAD_TITLES[r.workload], `${r.share * 100} % (${r.rate}/s)`, ...GATEWAY_KEYS.flatMap((key) => [r.byGateway[key].p50Ms, r.byGateway[key].p99Ms, r.byGateway[key].failed]), p99AgainstPeers(r)]);
  const ratioRow = (name: string, of: Record<WorkloadKey, Record<GatewayKey, Measurement>>, a: GatewayKey, b: GatewayKey) => [name, ...WORKLOADS.map((workload) => pairedRatio(of[workload][a], of[workload][b]))];
  rows.push([WORKLOAD_TITLES.picture, 'one process, no gateway hop', oneProcess.requestsPerSecond, oneProcess.p50Ms, oneProcess.p99Ms, oneProcess.peakRssMiB, oneProcess.sqlPerRequest, null, null, oneProcess.gatewayCpuMsPerRequest ?? null, null, oneProcess.otherLoadShare ?? null, oneProcess.failed]);
  const registries = SUBGRAPH_NAMES as readonly string[];
  const byRegistry = WORKLOADS.flatMap((workload) =>
    GATEWAY_KEYS.map((key) => {
      const byName = results[workload][key].subgraphCpuMsPerRequestByName ?? {};
      return [WORKLOAD_TITLES[workload], GATEWAYS[key], ...registries.map((name) => byName[name] ?? null)];
    }),
  );
  return [
    `Run ${report.date.slice(0, 16).replace('T', ' ')} UTC on ${m.cpus} × ${m.model}, ${m.memoryGiB} GiB, Node ${m.node}: ${settings.persons.toLocaleString('en')} persons, ${settings.connections} connections, the tokens of ${settings.officers} officers in turn, ${settings.durationSeconds} s measured per gateway and workload in ${settings.rounds} turns, the gateways taking turns.`,
    '',
    `(d) runs the Rust query planner: ${more.hiveRouterCheck.usesRustPlanner ? 'yes' : 'NO'} (${more.hiveRouterCheck.evidence}).`,
    '',
    markdownTable(header, rows),
    '',
    `Cold: every request another record nobody read before, each gateway its own slice (${Object.entries(more.coldRecords).map(([workload, count]) => `${workload} ${count}`).join(', ')} records per gateway); a turn ends when its slice is used up, so "answered" is how many were measured.`,
    '',
    markdownTable([...header, 'answered'], coldRows),
    '',
    markdownTable([...header, 'crossings / payments taken', 'reads after writes that saw them'], mixedRows),
    '',
    markdownTable(['fixed rate', 'share of stock saturation', ...GATEWAY_KEYS.flatMap((key) => [`${key}: p50 ms`, 'p99 ms', 'failed']), "ours' p99 / the peers' lowest"], rateRows),
    '',
    markdownTable(
      ['telemetry (a)', 'requests/s', 'p50 ms', 'p99 ms', 'gateway CPU ms/request', 'subgraph fetches/request', 'peak MiB'],
      WORKLOADS.flatMap((workload) =>
        TELEMETRY_KEYS.map((key) => {
          const r = more.telemetry[workload][key];
          return [`${WORKLOAD_TITLES[workload]}, ${key}`, r.requestsPerSecond, r.p50Ms, r.p99Ms, r.gatewayCpuMsPerRequest ?? null, r.subgraphFetchesPerRequest ?? null, r.peakRssMiB];
        }),
      ),
    ),
    '',
    ...(['on', 'sampled'] as const).map(
      (key) =>
        `Telemetry ${key}/off in requests/s, each generation of the processes alone (median of its paired rounds): ${WORKLOADS.map((workload) => `${workload} ${more.telemetryByGeneration[key][workload].map((value) => value ?? '-').join(' / ')}`).join('; ')}.`,
    ),
    '',
    markdownTable(
      ['persons registry asked directly', 'requests/s', 'p50 ms', 'p99 ms', 'registry CPU ms/request', 'failed'],
      (['signed', 'unsigned'] as const).map((key) => [key, more.signing[key].requestsPerSecond, more.signing[key].p50Ms, more.signing[key].p99Ms, more.signing[key].subgraphsCpuMsPerRequest ?? null, more.signing[key].failed]),
    ),
    '',
    markdownTable(['registries CPU ms/request, by process', 'gateway', ...registries], byRegistry),
    '',
    markdownTable(
      ['ratio (requests/s, median of the rounds)', ...WORKLOADS.map((workload) => WORKLOAD_TITLES[workload])],
      [
        ['a/b (ours / stock)', ...WORKLOADS.map((workload) => pairedRatio(results[workload].ours, results[workload].stock))],
        ['a/c (ours / Hive)', ...WORKLOADS.map((workload) => pairedRatio(results[workload].ours, results[workload].hive))],
        ["a'/b (ours, READ_CACHE=off / stock)", ...WORKLOADS.map((workload) => pairedRatio(results[workload].oursUncached, results[workload].stock))],
        ratioRow('a/d (ours / Hive, Rust planner)', results, 'ours', 'hiveRouter'),
        ratioRow("a'/d (READ_CACHE=off / Hive, Rust planner)", results, 'oursUncached', 'hiveRouter'),
        ratioRow('d/b (Hive, Rust planner / stock)', results, 'hiveRouter', 'stock'),
        ratioRow('cold: a/b', more.cold, 'ours', 'stock'),
        ratioRow('cold: a/d', more.cold, 'ours', 'hiveRouter'),
        ratioRow("cold: a'/d", more.cold, 'oursUncached', 'hiveRouter'),
        ratioRow("cold: a/a'", more.cold, 'ours', 'oursUncached'),
      ],
    ),
    '',
    markdownTable(
      ['persons per page (1 connection)', '(a): p50 ms', 'p99 ms', 'SQL/request', "(a'), nothing kept: p50 ms", 'p99 ms', 'SQL/request'],
      scale.map((row) => [row.pageSize, row.p50Ms, row.p99Ms, row.sqlPerRequest, row.nothingKept.p50Ms, row.nothingKept.p99Ms, row.nothingKept.sqlPerRequest]),
    ),
    '',
    markdownTable(
      [`cold start (fresh process, ${COLD_START_ROUNDS} starts each)`, 'ready ms', ...WORKLOADS.flatMap((workload) => [`${WORKLOAD_TITLES[workload]}: first request ms`, `then ${settings.connections} at once: p50 ms`, 'last answer ms'])],
      COLD_START_KEYS.map((key) => [
        COLD_START_TITLES[key],
        coldStart[key].readyMs,
        ...WORKLOADS.flatMap((workload) => [coldStart[key].bursts[workload].firstMs, coldStart[key].bursts[workload].p50Ms, coldStart[key].bursts[workload].lastMs]),
      ]),
    ),
    '',
    markdownTable(['target', 'measured', 'met'], report.targets.map((t) => [t.target, t.measured, t.met ? 'yes' : 'no'])),
  ].join('\n');
}

async function main(): Promise<void> {
  const options = parseBenchArgs(process.argv.slice(2));
  try {
    await runGatewayBench(options);
  } finally {
    await stopAll();
  }
  if (!options.skipRules) {
    console.log('\nthe rules benchmark (issue 3)...');
    const rules = spawnSync(
      process.execPath,
      [require.resolve('ts-node/dist/bin.js'), '--transpile-only', path.join(__dirname, 'rules.bench.ts'), '--persons', String(options.persons), '--requests', String(options.requests)],
      { stdio: 'inherit', cwd: root },
    );
    if (rules.status !== 0) throw new Error('the rules benchmark failed');
  }
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
