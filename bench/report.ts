/**
 * Pure helpers of the gateway benchmark: its command line, ratios, the targets it checks and the
 * markdown it prints. No I/O here, so they are unit tested (report.spec.ts).
 */

export interface BenchOptions {
  /** Demo persons in the seeded registries. */
  persons: number;
  /** Seconds of measurement per gateway and workload, over all rounds. */
  duration: number;
  /** Seconds of load (not measured) at the start of each turn, before its measured seconds. */
  warmup: number;
  /** Turns per gateway and workload: the gateways take turns, so that the machine's drift falls on all of them alike. */
  rounds: number;
  /** Concurrent connections of the load generator. */
  connections: number;
  /** Officers of one agency whose tokens the requests carry in turn (each request one officer's). */
  officers: number;
  /** Requests of the rules benchmark's per-request CPU measure. */
  requests: number;
  /** Page sizes of the scale run. */
  pageSizes: number[];
  /** A folder for V8 CPU profiles of (a) and (a') (node --cpu-prof), written when they stop and read by area in their measured turns. */
  profileDir?: string;
  /** Skip the rules benchmark section (issue 3). */
  skipRules: boolean;
  /**
   * Another checkout's compiled `dist` folder: its gateway (`gateway/main.js`) runs as (a₀) beside (a) in
   * the warm workloads, on the same registries and settings, to compare code before and after a change.
   */
  baseline?: string;
  /**
   * The gateways' order (`--order a,a',b,c,d`, the default): of their turns in each round (rotated from
   * round to round, so each always follows the same one) and of their cold slices. To tell what comes of
   * a gateway's place from what comes of the gateway, measure again in another order.
   */
  order: GatewayKey[];
}

/** The gateways by the letters the tables give them. */
export const GATEWAY_LETTERS: Record<string, GatewayKey> = { a: 'ours', "a'": 'oursUncached', b: 'stock', c: 'hive', d: 'hiveRouter' };

/** The letter the tables give a gateway: `a'` for oursUncached. */
export function letterOf(key: GatewayKey): string {
  return Object.keys(GATEWAY_LETTERS).find((letter) => GATEWAY_LETTERS[letter] === key)!;
}

export const DEFAULT_OPTIONS: BenchOptions = {
  persons: 100_000,
  duration: 12,
  warmup: 2,
  rounds: 3,
  connections: 50,
  officers: 20,
  requests: 300,
  pageSizes: [1, 10, 100, 1000],
  skipRules: false,
  order: Object.values(GATEWAY_LETTERS),
};

/** Parses `--name value` pairs (and the `--skip-rules` flag); an unknown or bad option throws, naming it. */
export function parseBenchArgs(argv: readonly string[]): BenchOptions {
  const options = { ...DEFAULT_OPTIONS, pageSizes: [...DEFAULT_OPTIONS.pageSizes], order: [...DEFAULT_OPTIONS.order] };
  for (let index = 0; index < argv.length; index += 1) {
    const flag = argv[index];
    if (flag === '--skip-rules') {
      options.skipRules = true;
      continue;
    }
    const value = argv[index + 1];
    index += 1;
    const whole = (min: number) => {
      const parsed = Number(value);
      if (value === undefined || !Number.isInteger(parsed) || parsed < min) throw new Error(`${flag} must be a whole number >= ${min}`);
      return parsed;
    };
    switch (flag) {
      case '--persons':
        options.persons = whole(1);
        break;
      case '--duration':
        options.duration = whole(1);
        break;
      case '--warmup':
        options.warmup = whole(0);
        break;
      case '--rounds':
        options.rounds = whole(1);
        break;
      case '--connections':
        options.connections = whole(1);
        break;
      case '--officers':
        options.officers = whole(1);
        break;
      case '--requests':
        options.requests = whole(1);
        break;
      case '--profile':
        if (!value) throw new Error(`${flag} needs a folder`);
        options.profileDir = value;
        break;
      case '--baseline':
        if (!value) throw new Error(`${flag} needs another checkout's compiled dist folder`);
        options.baseline = value;
        break;
      case '--page-sizes': {
        const sizes = (value ?? '').split(',').map(Number);
        if (sizes.length === 0 || sizes.some((size) => !Number.isInteger(size) || size < 1 || size > 1000)) {
          throw new Error(`${flag} must be a comma-separated list of page sizes 1-1000`);
        }
        options.pageSizes = sizes;
        break;
      }
      case '--order': {
        const letters = (value ?? '').split(',').map((letter) => letter.trim().replace('′', "'"));
        const order = letters.map((letter) => GATEWAY_LETTERS[letter]);
        if (order.some((key) => key === undefined) || new Set(order).size !== order.length || order.length !== Object.keys(GATEWAY_LETTERS).length) {
          throw new Error(`${flag} must name each of ${Object.keys(GATEWAY_LETTERS).join(',')} once, comma-separated`);
        }
        options.order = order;
        break;
      }
      default:
        throw new Error(`unknown option ${flag}; known: --persons --duration --warmup --rounds --connections --officers --requests --page-sizes --profile --baseline --order --skip-rules`);
    }
  }
  return options;
}

