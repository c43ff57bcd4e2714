import path from 'node:path';
import { z } from 'zod';
import type { OperationLimits } from './features/operation-limits/operation-limits';
import type { RateLimits } from './features/rate-limit/rate-limit';
import { PERSISTED_OPERATIONS_MODES, type PersistedOperationsMode } from './features/persisted-operations/persisted-operations';
import type { KeyObject } from 'node:crypto';
import { parseEnvironment, privateKeyVariable, publicKeyVariable, replacedSigningKey } from '../platform/config';
import { developmentKeyPair } from '../protocol/request-signing';
import { registryTokenKeys } from '../protocol/registry-token';
import { CALLING_AGENCIES } from './features/authorization/agencies';
import {
  containsDevelopmentKey,
  developmentIssuer,
  developmentKey,
  tokenVerifier,
  trustedIssuer,
  type IssuerConfig,
  type TokenVerifier,
} from './features/authentication/tokens';
import { DEFAULT_MAX_TOKEN_AGE_SECONDS, DEFAULT_TOKEN_LIFETIME, parseDurationSeconds } from './features/authentication/token-lifetime';
import { SUBGRAPH_NAMES, type SubgraphName } from '../protocol/registries';

const url = z.string().url().refine((value) => /^https?:\/\//.test(value), 'must be an http(s) URL');

/**
 * AUTH_MAX_TOKEN_AGE: the longest a token may be used after it was issued, and the longest it may be
 * made to last (token-lifetime.ts); seconds, or a number with s, m or h. Also read by `npm run token`.
 */
export const maxTokenAge = z.preprocess(
  (value) => (value === '' ? undefined : value),
  z
    .string()
    .default(String(DEFAULT_MAX_TOKEN_AGE_SECONDS))
    .transform((value, context) => {
      const seconds = parseDurationSeconds(value);
      if (seconds === null || seconds < 60 || seconds > 7 * 24 * 3600) {
        context.addIssue({ code: 'custom', message: 'must be a duration from 60 s to 7 days: seconds, or a number with s, m or h (e.g. 12h)' });
        return z.NEVER;
      }
      return seconds;
    }),
);

/**
 * CORS_ORIGINS: the browser origins allowed to call the graph from another site, comma-separated
 * (`https://dashboard.migration.gov.az,http://localhost:5173`); none by default, so no other site's
 * page may read an answer.
 */
const corsOrigins = z
  .string()
  .default('')
  .transform((value, context) => {
    const origins = value.split(',').map((origin) => origin.trim()).filter(Boolean);
    for (const origin of origins) {
      let parsed: URL | undefined;
      try {
        parsed = new URL(origin);
      } catch {
        parsed = undefined;
      }
      // An origin is a scheme, a host and a port, nothing else: no path, no wildcard (URL takes `*` in a
      // host as a letter, so `https://*.gov.az` would be kept, match no page, and look like a pattern).
      if (!parsed || !/^https?:$/.test(parsed.protocol) || parsed.origin !== origin || origin.includes('*')) {
        context.addIssue({ code: 'custom', message: `${JSON.stringify(origin)} is not an origin such as https://dashboard.example.az (scheme, host and port; no path, no trailing slash, no wildcard)` });
        return z.NEVER;
      }
    }
    return origins;
  });

/** One trusted issuer of AUTH_TRUST. */
const trustSchema = z
  .array(
    z
      .object({
        issuer: z.string().min(1),
        jwksUrl: url.optional(),
        jwks: z.object({ keys: z.array(z.object({ kty: z.string() }).passthrough()).min(1) }).optional(),
        agencies: z.union([z.literal('any'), z.array(z.string().refine((agency) => CALLING_AGENCIES.includes(agency), 'is not an agency profile')).min(1)]),
      })
      .refine((issuer) => Boolean(issuer.jwksUrl) !== Boolean(issuer.jwks), 'give jwksUrl or jwks, one of the two'),
  );

/** The service: its mode, where its data and its supergraph are. */
const serviceModel = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  /** Where development keys are kept (the key pairs shared with `npm start`'s subgraphs, under keys/). */
  DATA_DIR: z.string().min(1).default('./data'),
  /** The composed supergraph the gateway plans queries on. */
  SUPERGRAPH_PATH: z.string().min(1).default('schema/supergraph.graphql'),
});

