import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'graphql';
import { persistedOperationsManifest } from '../codegen/persisted-operations';
import { SUBGRAPH_NAMES, type SubgraphName } from '../protocol/registries';
import { dashboardBench } from './dashboard.bench';
import { benchTrust, REGISTRY_NODE_FLAGS, registryEnv, type OurGatewaySetup } from './environments';
import { benchCredentials, WORKLOADS } from './gateways.bench';
import { freePort, startServer, waitUntil } from './processes';
import type { WorkloadKey } from './report';
import { WORKLOAD_QUERIES } from './workloads';

/** The registries as the benchmarks that compare our gateway with itself start them, and what those gateways need. */
export interface BenchRegistries {
  /** Each registry's benchmark port: its counters (`/bench/stats`) and health. */
  benchPorts: Record<SubgraphName, number>;
  subgraphPids: Record<string, number>;
  statsUrls: string[];
  credentials: Awaited<ReturnType<typeof benchCredentials>>;
  /** The first officer's token and the purpose every workload is asked under. */
  headers: Record<string, string>;
  /** What our gateways need to reach these registries (startOurGateway). */
  gateway: OurGatewaySetup;
}

/**
 * What bench/telemetry.bench.ts, bench/side-by-side.bench.ts and bench/tail.ts share: the servers compiled
 * (`tsc -p bench/tsconfig.json` into `dist`), the audit log of the data folder emptied, the four
 * registries started on it as `npm run bench` starts them (seeded with `persons` on first use), their
 * reads of the graph sent to `gatewayUrl` (`env` added to theirs), and the trust, tokens and persisted
 * operations of our gateways.
 */
export async function startBenchRegistries(options: { root: string; data: string; persons: number; officers: number; gatewayUrl: string; env?: Record<string, string> }): Promise<BenchRegistries> {
  const { root, data } = options;
  console.log('compiling the servers (tsc -p bench/tsconfig.json)...');
  const build = spawnSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', path.join(root, 'bench/tsconfig.json')], { stdio: 'inherit' });
  if (build.status !== 0) throw new Error('the build failed');
  rmSync(path.join(data, 'audit'), { recursive: true, force: true });
  rmSync(path.join(data, 'audit-checkpoints'), { recursive: true, force: true });
  const trust = benchTrust(dashboardBench());
  const credentials = await benchCredentials(options.officers);
  const headers = { authorization: `Bearer ${credentials.tokens[0]}`, 'x-dmx-purpose': 'OVERSIGHT' };
  const signedPorts = {} as Record<SubgraphName, number>;
  const benchPorts = {} as Record<SubgraphName, number>;
  for (const name of SUBGRAPH_NAMES) {
    signedPorts[name] = await freePort();
    benchPorts[name] = await freePort();
  }
  console.log(`starting the registries on ${data}...`);
  const subgraphs = SUBGRAPH_NAMES.map((name) => ({
    name,
    server: startServer(name, [...REGISTRY_NODE_FLAGS, path.join(root, 'dist', 'bench', 'servers', 'registry.js'), name], {
      env: { ...registryEnv({ name, dataDir: data, persons: options.persons, signedPort: signedPorts[name], benchPort: benchPorts[name], gatewayUrl: options.gatewayUrl, trust }), ...options.env },
    }),
  }));
  await Promise.all(subgraphs.map(({ name, server }) => waitUntil(server, async () => (await fetch(`http://127.0.0.1:${benchPorts[name]}/health`)).ok, 30 * 60_000)));
  const manifestPath = path.join(mkdtempSync(path.join(os.tmpdir(), 'dmx-bench-operations-')), 'persisted-operations.json');
  writeFileSync(manifestPath, JSON.stringify(persistedOperationsManifest(WORKLOADS.map((workload) => parse(WORKLOAD_QUERIES[workload])))));
  return {
    benchPorts,
    subgraphPids: Object.fromEntries(subgraphs.map(({ name, server }) => [name, server.child.pid!])),
    statsUrls: SUBGRAPH_NAMES.map((name) => `http://127.0.0.1:${benchPorts[name]}/bench/stats`),
    credentials,
    headers,
    gateway: { checkout: root, signedPorts, authTrust: credentials.trust, trust, manifestPath },
  };
}

/** What the benchmarks comparing our gateway with itself (over generations, measureInGenerations) all take. */
export interface GenerationsOptions {
  /** The data folder: a copy of a seeded `data/bench-<persons>`, or an empty folder to seed. */
  data: string;
  persons: number;
  /** Seconds measured per gateway and workload, over all generations and rounds. */
  duration: number;
  warmup: number;
  /** Rounds of each workload per generation. */
  rounds: number;
  /** Generations of the gateways' processes (measureInGenerations): each started afresh and measured alone. */
  generations: number;
  connections: number;
  officers: number;
  workloads: WorkloadKey[];
  /** A folder for V8 CPU profiles of the gateways, written when they stop; each bench prints what their measured turns hold. */
  profileDir?: string;
}

/** Their defaults: two thousand persons, four generations of three rounds. */
export function generationsDefaults(duration: number): Omit<GenerationsOptions, 'data'> {
  return { persons: 2000, duration, warmup: 1, rounds: 3, generations: 4, connections: 50, officers: 20, workloads: [...WORKLOADS] };
}

/** Flags that GenerationsOptions' fields are read from, for the benches' usage lines. */
export const GENERATIONS_FLAGS = '--data --persons --duration --warmup --rounds --generations --connections --officers --workloads --profile';

/** Reads `flag value` into `options` if it is one of GENERATIONS_FLAGS (false if not); throws on a bad value, naming the flag. */
export function readGenerationsFlag(options: Partial<GenerationsOptions>, flag: string, value: string | undefined): boolean {
  const whole = (min: number) => {
    const parsed = Number(value);
    if (!Number.isInteger(parsed) || parsed < min) throw new Error(`${flag} must be a whole number >= ${min}`);
    return parsed;
  };
  if (flag === '--data' && value) options.data = path.resolve(value);
  else if (flag === '--profile' && value) options.profileDir = path.resolve(value);
  else if (flag === '--persons') options.persons = whole(1);
  else if (flag === '--duration') options.duration = whole(1);
  else if (flag === '--warmup') options.warmup = whole(0);
  else if (flag === '--rounds') options.rounds = whole(1);
  else if (flag === '--generations') options.generations = whole(1);
  else if (flag === '--connections') options.connections = whole(1);
  else if (flag === '--officers') options.officers = whole(1);
  else if (flag === '--workloads') options.workloads = readWorkloads(flag, value);
  else return false;
  return true;
}

/** A flag's comma-separated workloads; throws, naming the flag, on any other name. */
export function readWorkloads(flag: string, value: string | undefined): WorkloadKey[] {
  const chosen = (value ?? '').split(',') as WorkloadKey[];
  if (!chosen.every((workload) => WORKLOADS.includes(workload))) throw new Error(`${flag}: some of ${WORKLOADS.join(',')}`);
  return chosen;
}

/** The data folder is required: a benchmark writes to it (the audit log). */
export function requireData<T extends Partial<GenerationsOptions>>(options: T): T & { data: string } {
  if (!options.data) throw new Error('--data <folder> is required (a copy of a seeded data/bench-<persons>, or an empty folder to seed)');
  return options as T & { data: string };
}