/** a / b rounded to two decimals; null when b is zero or either is missing. */
export function ratio(a: number | undefined, b: number | undefined): number | null {
  if (a === undefined || b === undefined || b === 0 || !Number.isFinite(a) || !Number.isFinite(b)) return null;
  return Math.round((a / b) * 100) / 100;
}

export interface Measurement {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  /** Requests answered with a non-2xx status, or not answered (errors, timeouts). */
  failed: number;
  requests: number;
  sqlPerRequest: number | null;
  /** GraphQL requests the registries served per request (the audit service's records posts are not GraphQL). */
  subgraphFetchesPerRequest?: number | null;
  /** Probes of the registries' state per request (GET /state: (a)'s read cache asking whether what it kept is still the answer). */
  stateProbesPerRequest?: number | null;
  peakRssMiB: number | null;
  /** CPU milliseconds per request of the gateway process, and of the registries (audit included) together. */
  gatewayCpuMsPerRequest?: number | null;
  subgraphsCpuMsPerRequest?: number | null;
  /** The same per registry process, to see where the registries' share goes (the audit's, for one). */
  subgraphCpuMsPerRequestByName?: Record<string, number | null>;
  /**
   * Share of the machine's CPU taken during the measurement by processes outside the benchmark
   * (anything but the load generator, the gateway and the registries): 0 on a quiet machine.
   */
  otherLoadShare?: number | null;
  /** Requests/s of each turn, in the order of the rounds (for ratios paired round by round: `pairedRatio`). */
  roundRates?: number[];
}

/**
 * One turn of load on one server, as measured in its window (after its warm-up seconds): the answers
 * that came in within the window, and what was spent meanwhile.
 */
export interface Slice {
  seconds: number;
  /** Time to answer, in milliseconds, of every answer in the window. */
  latenciesMs: number[];
  /** Answers in the window with a non-2xx status, plus requests of the turn that got no answer (errors, timeouts). */
  failed: number;
  /** SQL statements the registries ran (their outbox relay's own polling left out). */
  statements: number;
  /** GraphQL requests the registries served; null where a server does not count them. */
  fetches: number | null;
  /** Probes of their state they served (GET /state); null where a server does not count them. */
  probes: number | null;
  /** CPU milliseconds of the measured server; null where it cannot be read. */
  serverCpuMs: number | null;
  /** CPU milliseconds of each registry process; null when the registries are not separate processes. */
  registryCpuMs: Record<string, number> | null;
  /** CPU milliseconds of the benchmark process itself (the load generator). */
  loadGeneratorCpuMs: number;
  /** CPU milliseconds the whole machine spent busy, all cores together; null where it cannot be read. */
  machineBusyMs: number | null;
  cores: number;
  /**
   * The turn's whole cost: the same counters from before its first request to after its last answer
   * (the processes gone idle), and every request it sent, warm-up included, and those cut off
   * unanswered at its end, which the servers worked on all the same. Its per-request costs are these:
   * the window's counters hold work of requests answered outside it (under many connections, a
   * request outlives a short window) and the background work of the moment.
   */
  whole?: TurnCost;
}

/** What a whole turn cost: its requests, and what the servers spent on them. */
export interface TurnCost {
  /** Requests sent, answered or not. */
  requests: number;
  /**
   * When the turn began and ended, on the machine's monotonic clock in microseconds (process.hrtime's,
   * which a V8 CPU profile's timestamps count in too): what of a server's profile is this turn's.
   */
  clockUs?: { from: number; to: number };
  statements: number;
  fetches: number | null;
  probes: number | null;
  serverCpuMs: number | null;
  /** The server's CPU by thread (threadCpuMs: `main`, V8's helpers, ...); null where it cannot be read. */
  serverThreadsCpuMs?: Record<string, number> | null;
  registryCpuMs: Record<string, number> | null;
  /** The registries' garbage collection over the turn, all registries together, as V8 reported it (each turn starts after a full one); null where not read. */
  registryGcMs?: GcTime | null;
  /** The measured gateway's own garbage collection over the turn (its `v8js.gc.duration`), where its operations listener is known; null where not read. */
  serverGcMs?: GcTime | null;
}

