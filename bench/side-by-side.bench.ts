import path from 'node:path';
import { generationsDefaults, GENERATIONS_FLAGS, readGenerationsFlag, readWorkloads, requireData, startBenchRegistries, type GenerationsOptions } from './bench-registries';
import { describe, gatherInputs, gatherPopulation, generationRatios, load, measureInGenerations, placesInTurn, readEveryInput, untilAnswering, type Endpoint } from './gateways.bench';
import { freePort, stopAll } from './processes';
import { addEnvSetting, startOurGateway } from './environments';
import { addTurnsAreas, cpuProfileFlags, describeAreas, emptyTurnsAreas, readCpuProfile, type TurnsAreas } from './profile-share';
import { pairedRatio, type WorkloadKey } from './report';
import { COLD_WARMUP_SECONDS, coldConnections, coldInputs, coldSharesAmong, coldTurnShare, distinctRequests, workloadRequest, type WorkloadInputs } from './workloads';

/**
 * Our gateway in two or more settings, side by side, on warm or cold loads: what one lever costs or
 * saves, measured with more turns than `npm run bench` gives it. Each `--gateway key[:NAME=value,...]`
 * is this checkout's gateway as the benchmark starts (a), with those settings added; the first is the
 * reference the others are divided by. Like bench/telemetry.bench.ts, the gateways' processes are
 * started afresh for each of `--generations` and take the places in turn (measureInGenerations), and
 * each generation measures `--rounds` rounds, the gateways' turns neighbours in time.
 *
 * Warm (`--mode warm`): the first pages' persons, read twice before they are measured, as in the
 * benchmark. Cold (`--mode cold`): every request another record nobody read before, each gateway its
 * own slice of the population (coldInputs), used up over all its turns in equal shares; no pre-read.
 * `--fill picture,page,document` has each process first read those workloads' warm inputs, as
 * `npm run bench`'s warm phases do before its cold ones, so that a cold load meets a cache holding answers;
 * `--fill-seconds N` then has each serve N seconds of each of those loads (as that benchmark's measured
 * warm turns do, N about its rounds times warm-up and turn), not measured.
 *
 *   npx ts-node --transpile-only bench/side-by-side.bench.ts --data /tmp/copy/bench-100000 --persons 100000 \
 *     --mode cold --workloads picture,document --gateway a --gateway "a':READ_CACHE=off" --generations 4 --rounds 4
 *
 * The data folder is written to (the audit log): point it at a copy.
 */
export interface SideBySideOptions extends GenerationsOptions {
  mode: 'warm' | 'cold';
  /** The gateways by key, each with its own settings; the first is the reference. */
  gateways: Map<string, Record<string, string>>;
  /** Workloads whose warm inputs each process reads first (readEveryInput), before anything is measured. */
  fill: WorkloadKey[];
  /** Seconds of each fill workload's load each process then serves, not measured. */
  fillSeconds: number;
}

export function parseArgs(argv: readonly string[]): SideBySideOptions {
  const options: Partial<SideBySideOptions> = { ...generationsDefaults(24), mode: 'warm', gateways: new Map(), fill: [], fillSeconds: 0 };
  for (let index = 0; index < argv.length; index += 2) {
    const [flag, value] = [argv[index], argv[index + 1]];
    if (readGenerationsFlag(options, flag, value)) continue;
    if (flag === '--gateway' && value) {
      const [key, settings = ''] = value.split(/:(.*)/s);
      const env: Record<string, string> = {};
      for (const setting of settings ? settings.split(',') : []) if (!addEnvSetting(env, setting)) throw new Error(`--gateway ${value}: ${JSON.stringify(setting)} is not NAME=value`);
      if (!key || options.gateways!.has(key)) throw new Error(`--gateway ${value}: each gateway needs a key of its own`);
      options.gateways!.set(key, env);
    } else if (flag === '--mode') {
      if (value !== 'warm' && value !== 'cold') throw new Error(`--mode must be warm or cold, not ${JSON.stringify(value)}`);
      options.mode = value;
    } else if (flag === '--fill') options.fill = readWorkloads(flag, value);
    else if (flag === '--fill-seconds') {
      const seconds = Number(value);
      if (!Number.isInteger(seconds) || seconds < 0) throw new Error('--fill-seconds must be a whole number >= 0');
      options.fillSeconds = seconds;
    } else throw new Error(`unknown option ${flag}; known: ${GENERATIONS_FLAGS} --gateway key[:NAME=value,...] (two or more) --mode warm|cold --fill workload,... --fill-seconds N`);
  }
  if (options.gateways!.size < 2) throw new Error('two or more --gateway key[:NAME=value,...] are required');
  return requireData(options) as SideBySideOptions;
}

