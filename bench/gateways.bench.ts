import autocannon from 'autocannon';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, SignJWT } from 'jose';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'graphql';
import { persistedOperationsManifest } from '../codegen/persisted-operations';
import { AGENCIES } from '../gateway/features/authorization/agencies';
import { supergraphForExecution } from '../gateway/features/authorization/policy';
import { GATEWAY_NODE_FLAGS } from '../gateway/node-flags';
import { AUDIENCE } from '../gateway/features/authentication/tokens';
import { encodeClaims } from '../protocol/claims';
import { encodeKey, newSigningKeyPair } from '../protocol/request-signing';
import { SUBGRAPH_NAMES, type SubgraphName } from '../protocol/registries';
import { cpuMs, freePort, machineBusyMs, peakMemoryMiB, resetPeakMemory, startServer, stopAll, stopServer, waitUntil, type Server } from './processes';
import {
  checkTargets,
  combineSlices,
  markdownTable,
  parseBenchArgs,
  percentile,
  ratio,
  rotated,
  round,
  type BenchOptions,
  type GatewayKey,
  type Measurement,
  type Slice,
  type WorkloadKey,
} from './report';
import { expectedIn, isRightAnswer, variablesFor, WORKLOAD_QUERIES, WORKLOAD_TITLES, type WorkloadInputs } from './workloads';
import { presenceBench, presenceMarkdown } from './presence.bench';

/**
 * The gateway benchmark (issue 6): our gateway in its production configuration, stock Apollo gateway
 * and Hive Gateway, side by side on the same subgraph processes and data; the federation overhead
 * against the same resolvers in one process; SQL statements per request as pages grow. Then the rules
 * benchmark (issue 3). See README, "Performance".
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
};
const WORKLOADS: WorkloadKey[] = ['picture', 'page', 'document'];
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

/** A page size: through (a), and through (a') (READ_CACHE=off), whose SQL statements are the registries' cost of the page. */
type ScaleRow = ScalePoint & { pageSize: number; nothingKept: ScalePoint };

interface Endpoint {
  server: Server;
  url: string;
}

async function postJson(url: string, body: unknown, headers: Record<string, string>): Promise<{ status: number; json: any }> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  return { status: response.status, json: await response.json().catch(() => null) };
}

/**
 * An ES256 key pair made for this run, the gateway's AUTH_TRUST naming it (for the administrator),
 * and the tokens of `officers` administrators (subjects bench-officer-<n>).
 */
async function benchCredentials(officers: number) {
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
  const jwk = await exportJWK(publicKey);
  const kid = `bench-${await calculateJwkThumbprint(jwk)}`;
  const tokens = await Promise.all(
    Array.from({ length: officers }, (_, n) =>
      new SignJWT({ agency: 'administrator', scope: AGENCIES.administrator.scopes.join(' ') })
        .setProtectedHeader({ alg: 'ES256', kid })
        .setIssuer(BENCH_ISSUER)
        .setAudience(AUDIENCE)
        .setSubject(`bench-officer-${n}`)
        .setIssuedAt()
        .setExpirationTime('6h')
        .sign(privateKey),
    ),
  );
  const trust = [{ issuer: BENCH_ISSUER, jwks: { keys: [{ ...jwk, kid, alg: 'ES256', use: 'sig' }] }, agencies: ['administrator'] }];
  return { trust: JSON.stringify(trust), tokens };
}

/**
 * SQL statements the registries sent for requests so far (their outbox relay's own polling left out),
 * the GraphQL requests they served and the probes of their state (GET /state, for (a)'s read cache;
 * null where a server does not count them).
 */