/** Milliseconds spent in garbage collection: all of it, and full (mark-compact) collections. */
export interface GcTime {
  allMs: number;
  majorMs: number;
}

/** The list begun at position `offset` (wrapping round): the order of the turns in round `offset`. */
export function rotated<T>(list: readonly T[], offset: number): T[] {
  const start = list.length === 0 ? 0 : offset % list.length;
  return [...list.slice(start), ...list.slice(0, start)];
}

/** The nearest-rank percentile of ascending values (`share` 0.5 for p50); null when there are none. */
export function percentile(ascending: readonly number[], share: number): number | null {
  if (ascending.length === 0) return null;
  return ascending[Math.min(ascending.length - 1, Math.max(0, Math.ceil(share * ascending.length) - 1))];
}

/** One server's measurement from its turns: rates over the measured windows together, percentiles over all their answers. */
export function combineSlices(slices: readonly Slice[], peakRssMiB: number | null): Measurement {
  const sum = (pick: (slice: Slice) => number) => slices.reduce((total, slice) => total + pick(slice), 0);
  const sumOrNull = (pick: (slice: Slice) => number | null) => (slices.some((slice) => pick(slice) === null) ? null : sum((slice) => pick(slice)!));
  const latencies = slices.flatMap((slice) => slice.latenciesMs).sort((x, y) => x - y);
  const answered = latencies.length;
  const seconds = sum((slice) => slice.seconds);
  const registryCpu = (pick: (slice: Slice) => Record<string, number> | null) => {
    if (slices.length === 0 || !slices.every((slice) => pick(slice))) return null;
    const byName: Record<string, number> = {};
    for (const slice of slices) for (const [name, ms] of Object.entries(pick(slice)!)) byName[name] = (byName[name] ?? 0) + ms;
    return byName;
  };
  const totalOf = (byName: Record<string, number> | null) => (byName ? Object.values(byName).reduce((total, ms) => total + ms, 0) : null);
  const registries = registryCpu((slice) => slice.registryCpuMs);
  const registriesTotal = totalOf(registries);
  const serverCpu = sumOrNull((slice) => slice.serverCpuMs);
  // Per request: the whole turns' costs over their requests when every turn has them, else the window's over its answers.
  const whole = slices.length > 0 && slices.every((slice) => slice.whole) ? slices.map((slice) => slice.whole!) : null;
  const costed = whole ? whole.reduce((total, cost) => total + cost.requests, 0) : answered;
  const perRequest = (spent: number | null) => (spent === null || costed === 0 ? null : round(spent / costed, 2));
  const wholeSum = (pick: (cost: TurnCost) => number | null) => (!whole || whole.some((cost) => pick(cost) === null) ? null : whole.reduce((total, cost) => total + pick(cost)!, 0));
  const costs = whole
    ? { statements: wholeSum((cost) => cost.statements), fetches: wholeSum((cost) => cost.fetches), probes: wholeSum((cost) => cost.probes), serverCpu: wholeSum((cost) => cost.serverCpuMs), registries: registryCpu((slice) => slice.whole!.registryCpuMs) }
    : { statements: sum((slice) => slice.statements), fetches: sumOrNull((slice) => slice.fetches), probes: sumOrNull((slice) => slice.probes), serverCpu, registries };
  const machineBusy = sumOrNull((slice) => slice.machineBusyMs);
  const capacity = sum((slice) => slice.seconds * 1000 * slice.cores);
  const ours = (serverCpu ?? 0) + (registriesTotal ?? 0) + sum((slice) => slice.loadGeneratorCpuMs);
  return {
    requestsPerSecond: seconds > 0 ? round(answered / seconds, 1) : 0,
    roundRates: slices.map((slice) => (slice.seconds > 0 ? round(slice.latenciesMs.length / slice.seconds, 1) : 0)),
    p50Ms: round(percentile(latencies, 0.5) ?? 0, 1),
    p99Ms: round(percentile(latencies, 0.99) ?? 0, 1),
    requests: answered,
    failed: sum((slice) => slice.failed),
    sqlPerRequest: perRequest(costs.statements),
    subgraphFetchesPerRequest: perRequest(costs.fetches),
    stateProbesPerRequest: perRequest(costs.probes),
    peakRssMiB,
    gatewayCpuMsPerRequest: perRequest(costs.serverCpu),
    subgraphsCpuMsPerRequest: perRequest(totalOf(costs.registries)),
    subgraphCpuMsPerRequestByName: costs.registries ? Object.fromEntries(Object.entries(costs.registries).map(([name, ms]) => [name, perRequest(ms)])) : undefined,
    otherLoadShare: machineBusy === null || serverCpu === null || capacity === 0 ? null : round(Math.max(0, machineBusy - ours) / capacity, 2),
  };
}

