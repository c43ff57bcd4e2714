import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { generationsDefaults, GENERATIONS_FLAGS, readGenerationsFlag, requireData, startBenchRegistries, type GenerationsOptions } from './bench-registries';
import {
  describe,
  gatherInputs,
  readEveryInput,
  scrapeMetrics,
  generationRatios,
  measureInGenerations,
  placesInTurn,
  untilAnswering,
  startTraceSink,
  type Endpoint,
} from './gateways.bench';
import { freePort, stopAll } from './processes';
import { cpuProfileFlags, readCpuProfile, telemetryShare } from './profile-share';
import { addEnvSetting, startOurGateway } from './environments';
import { pairedRatio, type Measurement, type Slice, type WorkloadKey } from './report';
import { distinctRequests, workloadRequest, type WorkloadInputs } from './workloads';

/**
 * The telemetry phase of the gateway benchmark alone (issue 22), for working on telemetry's cost:
 * the registries, then our gateway twice, side by side, as `npm run bench` runs them: on (traces
 * exported over OTLP/HTTP to a sink that drops them, a process of its own, /metrics scraped as deployed) and off
 * (OTEL_SDK_DISABLED=true); the turns alternate, so the ratios hold on a shared machine, and the
 * gateways' processes are started afresh for each of `--generations` (measureInGenerations), since two
 * processes of the same code can differ by more than the cost measured, and take the first place
 * (started and readied first, on the port the registries call the graph at) in turn, since whichever
 * held it was measured dearer, even with both off.
 *
 *   npx ts-node --transpile-only bench/telemetry.bench.ts --data /tmp/copy/bench-2000 --persons 2000 --duration 24 --rounds 3 --generations 4
 *
 * With `--base <checkout>` (another commit's tree, compiled there with `tsc -p bench/tsconfig.json`,
 * its node_modules beside it) that commit's gateway runs too, on and off, in the same turns: before
 * and after a change, measured side by side. `--on-env NAME=value` sets this checkout's gateway with
 * telemetry on only (e.g. OTEL_TRACES_SAMPLER=always_off: metrics, no recorded span); with `--base` at
 * this same checkout, its parts of the cost are measured beside the whole.
 *
 * The data folder is written to (the audit log, its checkpoints): point it at a copy, or at one made
 * for the purpose (seeded on first use with --persons).
 */
/** This checkout's gateway with telemetry on and off; the base checkout's, when given, likewise. */
type GatewayKey = 'on' | 'off' | 'base on' | 'base off';

interface TelemetryBenchOptions extends GenerationsOptions {
  /** Another checkout of the project (its node_modules beside it): its gateway, on and off, measured in the same turns. */
  base?: string;
  /**
   * Settings of this checkout's gateway with telemetry on (`--on-env NAME=value`, repeated), e.g.
   * OTEL_TRACES_SAMPLER=always_off for its metrics without spans; with `--base` at the same checkout,
   * the base's gateway on keeps the defaults, so that the parts of the cost are measured side by side.
   */
  onEnv: Record<string, string>;
}

function parseArgs(argv: readonly string[]): TelemetryBenchOptions {
  const options: Partial<TelemetryBenchOptions> = { ...generationsDefaults(12), onEnv: {} };
  for (let index = 0; index < argv.length; index += 2) {
    const [flag, value] = [argv[index], argv[index + 1]];
    if (readGenerationsFlag(options, flag, value)) continue;
    if (flag === '--base' && value) options.base = path.resolve(value);
    else if (flag === '--on-env' && addEnvSetting(options.onEnv!, value)) continue;
    else throw new Error(`unknown option ${flag}; known: ${GENERATIONS_FLAGS} --base --on-env NAME=value`);
  }
  return requireData(options) as TelemetryBenchOptions;
}

const root = path.resolve(__dirname, '..');

