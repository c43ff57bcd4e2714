import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { AGENCIES } from '../gateway/features/authorization/agencies';
import { supergraphForExecution } from '../gateway/features/authorization/policy';
import { encodeClaims } from '../protocol/claims';
import { SUBGRAPH_NAMES, type SubgraphName } from '../protocol/registries';
import { encodeKey, newSigningKeyPair, type SigningKeyPair } from '../protocol/request-signing';
import { GATEWAY_NODE_FLAGS } from '../gateway/node-flags';
import { startServer, type Server } from './processes';

/** What every benchmark process inherits of the benchmark's own environment: nothing else leaks in. */
export const BASE_ENV = { PATH: process.env.PATH, HOME: process.env.HOME, TMPDIR: process.env.TMPDIR };

/**
 * Adds a `NAME=value` setting given on a benchmark's command line (`--ours-env`, `--on-env`) to `env`;
 * false when the text is not one (the caller refuses the option).
 */
export function addEnvSetting(env: Record<string, string>, setting: string | undefined): boolean {
  const match = /^([A-Z_]+)=([\s\S]*)$/.exec(setting ?? '');
  if (match) env[match[1]] = match[2];
  return match !== null;
}

/** How often the benchmark scrapes a gateway's /metrics: as the deployment's Prometheus does (deploy/prometheus.yml). */
export const SCRAPE_INTERVAL_MS = 15_000;

/** The trust between our gateway and the registries in a benchmark run, as in production. */
export interface BenchTrust {
  /** The gateway's key pair: it signs every subgraph request. */
  gateway: SigningKeyPair;
  /** The applications registry's: it calls the graph as itself (its outbox relay). */
  applications: SigningKeyPair;
  /** What the permits registry and our gateway add for the permits registry's own calls (dashboard.bench.ts). */
  registryEnv: (name: SubgraphName) => Record<string, string>;
  gatewayEnv: Record<string, string>;
}

/** Fresh key pairs for a run, with the permits registry's own (dashboard.bench.ts's `registryEnv`, `gatewayEnv`). */
export function benchTrust(permits: Pick<BenchTrust, 'registryEnv' | 'gatewayEnv'>): BenchTrust {
  return { gateway: newSigningKeyPair(), applications: newSigningKeyPair(), registryEnv: permits.registryEnv, gatewayEnv: permits.gatewayEnv };
}

/**
 * Node's flags for a registry the benchmark measures turns against: `global.gc`, with which its twin's
 * POST /bench/gc collects the garbage a turn left before the next turn begins (bench/servers/unsigned-twin.ts).
 */
export const REGISTRY_NODE_FLAGS = ['--expose-gc'];

/**
 * A registry as the benchmark starts it (bench/servers/registry.ts): its signed port for our gateway,
 * its unsigned benchmark port for the others, which assume the administrator's claims (what (a)
 * forwards for the administrator's token).
 */
export function registryEnv(options: { name: SubgraphName; dataDir: string; persons: number; signedPort: number; benchPort: number; gatewayUrl: string; trust: BenchTrust }): Record<string, string | undefined> {
  const { name, trust } = options;
  return {
    ...BASE_ENV,
    NODE_ENV: 'test',
    LOG_LEVEL: 'warn',
    DATA_DIR: options.dataDir,
    DEMO_PERSONS: String(options.persons),
    [`${name.toUpperCase()}_PORT`]: String(options.signedPort),
    [`${name.toUpperCase()}_OPS_PORT`]: '0',
    DMX_BENCH_PORT: String(options.benchPort),
    DMX_BENCH_CLAIMS: encodeClaims({ agency: 'administrator', subject: 'bench-operator', scopes: AGENCIES.administrator.scopes }),
    GATEWAY_PUBLIC_KEY: encodeKey(trust.gateway.publicKey),
    ...(name === 'applications' ? { REGISTRY_PRIVATE_KEY: encodeKey(trust.applications.privateKey) } : {}),
    ...trust.registryEnv(name),
    GATEWAY_URL: options.gatewayUrl,
    GRAPHQL_JIT: process.env.GRAPHQL_JIT ?? '',
  };
}

/**
 * Our gateway as the benchmark starts it: production, every protection on, the rate budget raised so
 * that the run measures the limiter's cost and not its 429s (the default 12,000 a minute is 200
 * requests/s), its own operations listener on a free port (several run at once).
 */