async function registryCounters(statsUrls: string[]): Promise<{ statements: number; fetches: number | null; probes: number | null }> {
  let statements = 0;
  let fetches: number | null = 0;
  let probes: number | null = 0;
  for (const url of statsUrls) {
    const stats = (await (await fetch(url)).json()) as { total: number; byName?: Record<string, number>; graphqlRequests?: number | null; stateRequests?: number };
    statements += stats.total;
    for (const [name, count] of Object.entries(stats.byName ?? {})) if (name.startsWith('outbox.')) statements -= count;
    fetches = typeof stats.graphqlRequests === 'number' && fetches !== null ? fetches + stats.graphqlRequests : null;
    probes = typeof stats.stateRequests === 'number' && probes !== null ? probes + stats.stateRequests : null;
  }
  return { statements, fetches, probes };
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
  /** Bearer tokens the requests carry in turn, the n-th request the (n mod count)-th; else the headers' own. */
  tokens?: readonly string[];
  workload: WorkloadKey;
  inputs: WorkloadInputs;
  connections: number;
  duration: number;
  /** A number of requests instead of a duration. */
  amount?: number;
  pageSize?: number;
}

/**
 * Load on one gateway. Every answer is checked as it arrives (`isRightAnswer`): data, no errors, and
 * the record asked for, so that a gateway answering errors or mixing answers up cannot look fast.
 */