async function run(options: TelemetryBenchOptions): Promise<void> {
  const profiling = (name: string) => cpuProfileFlags(options.profileDir, name);
  /** A gateway process's name: its profile's file name, without `.cpuprofile`. */
  const processName = (key: GatewayKey, generation: number) => `gateway-${key.replace(' ', '-')}-${generation + 1}`;
  // The gateways measured: this checkout's on and off, and the base checkout's when given.
  const keys: GatewayKey[] = options.base ? ['on', 'off', 'base on', 'base off'] : ['on', 'off'];
  if (options.generations % keys.length !== 0) console.warn(`--generations ${options.generations} is not a multiple of ${keys.length}: the gateways do not take each place equally often`);
  const gatewayPorts = {} as Record<GatewayKey, number>;
  for (const key of keys) gatewayPorts[key] = await freePort();
  // The registries read the graph at the first place's port (placesInTurn).
  const registries = await startBenchRegistries({ root, data: options.data, persons: options.persons, officers: options.officers, gatewayUrl: `http://127.0.0.1:${gatewayPorts[keys[0]]}/` });
  const { subgraphPids, statsUrls, credentials, headers } = registries;
  const sink = await startTraceSink();
  // Each gateway keeps its operations port across generations, so that the scraper finds the ones with telemetry on.
  const opsPorts = {} as Record<GatewayKey, number>;
  for (const key of keys) opsPorts[key] = await freePort();
  const isOn = (key: GatewayKey) => !key.endsWith('off');
  // The places' ports: the first is the one the registries call the graph at (placesInTurn).
  const placePorts = keys.map((key) => gatewayPorts[key]);
  const launch = (key: GatewayKey, port: number, generation: number): Endpoint => {
    const checkout = key.startsWith('base') ? options.base! : root;
    const env: Record<string, string> = isOn(key)
      ? { OTEL_EXPORTER_OTLP_ENDPOINT: sink.url, OPS_PORT: String(opsPorts[key]), ...(key === 'on' ? options.onEnv : {}) }
      : { OTEL_SDK_DISABLED: 'true' };
    const name = processName(key, generation);
    const server = startOurGateway(`gateway, ${key} (${generation + 1})`, { ...registries.gateway, checkout }, port, { env, flags: profiling(name) });
    return { url: `http://127.0.0.1:${port}/`, server };
  };
  const scraper = scrapeMetrics(keys.filter(isOn).map((key) => opsPorts[key]));
  let inputs: WorkloadInputs | undefined;
  let results: Record<WorkloadKey, Record<GatewayKey, Measurement>>;
  let byGeneration: Record<WorkloadKey, Record<GatewayKey, Measurement>[]>;
  let turnsByGeneration: Record<WorkloadKey, Record<GatewayKey, Slice[]>[]>;
  try {
    console.log(`telemetry on against off: ${options.generations} generations of the gateways, ${options.rounds} rounds of each workload each...`);
    ({ measured: results, byGeneration, turnsByGeneration } = await measureInGenerations<GatewayKey>({
      keys,
      generations: options.generations,
      workloads: options.workloads,
      start: async (generation) => {
        // In the order of their places: the record's order is the order they are readied in too.
        const gateways = {} as Record<GatewayKey, Endpoint>;
        for (const [key, port] of placesInTurn(keys, placePorts, generation)) gateways[key] = launch(key, port, generation);
        for (const gateway of Object.values(gateways)) await untilAnswering(gateway, headers);
        // The persons to ask about, once: the same inputs in every generation.
        inputs ??= (await gatherInputs(gateways.off.url, options.persons, headers)).inputs;
        return gateways;
      },
      prepare: async (workload, gateways) => {
        const plan = (n: number) => workloadRequest(workload, inputs!, n);
        const distinct = distinctRequests(workload, inputs!);
        for (const gateway of Object.values(gateways)) await readEveryInput(gateway.url, { headers, tokens: credentials.tokens, plan, connections: Math.min(options.connections, distinct) }, distinct);
        return { headers, tokens: credentials.tokens, connections: options.connections, statsUrls, subgraphPids, plan, duration: options.duration / options.generations, warmup: options.warmup, rounds: options.rounds };
      },
      log: (line) => console.log(line),
    }));
    for (const workload of options.workloads) for (const key of keys) console.log(`  telemetry ${key}, ${workload}: ${describe(results[workload][key])}`);
  } finally {
    scraper.stop();
  }
  const exports = await sink.received();
  const sinkCpuMs = sink.cpuMs();
  await sink.close();
  console.log(`\nthe sink took ${exports} trace exports (its own process, ${sinkCpuMs ?? '?'} ms of CPU); /metrics scraped ${scraper.scrapes()} times`);
  console.log('gateways     workload   req/s on  req/s off  lost (median of the rounds)  CPU ms/request on  off  ratio   requests on  off   on/off by generation');
  const pairs: [string, GatewayKey, GatewayKey][] = options.base ? [['this', 'on', 'off'], ['base', 'base on', 'base off']] : [['this', 'on', 'off']];
  for (const workload of options.workloads) {
    for (const [label, onKey, offKey] of pairs) {
      const [on, off] = [results[workload][onKey], results[workload][offKey]];
      // Paired round by round (report.ts pairedRatio): the on and off turns of a round are neighbours in time.
      const kept = pairedRatio(on, off);
      const lost = kept === null ? NaN : (1 - kept) * 100;
      const cpu = on.gatewayCpuMsPerRequest && off.gatewayCpuMsPerRequest ? (on.gatewayCpuMsPerRequest / off.gatewayCpuMsPerRequest).toFixed(2) : '-';
      const generations = generationRatios(byGeneration[workload], onKey, offKey).map((value) => value ?? '-').join(' / ');
      console.log(
        `${label.padEnd(12)} ${workload.padEnd(10)} ${String(on.requestsPerSecond).padStart(8)} ${String(off.requestsPerSecond).padStart(10)}  ${lost.toFixed(1).padStart(5)} %${' '.repeat(22)}${String(on.gatewayCpuMsPerRequest).padStart(17)}  ${String(off.gatewayCpuMsPerRequest).padStart(5)}  ${cpu.padStart(5)}  ${String(on.requests).padStart(11)}  ${String(off.requests).padEnd(5)}  ${generations}`,
      );
    }
  }
  if (options.profileDir) {
    // Within each process, so less moved by the machine's other load than requests/s; only the samples of
    // the measured turns (each whole, its warm-up and its last answers included, as the CPU a request above).
    console.log(`\nthe gateways' CPU profiles in their measured turns (self time; telemetry frames as bench/profile-share.ts names them; profiles in ${options.profileDir})`);
    console.log('gateway    workload   busy us/request  telemetry us/request  other us/request  telemetry share   (main thread, wall time)');
    // The turns' stretches of the clock and requests, beside the profiles, for reading them further.
    const measuredTurns = options.workloads.flatMap((workload) =>
      turnsByGeneration[workload].flatMap((turns, generation) =>
        keys.map((key) => ({
          profile: `${processName(key, generation)}.cpuprofile`,
          workload,
          turns: turns[key].map((turn) => ({ requests: turn.whole?.requests ?? null, clockUs: turn.whole?.clockUs ?? null })),
        })),
      ),
    );
    writeFileSync(path.join(options.profileDir, 'measured-turns.json'), JSON.stringify(measuredTurns, null, 1));
    // Each profile read once (tens of megabytes each, one in memory at a time), each workload's turns taken from it.
    const totals = new Map<string, { busyMs: number; telemetryMs: number; requests: number; frames: Record<string, number> }>();
    for (const key of keys) {
      for (let generation = 0; generation < options.generations; generation += 1) {
        const profile = readCpuProfile(path.join(options.profileDir, `${processName(key, generation)}.cpuprofile`));
        for (const workload of options.workloads) {
          const turns = turnsByGeneration[workload][generation][key];
          const share = telemetryShare(profile, turns.flatMap((turn) => (turn.whole?.clockUs ? [turn.whole.clockUs] : [])));
          const total = totals.get(`${key} ${workload}`) ?? { busyMs: 0, telemetryMs: 0, requests: 0, frames: {} };
          totals.set(`${key} ${workload}`, total);
          total.busyMs += share.busyMs;
          total.telemetryMs += share.telemetryMs;
          total.requests += turns.reduce((sum, turn) => sum + (turn.whole?.requests ?? 0), 0);
          for (const [name, ms] of Object.entries(share.telemetryByFrame)) total.frames[name] = (total.frames[name] ?? 0) + ms;
        }
      }
    }
    for (const workload of options.workloads) {
      for (const key of keys) {
        const { busyMs, telemetryMs, requests, frames } = totals.get(`${key} ${workload}`)!;
        const perRequest = (ms: number) => (requests ? ((ms * 1000) / requests).toFixed(1) : '-');
        console.log(`${key.padEnd(10)} ${workload.padEnd(10)} ${perRequest(busyMs).padStart(15)}  ${perRequest(telemetryMs).padStart(20)}  ${perRequest(busyMs - telemetryMs).padStart(16)}  ${((telemetryMs / busyMs) * 100).toFixed(1).padStart(13)} %`);
        const top = Object.entries(frames).sort(([, a], [, b]) => b - a).slice(0, 6);
        if (top.length > 0) console.log(`           its largest telemetry frames, us/request: ${top.map(([name, ms]) => `${name} ${perRequest(ms)}`).join('; ')}`);
      }
    }
  }
}

if (require.main === module) {
  run(parseArgs(process.argv.slice(2)))
    .catch((error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    })
    .finally(() => stopAll());
}