export interface TargetCheck {
  target: string;
  measured: string;
  met: boolean;
}

/** A target as measured; `null` values (not measured) never count as met. */
function check(target: string, value: number | null, limit: number, direction: '>=' | '<=', unit = ''): TargetCheck {
  const met = value !== null && (direction === '>=' ? value >= limit : value <= limit);
  return { target: `${target} ${direction} ${limit}${unit}`, measured: value === null ? 'not measured' : `${value}${unit}`, met };
}

/** (a) as shipped, (a) keeping nothing of the registries' answers (READ_CACHE=off), (b), (c), (d) (Hive with the Rust planner). */
export type GatewayKey = 'ours' | 'oursUncached' | 'stock' | 'hive' | 'hiveRouter';
export type WorkloadKey = 'picture' | 'page' | 'document';

/** Latency at one fixed arrival rate (the open model), per gateway. */
export interface FixedRateResult {
  workload: WorkloadKey;
  /** Share of stock's saturation rate. */
  share: number;
  rate: number;
  byGateway: Record<GatewayKey, Measurement>;
}

/** The peers (b), (c) and (d): the gateways that are not ours. */
const PEERS: readonly GatewayKey[] = ['stock', 'hive', 'hiveRouter'];

/**
 * Ours' p99 at a fixed rate over the lowest p99 of the peers that answered at it (below 1: ours' tail
 * is the shortest). Beside the target p99 ≤ 3 × p50, which a gateway with a short median fails sooner:
 * how long the slowest answers are, against the same load through the others. Null when not measured.
 */
export function p99AgainstPeers(row: FixedRateResult): number | null {
  const ours = row.byGateway.ours;
  const peers = PEERS.map((key) => row.byGateway[key]).filter((measured) => measured && measured.requests > 0);
  if (!ours || ours.requests === 0 || peers.length === 0) return null;
  return ratio(ours.p99Ms, Math.min(...peers.map((measured) => measured.p99Ms)));
}

/** What a run measured, as the targets read it; a phase not run is null (or empty). */
export interface BenchResults {
  warm: Record<WorkloadKey, Record<GatewayKey, Measurement>>;
  cold: Record<WorkloadKey, Record<GatewayKey, Measurement>> | null;
  mix: Record<GatewayKey, Measurement> | null;
  agencies: Record<GatewayKey, Measurement> | null;
  fixedRates: readonly FixedRateResult[];
  /**
   * (a) with telemetry on (every trace exported over OTLP, metrics scraped), on keeping the share of
   * traces the Kubernetes manifests deploy (`sampled`), and off (OTEL_SDK_DISABLED=true).
   */
  telemetry: Record<WorkloadKey, { on: Measurement; sampled: Measurement; off: Measurement }> | null;
  oneProcess: Measurement | null;
}

/**
 * a's requests/s over b's, taken round by round (the two turns of a round run minutes apart at most)
 * and the median of those ratios, to two decimals: a drift of the machine's other load over the run
 * cancels out, and one disturbed round does not move it. The ratio of the totals when the rounds
 * cannot be paired.
 */
export function pairedRatio(a: Measurement | undefined, b: Measurement | undefined): number | null {
  const rounds = a?.roundRates?.length ?? 0;
  if (!a?.roundRates || !b?.roundRates || rounds === 0 || b.roundRates.length !== rounds || b.roundRates.some((rate) => rate <= 0)) return ratio(a?.requestsPerSecond, b?.requestsPerSecond);
  const ratios = a.roundRates.map((rate, index) => rate / b.roundRates![index]).sort((x, y) => x - y);
  const middle = Math.floor(rounds / 2);
  const median = rounds % 2 ? ratios[middle] : (ratios[middle - 1] + ratios[middle]) / 2;
  return Math.round(median * 100) / 100;
}

