import path from 'node:path';
import { z } from 'zod';
import type { KeyObject } from 'node:crypto';
import { developmentSecret, MIN_SIGNING_KEY_LENGTH, parsePrivateKey, parsePublicKey } from '../protocol/request-signing';
import { isIsoDate } from './scalars';

/** Thrown for a bad environment; `main.ts` prints it and exits, naming the variable. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

const port = z.coerce.number().int().min(0).max(65535);
const positiveInt = z.coerce.number().int().positive();
const emptyAsUndefined = (value: unknown) => (value === '' ? undefined : value);
const MIN_CURSOR_KEY_LENGTH = 32;
/** GRAPHQL_JIT's default: an operation text is compiled on its second run. */
export const DEFAULT_GRAPHQL_JIT = 1;
/** The shortest wait between presence refresher passes: each reads a feed through the gateway. */
export const PRESENCE_REFRESH_MIN_INTERVAL_MS = 1000;
/**
 * The longest wait between presence refresher passes (idle, or after a failure): a change waits at most
 * this plus two passes' time to reach the status, within the minute the dashboard promises.
 */
export const PRESENCE_REFRESH_MAX_WAIT_MS = 30_000;

/** An Ed25519 key in a variable (PEM, or the base64 of its DER on one line), parsed once; a bad one names its variable. */
function keyVariable(parse: (text: string) => KeyObject, what: string) {
  return z.preprocess(
    emptyAsUndefined,
    z
      .string()
      .transform((value, context) => {
        try {
          return parse(value);
        } catch {
          context.addIssue({ code: 'custom', message: `is not an Ed25519 ${what} (PEM, or the base64 of its DER)` });
          return z.NEVER;
        }
      })
      .optional(),
  );
}

export const privateKeyVariable = () => keyVariable(parsePrivateKey, 'private key');
export const publicKeyVariable = () => keyVariable(parsePublicKey, 'public key');

/** The variable of the HMAC key every service once shared: set, it is refused with what replaced it. */
export const replacedSigningKey = (replacement: string) =>
  z.preprocess(emptyAsUndefined, z.undefined({ error: `was replaced by ${replacement} (Ed25519 keys; see docs/security.md, "Subgraph trust")` }).optional());