/** The HTTP edge: where it listens, which browser origins it serves, the largest body. */
const httpModel = z.object({
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65535).default(4000),
  CORS_ORIGINS: corsOrigins,
  /** Largest request body accepted, in bytes (413 beyond). */
  LIMIT_MAX_BODY_BYTES: z.coerce.number().int().min(1024).max(50 * 1024 * 1024).default(256 * 1024),
  /** Answers of 1 KiB or more compressed in the coding the client accepts; off when a proxy in front compresses. */
  RESPONSE_COMPRESSION: z.enum(['on', 'off']).default('on'),
});

/** Operations: the log level, the listener operators scrape (metrics, health, ready), and where rate budgets are shared. */
const operationsModel = z.object({
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** The operations listener (GET /metrics, /health, /ready): loopback unless scrapers are elsewhere. */
  OPS_HOST: z.string().min(1).default('127.0.0.1'),
  OPS_PORT: z.coerce.number().int().min(0).max(65535).default(9464),
  /**
   * A PostgreSQL server where every gateway process keeps the agencies' rate budgets, so that several
   * processes behind a load balancer count against one budget; absent, each process counts its own.
   */
  /**
   * Proxies in front of the gateway that append to X-Forwarded-For (a load balancer: 1): a caller
   * without a token is counted under the address they saw. 0 (the default): the socket's address.
   */
  TRUST_PROXY_HOPS: z.coerce.number().int().min(0).max(10).default(0),
  RATE_LIMIT_DATABASE_URL: z.preprocess((value) => (value === '' ? undefined : value), z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL').optional()),
});

/** Subgraph trust: the gateway's signing key and the registries' token keys. */
const keysModel = z.object({
  /**
   * The gateway's Ed25519 private key, which every request to a registry and to the audit log is
   * signed with; they hold its public half (GATEWAY_PUBLIC_KEY). Held by the gateway alone; required
   * in production.
   */
  GATEWAY_PRIVATE_KEY: privateKeyVariable(),
  /**
   * Each registry's public key, for the tokens it makes for its own calls through the graph (its
   * REGISTRY_PRIVATE_KEY). A registry without one cannot call the graph; in development the key pairs
   * under DATA_DIR/keys are trusted.
   */
  PERSONS_PUBLIC_KEY: publicKeyVariable(),
  APPLICATIONS_PUBLIC_KEY: publicKeyVariable(),
  PAYMENTS_PUBLIC_KEY: publicKeyVariable(),
  PERMITS_PUBLIC_KEY: publicKeyVariable(),
  SUBGRAPH_SIGNING_KEY: replacedSigningKey('GATEWAY_PRIVATE_KEY and <REGISTRY>_PUBLIC_KEY'),
});

/** Authentication: the token issuers trusted and how old a token may be. */
const authModel = z.object({
  /**
   * The token issuers trusted, as JSON: a list of { issuer, jwksUrl or jwks, agencies } where
   * agencies lists the agencies that issuer may speak for (or is "any", for a national identity
   * provider). Required in production; development adds the local development issuer.
   */
  AUTH_TRUST: z.preprocess((value) => (value === '' ? undefined : value), z.string().optional()).transform((value, context) => {
    if (value === undefined) return [];
    let parsed: unknown;
    try {
      parsed = JSON.parse(value);
    } catch {
      context.addIssue({ code: 'custom', message: 'is not JSON' });
      return z.NEVER;
    }
    const result = trustSchema.safeParse(parsed);
    if (!result.success) {
      context.addIssue({ code: 'custom', message: result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ') });
      return z.NEVER;
    }
    return result.data as IssuerConfig[];
  }),
  AUTH_MAX_TOKEN_AGE: maxTokenAge,
});

/** Limits: operation limits, rate limits and admission. */
const limitsModel = z.object({
  /** Operation limits (graphql-armor): deepest selection, aliases, cost, document size in tokens, directives. */
  LIMIT_MAX_DEPTH: z.coerce.number().int().min(2).max(100).default(12),
  LIMIT_MAX_ALIASES: z.coerce.number().int().min(0).max(1000).default(20),
  LIMIT_MAX_COST: z.coerce.number().int().min(10).max(1_000_000).default(20_000),
  LIMIT_MAX_TOKENS: z.coerce.number().int().min(50).max(1_000_000).default(4000),
  LIMIT_MAX_DIRECTIVES: z.coerce.number().int().min(0).max(1000).default(20),
  /** Requests per minute per agency, and per client address without a token (429 beyond). */
  LIMIT_RATE_PER_AGENCY: z.coerce.number().int().min(1).max(10_000_000).default(12_000),
  LIMIT_RATE_ANONYMOUS: z.coerce.number().int().min(1).max(10_000_000).default(600),
  LIMIT_RATE_ANONYMOUS_LOOKUPS: z.coerce.number().int().min(1).max(10_000_000).default(60),
  /**
   * Requests worked on at once at most (fewer while the event loop is saturated, down to 16); the
   * others wait for a slot in order of arrival, LIMIT_QUEUED_REQUESTS of them at most (503
   * SERVER_BUSY beyond). See features/admission/admission.ts.
   */
  LIMIT_CONCURRENT_REQUESTS: z.coerce.number().int().min(1).max(10_000).default(64),
  LIMIT_QUEUED_REQUESTS: z.coerce.number().int().min(0).max(100_000).default(1000),
});

/** Persisted operations and the plans warmed from them. */
const persistedOperationsModel = z.object({
  /**
   * Persisted operations (schema/persisted-operations.json, written by codegen): off; allow (sent by
   * hash or as text); safelist (only those, for partner deployments; the registries' calls exempt).
   */
  PERSISTED_OPERATIONS: z.enum(PERSISTED_OPERATIONS_MODES).default('allow'),
  PERSISTED_OPERATIONS_PATH: z.string().min(1).default('schema/persisted-operations.json'),
  /**
   * Plan the persisted operations for every agency's scopes at start, before serving (on), or each
   * when first asked for (off); nothing to plan when PERSISTED_OPERATIONS is off.
   */
  QUERY_PLAN_WARMING: z.enum(['on', 'off']).default('on'),
});

/** Subgraph fetches: the registries' URLs, batching and the read cache. */
const subgraphsModel = z.object({
  PERSONS_URL: url.optional(),
  APPLICATIONS_URL: url.optional(),
  PAYMENTS_URL: url.optional(),
  PERMITS_URL: url.optional(),
  /** The audit subgraph (Person.dataAccessLog); the gateway posts its records next to it, at /audit/records. */
  AUDIT_URL: url.optional(),
  /**
   * Reads of a registry issued at the same moment by callers of one agency with the same scopes
   * (the same operation, different inputs) go to it as one fetch (on), or each as its own (off).
   */
  FETCH_BATCHING: z.enum(['on', 'off']).default('on'),
  /**
   * Answers of the registries to reads are cached, each under the state the registry was in (its data's
   * version and the day), and given again only after a probe finds it still in that state (on); or
   * every read goes to the registry (off). READ_CACHE_MIB bounds what is cached, all registries together.
   */
  READ_CACHE: z.enum(['on', 'off']).default('on'),
  READ_CACHE_MIB: z.coerce.number().int().min(1).max(4096).default(64),
  /**
   * How an answer is shaped from what the registries sent: by steps read once from each operation
   * (compiled, execution/compiled-response.ts), or by @apollo/gateway's own walk (apollo).
   */
  RESULT_SHAPING: z.enum(['compiled', 'apollo']).default('compiled'),
});

/** The audit log: how its records are sent, and where they wait. */
const auditModel = z.object({
  /** Under load, how long a POST of audit records waits for more records to carry (0: never waits). */
  AUDIT_LINGER_MS: z.coerce.number().int().min(0).max(100).default(2),
  /**
   * Where the outcome records of writes wait when the audit log could not take them (the write had
   * committed; its intent was on record): sent again until taken, kept across a restart
   * (default DATA_DIR/gateway/audit-outbox.jsonl). See features/audit/audit-outbox.ts.
   */
  AUDIT_OUTBOX_PATH: z.preprocess((value) => (value === '' ? undefined : value), z.string().min(1).optional()),
});

/**
 * The dashboard (/dashboard): the identity provider its staff sign in with in production (OpenID
 * Connect, authorization code with PKCE; docs/dashboard.md). Its tokens must be trusted in AUTH_TRUST
 * for the internal-dashboard agency.
 */
const dashboardModel = z.object({
  /** The issuer, whose /.well-known/openid-configuration the page reads; absent, the page has no sign-in. */
  DASHBOARD_OIDC_ISSUER: z.preprocess((value) => (value === '' ? undefined : value), url.optional()),
  /** The page's client id at that issuer (a public client: no secret, PKCE). */
  DASHBOARD_OIDC_CLIENT_ID: z.preprocess((value) => (value === '' ? undefined : value), z.string().min(1).optional()),
  /** The scopes asked for, space-separated. */
  DASHBOARD_OIDC_SCOPE: z.string().min(1).default('openid aggregates:read'),
});

export const gatewayEnvironment = z
  .object({
    ...serviceModel.shape,
    ...httpModel.shape,
    ...keysModel.shape,
    ...authModel.shape,
    ...limitsModel.shape,
    ...persistedOperationsModel.shape,
    ...subgraphsModel.shape,
    ...auditModel.shape,
    ...operationsModel.shape,
    ...dashboardModel.shape,
  })
  .refine((env) => env.NODE_ENV !== 'production' || env.GATEWAY_PRIVATE_KEY, {
    message: "is required in production (the gateway's Ed25519 private key, which it alone holds)",
    path: ['GATEWAY_PRIVATE_KEY'],
  })
  .refine((env) => env.NODE_ENV !== 'production' || env.AUTH_TRUST.length > 0, {
    message: "is required in production (the agencies' token issuers, their keys and the agencies each speaks for)",
    path: ['AUTH_TRUST'],
  })
  .refine((env) => !env.DASHBOARD_OIDC_ISSUER || env.DASHBOARD_OIDC_CLIENT_ID, {
    message: 'is required with DASHBOARD_OIDC_ISSUER (the dashboard page\'s client id at the issuer)',
    path: ['DASHBOARD_OIDC_CLIENT_ID'],
  })
  .refine((env) => env.NODE_ENV !== 'production' || !containsDevelopmentKey(env.AUTH_TRUST), {
    message: 'holds a development key, which production refuses',
    path: ['AUTH_TRUST'],
  });

export type GatewayEnvironment = z.infer<typeof gatewayEnvironment>;

export function loadGatewayEnvironment(env: NodeJS.ProcessEnv): GatewayEnvironment {
  return parseEnvironment(gatewayEnvironment, env);
}

/** The gateway's configuration by concern, read once from its environment. */
export interface GatewayConfig {
  service: { environment: GatewayEnvironment['NODE_ENV']; development: boolean; dataDir: string; supergraphPath: string };
  http: { host: string; port: number; corsOrigins: readonly string[]; maxBodyBytes: number; compression: boolean };
  operations: { host: string; port: number; logLevel: GatewayEnvironment['LOG_LEVEL'] };
  auth: { trust: IssuerConfig[]; maxTokenAgeSeconds: number };
  limits: {
    operation: OperationLimits;
    rate: RateLimits & { databaseUrl?: string; trustedProxies: number };
    /** Requests at work at most, and waiting at most (features/admission). */
    admission: { concurrency: number; queued: number };
  };
  persistedOperations: { mode: PersistedOperationsMode; path: string; warmQueryPlans: boolean };
  subgraphs: {
    /** Subgraph URLs that replace the supergraph's defaults (e.g. service names under docker compose). */
    urls: Partial<Record<SubgraphName, string>>;
    batchFetches: boolean;
    /** Bytes of the registries' answers cached (subgraph-fetch/read-cache.ts); 0: none. */
    readCacheBytes: number;
  };
  /** Answers shaped by the gateway's compiled steps (apollo-internals.ts, useCompiledResponses) or by Apollo's walk. */
  execution: { compiledResponses: boolean };
  audit: { lingerMs: number; outboxPath: string };
  /** The dashboard's sign-in (features/dashboard); none when no issuer is configured. */
  dashboard: { signIn?: { issuer: string; clientId: string; scope: string } };
}

export function gatewayConfig(env: GatewayEnvironment): GatewayConfig {
  const urls: Partial<Record<SubgraphName, string>> = {};
  for (const name of SUBGRAPH_NAMES) {
    const value = env[`${name.toUpperCase()}_URL` as keyof GatewayEnvironment];
    if (typeof value === 'string') urls[name] = value;
  }
  return {
    service: { environment: env.NODE_ENV, development: env.NODE_ENV === 'development', dataDir: env.DATA_DIR, supergraphPath: env.SUPERGRAPH_PATH },
    http: { host: env.HOST, port: env.PORT, corsOrigins: env.CORS_ORIGINS, maxBodyBytes: env.LIMIT_MAX_BODY_BYTES, compression: env.RESPONSE_COMPRESSION === 'on' },
    operations: { host: env.OPS_HOST, port: env.OPS_PORT, logLevel: env.LOG_LEVEL },
    auth: { trust: env.AUTH_TRUST, maxTokenAgeSeconds: env.AUTH_MAX_TOKEN_AGE },
    limits: {
      operation: {
        maxDepth: env.LIMIT_MAX_DEPTH,
        maxAliases: env.LIMIT_MAX_ALIASES,
        maxCost: env.LIMIT_MAX_COST,
        maxTokens: env.LIMIT_MAX_TOKENS,
        maxDirectives: env.LIMIT_MAX_DIRECTIVES,
      },
      rate: { perAgencyPerMinute: env.LIMIT_RATE_PER_AGENCY, anonymousPerMinute: env.LIMIT_RATE_ANONYMOUS, anonymousLookupsPerMinute: env.LIMIT_RATE_ANONYMOUS_LOOKUPS, databaseUrl: env.RATE_LIMIT_DATABASE_URL, trustedProxies: env.TRUST_PROXY_HOPS },
      admission: { concurrency: env.LIMIT_CONCURRENT_REQUESTS, queued: env.LIMIT_QUEUED_REQUESTS },
    },
    persistedOperations: { mode: env.PERSISTED_OPERATIONS, path: env.PERSISTED_OPERATIONS_PATH, warmQueryPlans: env.QUERY_PLAN_WARMING === 'on' },
    subgraphs: { urls, batchFetches: env.FETCH_BATCHING === 'on', readCacheBytes: env.READ_CACHE === 'on' ? env.READ_CACHE_MIB * 1024 * 1024 : 0 },
    execution: { compiledResponses: env.RESULT_SHAPING === 'compiled' },
    audit: { lingerMs: env.AUDIT_LINGER_MS, outboxPath: env.AUDIT_OUTBOX_PATH ?? path.join(env.DATA_DIR, 'gateway', 'audit-outbox.jsonl') },
    dashboard: {
      ...(env.DASHBOARD_OIDC_ISSUER && env.DASHBOARD_OIDC_CLIENT_ID
        ? { signIn: { issuer: env.DASHBOARD_OIDC_ISSUER, clientId: env.DASHBOARD_OIDC_CLIENT_ID, scope: env.DASHBOARD_OIDC_SCOPE } }
        : {}),
    },
  };
}

/** The registries that may call the graph with tokens of their own (the audit log never does). */
const CALLING_REGISTRIES = SUBGRAPH_NAMES.filter((name) => name !== 'audit');

/**
 * The gateway's keys (request-signing.ts, registry-token.ts): the private key it signs subgraph
 * requests with, and the public keys of the registries' tokens. Outside production, those not
 * configured are the development key pairs under DATA_DIR/keys, shared with `npm start`'s subgraphs.
 */
export function gatewayKeys(env: GatewayEnvironment): { signingKey: KeyObject; registryKeys: Partial<Record<SubgraphName, KeyObject>> } {
  const development = env.NODE_ENV !== 'production';
  const signingKey = env.GATEWAY_PRIVATE_KEY ?? developmentKeyPair(env.DATA_DIR, 'gateway').privateKey;
  const registryKeys: Partial<Record<SubgraphName, KeyObject>> = {};
  for (const name of CALLING_REGISTRIES) {
    const configured = env[`${name.toUpperCase()}_PUBLIC_KEY` as keyof GatewayEnvironment] as KeyObject | undefined;
    const key = configured ?? (development ? developmentKeyPair(env.DATA_DIR, `registry-${name}`).publicKey : undefined);
    if (key) registryKeys[name] = key;
  }
  return { signingKey, registryKeys };
}

/**
 * The token verifier of this environment: the agencies' keys and issuers, and each registry's key
 * for its own tokens, in production; in development the local development key (the one `npm run
 * token` signs with) as well.
 */
export async function verifierFor(env: GatewayEnvironment, registryKeys: Partial<Record<SubgraphName, KeyObject>>): Promise<TokenVerifier> {
  const configured = env.AUTH_TRUST.map(trustedIssuer);
  const registries = registryTokenKeys(registryKeys);
  const lifetime = { ...DEFAULT_TOKEN_LIFETIME, maxAgeSeconds: env.AUTH_MAX_TOKEN_AGE };
  if (env.NODE_ENV === 'production') return tokenVerifier(configured, registries, Date.now, lifetime);
  return tokenVerifier([developmentIssuer(await developmentKey(env.DATA_DIR)), ...configured], registries, Date.now, lifetime);
}