const WORKLOAD_KEYS: WorkloadKey[] = ['picture', 'page', 'document'];

/** The issues' targets (24, 22), checked against what this run measured (reported, never asserted). */
export function checkTargets(results: BenchResults): TargetCheck[] {
  const checks: TargetCheck[] = [];
  const rate = (measurement: Measurement | undefined) => (measurement && measurement.requests > 0 ? measurement.requestsPerSecond : undefined);
  // Gateways measured in the same rounds are compared round by round (pairedRatio); one that answered nothing is not measured.
  const paired = (a: Measurement | undefined, b: Measurement | undefined) => (rate(a) === undefined || rate(b) === undefined ? null : pairedRatio(a, b));
  const loads: [string, Record<WorkloadKey, Record<GatewayKey, Measurement>> | null][] = [
    ['warm', results.warm],
    ['cold', results.cold],
  ];
  for (const [kind, byWorkload] of loads) {
    for (const workload of WORKLOAD_KEYS) {
      const measured = byWorkload?.[workload];
      checks.push(check(`${workload}, ${kind}: requests/s a/b (ours/stock)`, paired(measured?.ours, measured?.stock), 2, '>='));
      checks.push(check(`${workload}, ${kind}: requests/s a/d (ours/Hive, Rust planner)`, paired(measured?.ours, measured?.hiveRouter), 2, '>='));
    }
  }
  checks.push(check("page, cold: requests/s a'/d (nothing kept/Hive, Rust planner)", paired(results.cold?.page.oursUncached, results.cold?.page.hiveRouter), 1.5, '>='));
  const keptPays: [string, Record<GatewayKey, Measurement> | undefined][] = [
    ...WORKLOAD_KEYS.map((workload): [string, Record<GatewayKey, Measurement> | undefined] => [`${workload}, warm`, results.warm[workload]]),
    ...WORKLOAD_KEYS.map((workload): [string, Record<GatewayKey, Measurement> | undefined] => [`${workload}, cold`, results.cold?.[workload]]),
    ['read/write mix', results.mix ?? undefined],
    ['multi-agency mix', results.agencies ?? undefined],
  ];
  for (const [name, measured] of keptPays) checks.push(check(`${name}: requests/s a/a' (ours/nothing kept)`, paired(measured?.ours, measured?.oursUncached), 1, '>='));
  for (const row of results.fixedRates) {
    if (row.share > 0.75) continue;
    const ours = row.byGateway.ours;
    checks.push(check(`${row.workload} at ${Math.round(row.share * 100)} % of stock's saturation (${row.rate}/s): ours p99/p50`, ours.requests > 0 ? ratio(ours.p99Ms, ours.p50Ms) : null, 3, '<='));
  }
  const peak = (gateway: GatewayKey) => Math.max(...Object.values(results.warm).map((byGateway) => byGateway[gateway].peakRssMiB ?? 0));
  checks.push(check('peak memory ours/stock', ratio(peak('ours'), peak('stock')), 1, '<='));
  for (const workload of WORKLOAD_KEYS) {
    // The target is telemetry as deployed; what keeping every trace costs is in the run's telemetry table.
    const measured = results.telemetry?.[workload];
    const kept = paired(measured?.sampled, measured?.off);
    checks.push(check(`${workload}: requests/s lost with telemetry on as deployed (median of the rounds)`, kept === null ? null : Math.round((1 - kept) * 1000) / 10, 5, '<=', ' %'));
  }
  checks.push(check('picture: p50 latency ours/one process', ratio(results.warm.picture.ours.p50Ms, results.oneProcess?.p50Ms), 1.5, '<='));
  return checks;
}

/** A markdown table; numbers are printed with thousands separators. */
export function markdownTable(header: readonly string[], rows: readonly (readonly (string | number | null)[])[]): string {
  const cell = (value: string | number | null) => (value === null ? '–' : typeof value === 'number' ? value.toLocaleString('en') : value);
  return [
    `| ${header.join(' | ')} |`,
    `| ${header.map(() => '---').join(' | ')} |`,
    ...rows.map((row) => `| ${row.map(cell).join(' | ')} |`),
  ].join('\n');
}

/** Rounds to `digits` decimals (for the results file and tables). */
export function round(value: number, digits = 1): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}