export const subgraphEnvironment = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  HOST: z.string().min(1).default('127.0.0.1'),
  /** Where the operations listener (metrics, health, ready) listens: loopback unless operators' scrapers are elsewhere. */
  OPS_HOST: z.string().min(1).default('127.0.0.1'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Folder of the embedded databases, one sub-folder per subgraph. */
  DATA_DIR: z.string().min(1).default('./data'),
  /** A PostgreSQL server for this subgraph; when absent the embedded PGlite under DATA_DIR is used. */
  DATABASE_URL: z.preprocess(emptyAsUndefined, z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL').optional()),
  DATABASE_MAX_CONNECTIONS: positiveInt.default(10),
  /** The gateway, for the few reads a subgraph makes of other registries (e.g. intake facts). */
  GATEWAY_URL: z.string().url().default('http://127.0.0.1:4000/'),
  /** How many demo persons to generate on first start; 0 starts empty. */
  DEMO_PERSONS: z.coerce.number().int().min(0).max(1_000_000).default(3000),
  DEMO_SEED: z.string().min(1).default('dmx-demo-1'),
  /**
   * The day the demo world is generated up to. Fixed, not today: the four subgraphs seed separately
   * and must generate the same world whenever each of them first starts.
   */
  DEMO_REFERENCE_DATE: z.string().refine(isIsoDate, 'must be a calendar date YYYY-MM-DD').default('2026-11-01'),
  /**
   * The gateway's public key: only requests it signed are answered. Required in production; in
   * development the gateway's key pair under DATA_DIR/keys is used.
   */
  GATEWAY_PUBLIC_KEY: publicKeyVariable(),
  /**
   * This registry's own private key, for its tokens when it calls the graph (the gateway holds the
   * public half as <REGISTRY>_PUBLIC_KEY). Without it in production the registry cannot call the graph;
   * in development a key pair under DATA_DIR/keys is used. The audit log has none.
   */
  REGISTRY_PRIVATE_KEY: privateKeyVariable(),
  SUBGRAPH_SIGNING_KEY: replacedSigningKey('GATEWAY_PUBLIC_KEY and REGISTRY_PRIVATE_KEY'),
  /** The audit subgraph's chain key (HMAC), kept apart from its database; required there in production. */
  AUDIT_KEY: z.preprocess(emptyAsUndefined, z.string().min(MIN_SIGNING_KEY_LENGTH, `must be at least ${MIN_SIGNING_KEY_LENGTH} characters`).optional()),
  /**
   * mercurius's graphql-jit: an operation is compiled after this many runs; 0 turns JIT off. On by
   * default: the gateway sends a registry the same few fetch texts again and again (docs/performance.md).
   */
  GRAPHQL_JIT: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(0).max(1_000_000).default(DEFAULT_GRAPHQL_JIT)),
  /**
   * Counts below this are withheld (null) from a caller who may count records but not read them
   * (aggregates:read): a smaller group could single a person out (platform/aggregates.ts).
   */
  AGGREGATE_MIN_COUNT: z.coerce.number().int().min(2, 'must be at least 2').max(1_000_000).default(10),
  /**
   * The secret this registry seals its cursors with (platform/pagination.ts); required in
   * production, where every replica of a registry must share it. In development a secret of this
   * registry's under DATA_DIR/keys is used.
   */
  CURSOR_KEY: z.preprocess(emptyAsUndefined, z.string().min(MIN_CURSOR_KEY_LENGTH, `must be at least ${MIN_CURSOR_KEY_LENGTH} characters`).optional()),
  /**
   * The permits registry: the wait between presence refresher passes that find work (milliseconds).
   * Idle passes wait longer, up to six of these and never past PRESENCE_REFRESH_MAX_WAIT_MS (nor may
   * this), so that the status stays within a minute of a crossing or a permit.
   */
  PRESENCE_REFRESH_INTERVAL_MS: z.coerce
    .number({ error: 'must be a number of milliseconds' })
    .int('must be a whole number of milliseconds')
    .min(PRESENCE_REFRESH_MIN_INTERVAL_MS, `must be at least ${PRESENCE_REFRESH_MIN_INTERVAL_MS} ms`)
    .max(PRESENCE_REFRESH_MAX_WAIT_MS, `must be at most ${PRESENCE_REFRESH_MAX_WAIT_MS} ms (the presence status must stay within a minute of a change)`)
    .default(5000),
})
  .refine((env) => env.NODE_ENV !== 'production' || env.CURSOR_KEY, {
    message: `is required in production (a random secret of ${MIN_CURSOR_KEY_LENGTH} or more characters, the same for every replica of the registry)`,
    path: ['CURSOR_KEY'],
  })
  .refine((env) => env.NODE_ENV !== 'production' || env.GATEWAY_PUBLIC_KEY, {
    message: "is required in production (the gateway's Ed25519 public key)",
    path: ['GATEWAY_PUBLIC_KEY'],
  });

export type SubgraphEnvironment = z.infer<typeof subgraphEnvironment>;

/**
 * The secret a registry seals its cursors with: CURSOR_KEY, else outside production a development
 * secret of this registry's kept under DATA_DIR/keys (production refuses to start without the variable).
 */
export function cursorSecret(env: SubgraphEnvironment, registry: string): string {
  return env.CURSOR_KEY ?? developmentCursorSecret(env.DATA_DIR, registry);
}

/** A registry's development cursor secret, made on first use under DATA_DIR/keys (also read by the benchmark's one-process graph). */
export function developmentCursorSecret(dataDir: string, registry: string): string {
  return developmentSecret(dataDir, `${registry}-cursor.key`);
}

/**
 * The audit chain's HMAC key, for the audit subgraph that writes the chain and the script that
 * verifies it: AUDIT_KEY, else outside production a development key kept under DATA_DIR/keys;
 * null in production without AUDIT_KEY.
 */
export function auditChainKey(env: SubgraphEnvironment): string | null {
  return env.AUDIT_KEY ?? (env.NODE_ENV === 'production' ? null : developmentSecret(env.DATA_DIR, 'audit.key'));
}

/**
 * Parses an environment with a schema once. Unknown variables are ignored; a bad value throws a
 * ConfigError whose message names every offending variable.
 */