const root = path.resolve(__dirname, '..');

async function run(options: SideBySideOptions): Promise<void> {
  const keys = [...options.gateways.keys()];
  if (options.generations % keys.length !== 0) console.warn(`--generations ${options.generations} is not a multiple of ${keys.length}: the gateways do not take each place equally often`);
  const placePorts: number[] = [];
  for (const _key of keys) placePorts.push(await freePort());
  const housePort = await freePort();
  const registries = await startBenchRegistries({ root, data: options.data, persons: options.persons, officers: options.officers, gatewayUrl: `http://127.0.0.1:${housePort}/` });
  const { benchPorts, subgraphPids, statsUrls, credentials, headers } = registries;
  const launch = (name: string, port: number, env: Record<string, string> = {}, flags: string[] = []): Endpoint => ({
    url: `http://127.0.0.1:${port}/`,
    server: startOurGateway(name, registries.gateway, port, { env, flags }),
  });
  /** A gateway process's name: its profile's file name, without `.cpuprofile`. */
  const processName = (key: string, generation: number) => `gateway-${key.replace(/[^\w-]/g, '_')}-${generation + 1}`;
  const profiling = (name: string) => cpuProfileFlags(options.profileDir, name);
  // The registries' own reads of the graph (the presence refresher, the outbox) go through a gateway of
  // their own, never measured, as in `npm run bench`: no gateway measured does that work in its turns.
  const house = launch("gateway for the registries' own reads", housePort);
  await untilAnswering(house, headers);

  // Cold: each gateway's own unread records, the persons of the warm inputs left out (gatherInputs reads them).
  let inputs: WorkloadInputs | undefined;
  let cold: Record<WorkloadKey, Record<string, WorkloadInputs>> | undefined;
  const counters = new Map<string, { next: number }>();
  const turnsTaken = new Map<string, number>();
  const totalTurns = options.generations * options.rounds;

  /** Each gateway reads a workload's warm inputs (readEveryInput), then serves `seconds` of its load; the workload's plan over them. */
  const readWarmInputs = async (workload: WorkloadKey, gateways: Record<string, Endpoint>, seconds = 0) => {
    const plan = (n: number) => workloadRequest(workload, inputs!, n);
    const distinct = distinctRequests(workload, inputs!);
    for (const gateway of Object.values(gateways)) {
      const reading = { headers, tokens: credentials.tokens, plan, connections: Math.min(options.connections, distinct) };
      await readEveryInput(gateway.url, reading, distinct);
      if (seconds > 0) await load({ url: gateway.url, ...reading, duration: seconds });
    }
    return plan;
  };

  console.log(`${keys.join(', ')} side by side, ${options.mode}: ${options.generations} generations, ${options.rounds} rounds of each workload each...`);
  const { measured, byGeneration, turnsByGeneration } = await measureInGenerations<string>({
    keys,
    generations: options.generations,
    workloads: options.workloads,
    start: async (generation) => {
      const gateways: Record<string, Endpoint> = {};
      for (const [key, port] of placesInTurn(keys, placePorts, generation)) {
        gateways[key] = launch(`gateway ${key} (${generation + 1})`, port, options.gateways.get(key), profiling(processName(key, generation)));
      }
      for (const gateway of Object.values(gateways)) await untilAnswering(gateway, headers);
      inputs ??= (await gatherInputs(gateways[keys[0]].url, options.persons, headers)).inputs;
      for (const workload of options.fill) await readWarmInputs(workload, gateways, options.fillSeconds);
      if (options.mode === 'cold' && !cold) {
        console.log('listing the population (the persons registry alone)...');
        cold = coldInputs(await gatherPopulation(`http://127.0.0.1:${benchPorts.persons}/graphql`), inputs.personIds.length, keys, 50, coldSharesAmong(options.workloads));
        for (const workload of options.workloads) console.log(`  ${workload}: ${distinctRequests(workload, cold[workload][keys[0]])} unread records per gateway`);
      }
      return gateways;
    },
    prepare: async (workload, gateways) => {
      const common = { headers, tokens: credentials.tokens, statsUrls, subgraphPids, duration: options.duration / options.generations, rounds: options.rounds };
      if (options.mode === 'warm') return { ...common, plan: await readWarmInputs(workload, gateways), connections: options.connections, warmup: options.warmup };
      const slice = (key: string) => cold![workload][key];
      return {
        ...common,
        plan: () => {
          throw new Error('each gateway has its own slice');
        },
        connections: coldConnections(workload, options.connections),
        warmup: Math.min(options.warmup, COLD_WARMUP_SECONDS),
        perContestant: (key: string) => {
          const id = `${workload} ${key}`;
          const counter = counters.get(id) ?? { next: 0 };
          counters.set(id, counter);
          const taken = (turnsTaken.get(id) ?? 0) + 1;
          turnsTaken.set(id, taken);
          return { plan: (n: number) => workloadRequest(workload, slice(key), n), counter, maxRequests: coldTurnShare(distinctRequests(workload, slice(key)) - counter.next, totalTurns - taken + 1) };
        },
      };
    },
    log: (line) => console.log(line),
  });

  for (const workload of options.workloads) for (const key of keys) console.log(`  ${key}, ${workload}: ${describe(measured[workload][key])}`);
  const reference = keys[0];
  console.log(`\neach against ${reference}: requests/s (the median of the paired rounds; the whole turns' totals), the gateway's CPU a request, each generation's median`);
  console.log('workload   gateway   paired   totals   CPU a request   by generation');
  for (const workload of options.workloads) {
    for (const key of keys.slice(1)) {
      const [own, base] = [measured[workload][key], measured[workload][reference]];
      const ratio = (a: number | null | undefined, b: number | null | undefined) => (a && b ? (a / b).toFixed(3) : '-');
      const generations = generationRatios(byGeneration[workload], key, reference).map((value) => value ?? '-').join(' / ');
      console.log(`${workload.padEnd(10)} ${key.padEnd(9)} ${String(pairedRatio(own, base)).padStart(6)}   ${ratio(own.requestsPerSecond, base.requestsPerSecond).padStart(6)}   ${ratio(own.gatewayCpuMsPerRequest, base.gatewayCpuMsPerRequest).padStart(13)}   ${generations}`);
    }
  }
  if (!options.profileDir) return;

  // Each profile read once (tens of megabytes), each workload's measured turns taken from it.
  const areas = new Map<string, TurnsAreas>();
  for (const key of keys) {
    for (let generation = 0; generation < options.generations; generation += 1) {
      const profile = readCpuProfile(path.join(options.profileDir, `${processName(key, generation)}.cpuprofile`));
      for (const workload of options.workloads) {
        const id = `${workload} ${key}`;
        areas.set(id, addTurnsAreas(areas.get(id) ?? emptyTurnsAreas(), profile, turnsByGeneration[workload][generation][key]));
      }
    }
  }
  console.log(`\nthe gateways' CPU profiles in their measured turns, us a request (main thread, wall time; profiles in ${options.profileDir})`);
  for (const workload of options.workloads) for (const line of describeAreas(workload, keys, (key) => areas.get(`${workload} ${key}`)!)) console.log(line);
}

if (require.main === module) {
  run(parseArgs(process.argv.slice(2)))
    .catch((error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    })
    .finally(() => stopAll());
}