export function ourGatewayEnv(options: { root: string; port: number; signedPorts: Record<SubgraphName, number>; authTrust: string; trust: BenchTrust }): Record<string, string | undefined> {
  const { trust } = options;
  return {
    ...BASE_ENV,
    NODE_ENV: 'production',
    HOST: '127.0.0.1',
    PORT: String(options.port),
    OPS_PORT: '0',
    SUPERGRAPH_PATH: path.join(options.root, 'schema/supergraph.graphql'),
    GATEWAY_PRIVATE_KEY: encodeKey(trust.gateway.privateKey),
    APPLICATIONS_PUBLIC_KEY: encodeKey(trust.applications.publicKey),
    ...trust.gatewayEnv,
    AUTH_TRUST: options.authTrust,
    LIMIT_RATE_PER_AGENCY: '10000000',
    // The scale phase asks pages of up to 1,000 full pictures (the default limit refuses more than about 75).
    LIMIT_MAX_COST: '1000000',
    ...Object.fromEntries(SUBGRAPH_NAMES.map((name) => [`${name.toUpperCase()}_URL`, `http://127.0.0.1:${options.signedPorts[name]}/graphql`])),
  };
}

/** What every process of our gateway needs to reach the benchmark's registries (ourGatewayEnv) and serve its persisted operations. */
export interface OurGatewaySetup {
  /** The checkout whose supergraph it serves; its working directory. */
  checkout: string;
  signedPorts: Record<SubgraphName, number>;
  /** The tokens' trust (AUTH_TRUST). */
  authTrust: string;
  trust: BenchTrust;
  /** The workloads' operations as persisted operations (PERSISTED_OPERATIONS_PATH), planned at start; absent, none. */
  manifestPath?: string;
}

/**
 * Our gateway as deployed (`node` with GATEWAY_NODE_FLAGS, ourGatewayEnv) on 127.0.0.1:`port`,
 * `env` over its environment, `flags` before its own (a profiler's), compiled in `dist` (the
 * checkout's own `dist` unless another build's, a baseline's, is given); `quiet`: its lines are kept, not printed.
 */
export function startOurGateway(name: string, setup: OurGatewaySetup, port: number, options: { env?: Record<string, string>; flags?: string[]; dist?: string; quiet?: boolean } = {}): Server {
  const { checkout, manifestPath } = setup;
  const main = path.join(options.dist ?? path.join(checkout, 'dist'), 'gateway', 'main.js');
  return startServer(name, [...(options.flags ?? []), ...GATEWAY_NODE_FLAGS, main], {
    cwd: checkout,
    quiet: options.quiet,
    env: {
      ...ourGatewayEnv({ root: checkout, port, signedPorts: setup.signedPorts, authTrust: setup.authTrust, trust: setup.trust }),
      ...(manifestPath ? { PERSISTED_OPERATIONS_PATH: manifestPath } : {}),
      ...options.env,
    },
  });
}

/**
 * The supergraph for the gateways that cannot sign ((b), (c), (d)): its subgraph URLs pointed at the
 * registries' unsigned benchmark ports, and without the SECURITY marker that @apollo/gateway refuses
 * (gateway/features/authorization/policy.ts): the authorization (a) enforces is not asked of them.
 */
export function openSupergraph(supergraphSdl: string, benchPorts: Record<SubgraphName, number>): string {
  return supergraphForExecution(supergraphSdl).replace(
    /@join__graph\(name: "(\w+)", url: "[^"]*"\)/g,
    (_match, name: SubgraphName) => `@join__graph(name: "${name}", url: "http://127.0.0.1:${benchPorts[name]}/graphql")`,
  );
}

/**
 * The trace sampling the Kubernetes manifests deploy (deploy/kubernetes/configmap.yaml, OTEL_TRACES_SAMPLER
 * and OTEL_TRACES_SAMPLER_ARG), read from the file, so that the benchmark's "as deployed" is what is.
 */
export function deployedTraceSampling(root: string): { OTEL_TRACES_SAMPLER: string; OTEL_TRACES_SAMPLER_ARG?: string } {
  const data = (parse(readFileSync(path.join(root, 'deploy/kubernetes/configmap.yaml'), 'utf8')) as { data?: Record<string, string> }).data ?? {};
  if (!data.OTEL_TRACES_SAMPLER) throw new Error('deploy/kubernetes/configmap.yaml sets no OTEL_TRACES_SAMPLER');
  return { OTEL_TRACES_SAMPLER: data.OTEL_TRACES_SAMPLER, ...(data.OTEL_TRACES_SAMPLER_ARG !== undefined ? { OTEL_TRACES_SAMPLER_ARG: String(data.OTEL_TRACES_SAMPLER_ARG) } : {}) };
}

/** A sampling setting as the report names it: `parentbased_traceidratio 0.1`. */
export function describeSampling(sampling: { OTEL_TRACES_SAMPLER: string; OTEL_TRACES_SAMPLER_ARG?: string }): string {
  return [sampling.OTEL_TRACES_SAMPLER, sampling.OTEL_TRACES_SAMPLER_ARG].filter(Boolean).join(' ');
}