export function parseEnvironment<Schema extends z.ZodType>(schema: Schema, env: NodeJS.ProcessEnv): z.infer<Schema> {
  const result = schema.safeParse(env);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`Invalid configuration:\n  ${problems.join('\n  ')}`);
  }
  return result.data;
}

/** A registry's configuration by concern, read once from its environment (as gatewayConfig is the gateway's). */
export interface SubgraphConfig {
  service: { environment: SubgraphEnvironment['NODE_ENV']; development: boolean; production: boolean; logLevel: SubgraphEnvironment['LOG_LEVEL']; dataDir: string };
  http: { host: string; port: number };
  operations: { host: string; port: number };
  /** A PostgreSQL server's URL, or the embedded PGlite's folder (the registry's own under DATA_DIR). */
  database: { url?: string; dataDir: string; maxConnections: number };
  /** The gateway, for the reads this registry makes of the others, signed with its own key. */
  graph: { gatewayUrl: string };
  /** The keys as configured; absent ones are development keys outside production (run-subgraph.ts). */
  keys: { gatewayPublicKey?: KeyObject; registryPrivateKey?: KeyObject };
  privacy: { aggregateMinCount: number; cursorSecret: string };
  /** The audit chain's key: only the audit log holds one. */
  auditChainKey: string | null;
  demo: { persons: number; seed: string; referenceDate: string };
  graphqlJit: number;
  /** The wait between passes of the registry's background work, where it is configured (permits: PRESENCE_REFRESH_INTERVAL_MS). */
  background: { intervalMs?: number };
}

/**
 * Reads a registry's configuration from `environment`: its variables, its ports (<NAME>_PORT and
 * <NAME>_OPS_PORT, else `ports`), and what production requires of it. A bad value throws a ConfigError
 * naming every offending variable.
 */
export function subgraphConfig(
  registry: { name: string; callsGraph?: boolean },
  environment: NodeJS.ProcessEnv,
  ports: { http: number; operations: number },
): SubgraphConfig {
  const env = parseEnvironment(subgraphEnvironment, environment);
  // A registry that calls the graph does so as itself, with its own key.
  if (env.NODE_ENV === 'production' && registry.callsGraph && !env.REGISTRY_PRIVATE_KEY) {
    throw new ConfigError(`Invalid configuration:\n  REGISTRY_PRIVATE_KEY: is required in production for the ${registry.name} registry (it calls the graph)`);
  }
  return {
    service: { environment: env.NODE_ENV, development: env.NODE_ENV === 'development', production: env.NODE_ENV === 'production', logLevel: env.LOG_LEVEL, dataDir: env.DATA_DIR },
    http: { host: env.HOST, port: subgraphPort(registry.name, environment, ports.http) },
    operations: { host: env.OPS_HOST, port: subgraphPort(`${registry.name}_ops`, environment, ports.operations) },
    database: { url: env.DATABASE_URL, dataDir: path.resolve(env.DATA_DIR, registry.name), maxConnections: env.DATABASE_MAX_CONNECTIONS },
    graph: { gatewayUrl: env.GATEWAY_URL },
    keys: { gatewayPublicKey: env.GATEWAY_PUBLIC_KEY, registryPrivateKey: env.REGISTRY_PRIVATE_KEY },
    privacy: { aggregateMinCount: env.AGGREGATE_MIN_COUNT, cursorSecret: cursorSecret(env, registry.name) },
    auditChainKey: registry.name === 'audit' ? auditChainKey(env) : null,
    demo: { persons: env.DEMO_PERSONS, seed: env.DEMO_SEED, referenceDate: env.DEMO_REFERENCE_DATE },
    graphqlJit: env.GRAPHQL_JIT,
    background: { intervalMs: registry.name === 'permits' ? env.PRESENCE_REFRESH_INTERVAL_MS : undefined },
  };
}

/** Each subgraph reads PORT from its own variable (PERSONS_PORT, ...), so one .env can run all five services. */
export function subgraphPort(name: string, env: NodeJS.ProcessEnv, fallback: number): number {
  const variable = `${name.toUpperCase()}_PORT`;
  const raw = env[variable];
  if (raw === undefined || raw === '') return fallback;
  const parsed = port.safeParse(raw);
  if (!parsed.success) throw new ConfigError(`Invalid configuration:\n  ${variable}: must be a port number 0-65535`);
  return parsed.data;
}