function load(options: LoadOptions, onAnswer?: (right: boolean) => void): autocannon.Instance {
  let n = 0;
  const tokens = options.tokens?.length ? options.tokens : null;
  return autocannon({
    url: options.url,
    connections: options.connections,
    duration: options.duration,
    ...(options.amount ? { amount: options.amount } : {}),
    timeout: 120,
    method: 'POST',
    headers: { 'content-type': 'application/json', ...options.headers },
    requests: [
      {
        setupRequest: (request, context) => {
          context.expected = expectedIn(options.workload, options.inputs, n, options.pageSize);
          const headers = tokens ? { ...request.headers, authorization: `Bearer ${tokens[n % tokens.length]}` } : request.headers;
          return { ...request, headers, body: JSON.stringify({ query: WORKLOAD_QUERIES[options.workload], variables: variablesFor(options.workload, options.inputs, n++, options.pageSize) }) };
        },
        onResponse: (status, body, context) => onAnswer?.(status === 200 && isRightAnswer(body, context.expected as string | null)),
      },
    ],
  });
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

/** One turn: `warmup` seconds of load, then `seconds` measured, counting only what answers in the measured window. */
async function measureTurn(contestant: Contestant, options: RoundsOptions, seconds: number): Promise<Slice> {
  const pid = contestant.server.child.pid!;
  const registryCpu = () => Object.fromEntries(Object.entries(options.subgraphPids).map(([name, subgraph]) => [name, cpuMs(subgraph) ?? 0]));
  const snapshot = () => ({ at: Date.now(), server: cpuMs(pid), registries: registryCpu(), own: ownCpuMs(), machine: machineBusyMs() });
  const latenciesMs: number[] = [];
  let failedAnswers = 0;
  let measuring = false;
  const run = load({ ...options, url: contestant.url, duration: options.warmup + seconds }, (right) => {
    if (measuring && !right) failedAnswers += 1;
  });
  run.on('response', (_client, _statusCode, _bytes, responseTime) => {
    if (measuring) latenciesMs.push(responseTime);
  });
  const start = (async () => {
    await sleep(options.warmup * 1000);
    measuring = true;
    const before = snapshot();
    return { before, counters: await registryCounters(options.statsUrls) };
  })();
  const result = await run;
  measuring = false;
  const after = snapshot();
  const { before, counters } = await start;
  const countersAfter = await registryCounters(options.statsUrls);
  const hasRegistries = Object.keys(options.subgraphPids).length > 0;
  return {
    seconds: (after.at - before.at) / 1000,
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
  };
}

/**
 * Measures the contestants side by side: `rounds` turns each, taking turns (the order rotated every
 * round, starting at `firstTurn`), each turn a warm-up and then duration / rounds seconds measured,
 * the machine left to settle before every turn. Slow drift of the machine's speed thus falls on all
 * contestants alike instead of on whichever was measured last. Peak memory is each server's over
 * all its turns.
 */
async function measureInRounds(contestants: Contestant[], options: RoundsOptions, firstTurn = 0): Promise<Record<string, Measurement>> {
  const slices = new Map<string, Slice[]>(contestants.map((contestant) => [contestant.key, []]));
  for (const contestant of contestants) resetPeakMemory(contestant.server.child.pid!);
  const watched = [...contestants.map((contestant) => contestant.server.child.pid!), ...Object.values(options.subgraphPids)];
  for (let round = 0; round < options.rounds; round += 1) {
    for (const contestant of rotated(contestants, firstTurn + round)) {
      await settle(watched);
      slices.get(contestant.key)!.push(await measureTurn(contestant, options, options.duration / options.rounds));
    }
  }
  return Object.fromEntries(contestants.map((contestant) => [contestant.key, combineSlices(slices.get(contestant.key)!, peakMemoryMiB(contestant.server.child.pid!))]));
}

function describe(measurement: Measurement): string {
  return `${measurement.requestsPerSecond} req/s, p50 ${measurement.p50Ms} ms, p99 ${measurement.p99Ms} ms, ${measurement.sqlPerRequest} SQL/request, ${measurement.subgraphFetchesPerRequest} subgraph fetches/request, ${measurement.stateProbesPerRequest} state probes/request, peak ${measurement.peakRssMiB} MiB, CPU ms/request server ${measurement.gatewayCpuMsPerRequest} registries ${measurement.subgraphsCpuMsPerRequest}, other load ${measurement.otherLoadShare}${measurement.failed ? `, FAILED ${measurement.failed}` : ''}`;
}

async function gatherInputs(url: string, persons: number): Promise<WorkloadInputs> {
  const inputs: WorkloadInputs = { personIds: [], cursors: [null], documents: [] };
  const pages = Math.max(1, Math.min(40, Math.floor(persons / 50)));
  let after: string | null = null;
  for (let page = 0; page < pages; page += 1) {
    const { json } = await postJson(
      url,
      {
        query: `query($after: String) { persons(first: 50, after: $after) { pageInfo { endCursor hasNextPage } nodes { id travelDocuments { issuingCountry number } } } }`,
        variables: { after },
      },
      {},
    );
    const connection = json?.data?.persons;
    if (!connection) throw new Error(`could not read the persons to ask for: ${JSON.stringify(json)}`);
    for (const node of connection.nodes as { id: string; travelDocuments: { issuingCountry: string; number: string }[] }[]) {
      inputs.personIds.push(node.id);
      const document = node.travelDocuments[0];
      if (document) inputs.documents.push({ country: document.issuingCountry, number: document.number, holder: node.id });
    }
    after = connection.pageInfo.endCursor;
    if (!connection.pageInfo.hasNextPage) break;
    if (page < pages - 1) inputs.cursors.push(after);
  }
  return inputs;
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
  const profiling = (name: string) => (options.profileDir ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(options.profileDir)}`, `--cpu-prof-name=${name}.cpuprofile`] : []);
  const started = Date.now();
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
  const gatewayKeys = newSigningKeyPair();
  const applicationsKeys = newSigningKeyPair();
  const presence = presenceBench();
  const credentials = await benchCredentials(options.officers);
  // Single requests (inputs, samples, cold starts) carry the first officer's token; the load carries them all in turn.
  const headers = { authorization: `Bearer ${credentials.tokens[0]}`, 'x-dmx-purpose': PURPOSE };
  const { tokens } = credentials;
  const baseEnv = { PATH: process.env.PATH, HOME: process.env.HOME, TMPDIR: process.env.TMPDIR };

  // Ports: the gateways, each subgraph's signed port (for (a)) and its unsigned benchmark port (for (b), (c)).
  const port = { ours: await freePort(), oursUncached: await freePort(), stock: await freePort(), hive: await freePort(), oneProcess: await freePort() };
  const signedPorts = {} as Record<SubgraphName, number>;
  const benchPorts = {} as Record<SubgraphName, number>;
  for (const name of SUBGRAPH_NAMES) {
    signedPorts[name] = await freePort();
    benchPorts[name] = await freePort();
  }
  const gatewayUrl = (key: GatewayKey) => `http://127.0.0.1:${port[key]}/`;

  // (b) and (c) get the same supergraph with its subgraph URLs pointed at the benchmark ports.
  // Without the SECURITY marker that @apollo/gateway refuses (see gateway/features/authorization/policy.ts); the
  // authorization that (a) enforces is not asked of (b) and (c).
  const supergraph = supergraphForExecution(readFileSync(path.join(root, 'schema/supergraph.graphql'), 'utf8'));
  const openSupergraph = supergraph.replace(
    /@join__graph\(name: "(\w+)", url: "[^"]*"\)/g,
    (_match, name: SubgraphName) => `@join__graph(name: "${name}", url: "http://127.0.0.1:${benchPorts[name]}/graphql")`,
  );
  const openSupergraphPath = path.join(temp, 'supergraph.graphql');
  writeFileSync(openSupergraphPath, openSupergraph);

  console.log(`starting the four registries on ${path.relative(root, dataDir)} (${options.persons.toLocaleString('en')} persons; seeded on first use, ~1 min per 100,000)...`);
  // Every server runs as docker-compose.yml runs it, `node [flags] <entry>`: no --enable-source-maps,
  // which costs the gateway about 10 MiB of resident memory (stock (b) runs without it too); (a)
  // with its GATEWAY_NODE_FLAGS.
  const subgraphs = SUBGRAPH_NAMES.map((name) => {
    // Each registry as its main.js runs it, plus its unsigned twin (bench/servers/registry.ts).
    const server = startServer(name, [...profiling(name), path.join(dist, 'bench', 'servers', 'registry.js'), name], {
      env: {
        ...baseEnv,
        NODE_ENV: 'test',
        LOG_LEVEL: 'warn',
        DATA_DIR: dataDir,
        DEMO_PERSONS: String(options.persons),
        [`${name.toUpperCase()}_PORT`]: String(signedPorts[name]),
        [`${name.toUpperCase()}_OPS_PORT`]: '0',
        DMX_BENCH_PORT: String(benchPorts[name]),
        // What (a) forwards for the administrator's token, assumed on the benchmark port for (b) and (c).
        DMX_BENCH_CLAIMS: encodeClaims({ agency: 'administrator', subject: 'bench-operator', scopes: AGENCIES.administrator.scopes }),
        GATEWAY_PUBLIC_KEY: encodeKey(gatewayKeys.publicKey),
        ...(name === 'applications' ? { REGISTRY_PRIVATE_KEY: encodeKey(applicationsKeys.privateKey) } : {}),
        ...presence.registryEnv(name),
        GATEWAY_URL: gatewayUrl('ours'),
        GRAPHQL_JIT: process.env.GRAPHQL_JIT ?? '',
      },
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
  const startOurs = (name: string, listenOn: number, env: Record<string, string> = {}, flags: string[] = []) =>
    startServer(name, [...flags, ...GATEWAY_NODE_FLAGS, path.join(dist, 'gateway', 'main.js')], {
      cwd: root,
      env: {
        ...baseEnv,
        NODE_ENV: 'production',
        HOST: '127.0.0.1',
        PORT: String(listenOn),
        // Several of our gateways run at once: each its own operations listener, on a free port.
        OPS_PORT: '0',
        SUPERGRAPH_PATH: path.join(root, 'schema/supergraph.graphql'),
        PERSISTED_OPERATIONS_PATH: manifestPath,
        GATEWAY_PRIVATE_KEY: encodeKey(gatewayKeys.privateKey),
        APPLICATIONS_PUBLIC_KEY: encodeKey(applicationsKeys.publicKey),
        ...presence.gatewayEnv,
        AUTH_TRUST: credentials.trust,
        // Every protection stays on; the budget is raised so that the benchmark measures the
        // limiter's cost, not its 429s (the default 12,000 a minute is 200 requests/s).
        LIMIT_RATE_PER_AGENCY: '10000000',
        ...Object.fromEntries(SUBGRAPH_NAMES.map((name) => [`${name.toUpperCase()}_URL`, `http://127.0.0.1:${signedPorts[name]}/graphql`])),
        ...env,
      },
    });
  const startStock = (name: string, listenOn: number) =>
    startServer(name, [path.join(dist, 'bench', 'servers', 'stock-gateway.js')], {
      cwd: root,
      env: { ...baseEnv, NODE_ENV: 'production', PORT: String(listenOn), SUPERGRAPH_PATH: openSupergraphPath },
    });
  const gateways: Record<GatewayKey, Endpoint> = {
    ours: { url: gatewayUrl('ours'), server: startOurs('ours', port.ours, {}, profiling('gateway')) },
    // What the read cache does: the same gateway asking the registries for every read.
    oursUncached: { url: gatewayUrl('oursUncached'), server: startOurs('ours, nothing kept', port.oursUncached, { READ_CACHE: 'off' }) },
    stock: { url: gatewayUrl('stock'), server: startStock('stock', port.stock) },
    hive: {
      // Hive serves GraphQL under /graphql.
      url: `${gatewayUrl('hive')}graphql`,
      server: startServer(
        'hive',
        [path.join(path.dirname(require.resolve('@graphql-hive/gateway')), 'bin.js'), 'supergraph', openSupergraphPath, '--host', '127.0.0.1', '--port', String(port.hive), '--fork', '1'],
        // Its own empty folder, so that no gateway config file is picked up: default options.
        { cwd: temp, env: { ...baseEnv, NODE_ENV: 'production' }, quiet: true },
      ),
    },
  };
  for (const [key, gateway] of Object.entries(gateways)) {
    await waitUntil(gateway.server, async () => (await postJson(gateway.url, { query: '{ __typename }' }, headers)).status === 200, 120_000).catch((error) => {
      throw new Error(`gateway ${key}: ${(error as Error).message}`);
    });
  }
  console.log('gateways ready');
  console.log('presence statistics: waiting for the presence status to fill, then timing DashboardPresence...');
  const presenceResult = await presence.measure(gateways.ours.url, headers, options.persons);
  console.log(`  filled after ${presenceResult.fillSeconds} s; p50 ${presenceResult.p50Ms} ms, p99 ${presenceResult.p99Ms} ms`);

  const inputs = await gatherInputs(gateways.stock.url, options.persons);
  console.log(`rotating over ${inputs.personIds.length} persons, ${inputs.cursors.length} pages, ${inputs.documents.length} travel documents`);

  // The same answers from every gateway, before anything is measured; a gateway that answers errors
  // would look fast.
  const agreement: Record<string, string> = {};
  /** (a)'s answers to the picture samples, which the one-process baseline must give too. */
  const referencePicture: string[] = [];
  for (const workload of WORKLOADS) {
    for (let sample = 0; sample < 3; sample += 1) {
      const body = { query: WORKLOAD_QUERIES[workload], variables: variablesFor(workload, inputs, sample * 7) };
      const answers: Partial<Record<GatewayKey, string>> = {};
      for (const key of Object.keys(gateways) as GatewayKey[]) {
        const { status, json } = await postJson(gateways[key].url, body, headers);
        if (status !== 200 || json?.errors || !json?.data) throw new Error(`gateway ${key} answered ${workload} with ${status}: ${JSON.stringify(json).slice(0, 600)}`);
        answers[key] = canonical(json.data);
      }
      if (workload === 'picture') referencePicture.push(answers.ours!);
      for (const key of ['oursUncached', 'stock', 'hive'] as const) {
        if (answers[key] !== answers.ours) agreement[`${workload}/${key}`] = 'differs from (a)';
      }
    }
  }
  if (Object.keys(agreement).length > 0) console.warn(`WARNING: answers differ: ${JSON.stringify(agreement)}`);
  else console.log('the four gateways give the same answers (3 samples per workload)');

  // Side by side: per workload the gateways take turns (see measureInRounds), the first turn
  // rotated per workload.
  const results = {} as Record<WorkloadKey, Record<GatewayKey, Measurement>>;
  const contestants = (Object.keys(gateways) as GatewayKey[]).map((key) => ({ key, ...gateways[key] }));
  for (const [index, workload] of WORKLOADS.entries()) {
    // Every record the workload asks for, read once through each gateway before any is measured:
    // otherwise the first gateway measured pays for warming the registries' caches and the later ones
    // do not, and a gateway's own first pass (plans, (a)'s kept answers) falls into its first turn.
    const distinct = { picture: inputs.personIds.length, page: inputs.cursors.length, document: inputs.documents.length }[workload];
    console.log(`reading the ${distinct} distinct inputs of ${WORKLOAD_TITLES[workload]} once through each gateway (not measured)...`);
    for (const gateway of Object.values(gateways)) {
      await load({ url: gateway.url, headers, tokens, workload, inputs, connections: Math.min(options.connections, distinct), duration: 0, amount: distinct });
    }
    console.log(`measuring ${WORKLOAD_TITLES[workload]}: ${options.rounds} rounds, each gateway ${options.warmup} s warm-up + ${round(options.duration / options.rounds, 2)} s per turn, ${options.connections} connections...`);
    const measured = await measureInRounds(contestants, { headers, tokens, workload, inputs, connections: options.connections, duration: options.duration, warmup: options.warmup, rounds: options.rounds, statsUrls, subgraphPids }, index);
    results[workload] = measured as Record<GatewayKey, Measurement>;
    for (const key of Object.keys(gateways) as GatewayKey[]) console.log(`  ${GATEWAYS[key]}: ${describe(results[workload][key])}`);
  }
  const lifetimePeak = Object.fromEntries(Object.entries(gateways).map(([key, gateway]) => [key, peakMemoryMiB(gateway.server.child.pid!)]));

  // Scale: workload 2 through (a) at growing page sizes, one request at a time (latency, not load);
  // and through (a'), which asks the registries every time: their SQL statements per page size.
  const scale: ScaleRow[] = [];
  const scaleOn = async (key: 'ours' | 'oursUncached', pageSize: number): Promise<ScalePoint> => {
    console.log(`scale: persons(first: ${pageSize}) on ${GATEWAYS[key]}, 1 connection, ${options.duration} s...`);
    const { [key]: measured } = await measureInRounds([{ key, ...gateways[key] }], {
      headers,
      tokens,
      workload: 'page',
      inputs,
      connections: 1,
      duration: options.duration,
      warmup: Math.min(options.warmup, 2),
      rounds: 1,
      statsUrls,
      subgraphPids,
      pageSize,
    });
    console.log(`  p50 ${measured.p50Ms} ms, p99 ${measured.p99Ms} ms, ${measured.sqlPerRequest} SQL/request`);
    return { p50Ms: measured.p50Ms, p99Ms: measured.p99Ms, requests: measured.requests, sqlPerRequest: measured.sqlPerRequest, failed: measured.failed };
  };
  for (const pageSize of options.pageSizes) {
    scale.push({ pageSize, ...(await scaleOn('ours', pageSize)), nothingKept: await scaleOn('oursUncached', pageSize) });
  }

  for (const gateway of Object.values(gateways)) await stopServer(gateway.server);

  // Cold start: fresh gateway processes (the registries warm), each workload's first burst.
  const coldStarters: Record<ColdStartKey, (listenOn: number) => Server> = {
    ours: (listenOn) => startOurs('ours (cold start)', listenOn),
    oursUnwarmed: (listenOn) => startOurs('ours, plans not warmed (cold start)', listenOn, { QUERY_PLAN_WARMING: 'off' }),
    stock: (listenOn) => startStock('stock (cold start)', listenOn),
  };
  console.log(`cold start: each gateway started afresh ${COLD_START_ROUNDS} times, then ${options.connections} requests of each workload at once...`);
  const coldStart = await measureColdStarts(coldStarters, { headers, inputs, requests: options.connections });
  for (const key of COLD_START_KEYS) console.log(`  ${COLD_START_TITLES[key]}: ${describeColdStart(coldStart[key])}`);
  for (const { server } of subgraphs) await stopServer(server);

  // Federation overhead: workload 1 on the same resolvers and databases in one process.
  console.log('starting the one-process graph (the same resolvers and databases, no HTTP between them)...');
  const oneProcessUrl = `http://127.0.0.1:${port.oneProcess}/`;
  const oneProcessServer = startServer('one-process', [path.join(dist, 'bench', 'servers', 'one-process.js')], {
    cwd: root,
    env: { ...baseEnv, NODE_ENV: 'production', PORT: String(port.oneProcess), DATA_DIR: dataDir, SUPERGRAPH_PATH: openSupergraphPath },
  });
  await waitUntil(oneProcessServer, async () => (await postJson(oneProcessUrl, { query: '{ __typename }' }, headers)).status === 200, 10 * 60_000);
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
    workload: 'picture',
    inputs,
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

  const targets = checkTargets(results, oneProcess);
  const date = new Date().toISOString();
  const git = (args: string[]) => spawnSync('git', args, { cwd: root, encoding: 'utf8' }).stdout?.trim() ?? '';
  const report = {
    date,
    commit: `${git(['rev-parse', '--short', 'HEAD'])}${git(['status', '--porcelain', '--untracked-files=no']) ? ' with uncommitted changes' : ''}`,
    machine: machine(),
    settings: {
      persons: options.persons,
      connections: options.connections,
      durationSeconds: options.duration,
      warmupSecondsPerTurn: options.warmup,
      workers: 'each gateway one process (no cluster, no workers); Hive with --fork 1',
      rounds: options.rounds,
      order: `per workload the gateways take turns, ${options.rounds} each, the order rotated every round; a turn is ${options.warmup} s of load not measured, then ${round(options.duration / options.rounds, 2)} s measured (only answers within it count), after the gateways and registries have gone idle`,
      subgraphs:
        'four processes (NODE_ENV=test, compiled), shared by all the gateways; (a) and (a\') call their signed ports, (b) and (c) their unsigned benchmark ports (DMX_BENCH_PORT): same processes, schemas, resolvers and databases',
      subgraphJit: process.env.GRAPHQL_JIT || 'off',
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
            oursToStock: ratio(results[workload].ours.requestsPerSecond, results[workload].stock.requestsPerSecond),
            oursToHive: ratio(results[workload].ours.requestsPerSecond, results[workload].hive.requestsPerSecond),
            oursUncachedToStock: ratio(results[workload].oursUncached.requestsPerSecond, results[workload].stock.requestsPerSecond),
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
    scale,
    coldStart,
    targets,
    presence: presenceResult,
    totalSeconds: Math.round((Date.now() - started) / 1000),
  };

  const markdown = `${renderMarkdown(report, results, oneProcess, scale, coldStart)}\n\n${presenceMarkdown(presenceResult)}`;
  const stamp = date.slice(0, 10);
  mkdirSync(path.join(__dirname, 'results'), { recursive: true });
  writeFileSync(path.join(__dirname, 'results', `${stamp}.json`), `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(path.join(__dirname, 'results', `${stamp}.md`), `${markdown}\n`);
  console.log(`\n${markdown}\n\nwritten bench/results/${stamp}.json and bench/results/${stamp}.md (${report.totalSeconds} s)`);
}

function renderMarkdown(
  report: { date: string; machine: ReturnType<typeof machine>; settings: { persons: number; connections: number; officers: number; durationSeconds: number; rounds: number }; targets: ReturnType<typeof checkTargets> },
  results: Record<WorkloadKey, Record<GatewayKey, Measurement>>,
  oneProcess: Measurement,
  scale: ScaleRow[],
  coldStart: Record<ColdStartKey, ColdStart>,
): string {
  const { machine: m, settings } = report;
  const rows = WORKLOADS.flatMap((workload) =>
    (['ours', 'oursUncached', 'stock', 'hive'] as const).map((key) => {
      const r = results[workload][key];
      return [WORKLOAD_TITLES[workload], GATEWAYS[key], r.requestsPerSecond, r.p50Ms, r.p99Ms, r.peakRssMiB, r.sqlPerRequest, r.subgraphFetchesPerRequest ?? null, r.stateProbesPerRequest ?? null, r.gatewayCpuMsPerRequest ?? null, r.subgraphsCpuMsPerRequest ?? null, r.otherLoadShare ?? null, r.failed];
    }),
  );
  rows.push([WORKLOAD_TITLES.picture, 'one process, no gateway hop', oneProcess.requestsPerSecond, oneProcess.p50Ms, oneProcess.p99Ms, oneProcess.peakRssMiB, oneProcess.sqlPerRequest, null, null, oneProcess.gatewayCpuMsPerRequest ?? null, null, oneProcess.otherLoadShare ?? null, oneProcess.failed]);
  const registries = SUBGRAPH_NAMES as readonly string[];
  const byRegistry = WORKLOADS.flatMap((workload) =>
    (['ours', 'oursUncached', 'stock', 'hive'] as const).map((key) => {
      const byName = results[workload][key].subgraphCpuMsPerRequestByName ?? {};
      return [WORKLOAD_TITLES[workload], GATEWAYS[key], ...registries.map((name) => byName[name] ?? null)];
    }),
  );
  return [
    `Run ${report.date.slice(0, 16).replace('T', ' ')} UTC on ${m.cpus} × ${m.model}, ${m.memoryGiB} GiB, Node ${m.node}: ${settings.persons.toLocaleString('en')} persons, ${settings.connections} connections, the tokens of ${settings.officers} officers in turn, ${settings.durationSeconds} s measured per gateway and workload in ${settings.rounds} turns, the gateways taking turns.`,
    '',
    markdownTable(['workload', 'gateway', 'requests/s', 'p50 ms', 'p99 ms', 'gateway peak MiB', 'SQL/request', 'subgraph fetches/request', 'state probes/request', 'gateway CPU ms/request', 'registries CPU ms/request', 'other load', 'failed'], rows),
    '',
    markdownTable(['registries CPU ms/request, by process', 'gateway', ...registries], byRegistry),
    '',
    markdownTable(
      ['ratio (requests/s)', ...WORKLOADS.map((workload) => WORKLOAD_TITLES[workload])],
      [
        ['a/b (ours / stock)', ...WORKLOADS.map((workload) => ratio(results[workload].ours.requestsPerSecond, results[workload].stock.requestsPerSecond))],
        ['a/c (ours / Hive)', ...WORKLOADS.map((workload) => ratio(results[workload].ours.requestsPerSecond, results[workload].hive.requestsPerSecond))],
        ["a'/b (ours, READ_CACHE=off / stock)", ...WORKLOADS.map((workload) => ratio(results[workload].oursUncached.requestsPerSecond, results[workload].stock.requestsPerSecond))],
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
