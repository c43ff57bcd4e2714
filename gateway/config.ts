import { z } from 'zod';
import { PERSISTED_OPERATIONS_MODES } from './persisted-operations';
import { parseEnvironment } from '../subgraphs/shared/config';
import { MIN_SIGNING_KEY_LENGTH } from '../subgraphs/shared/request-signing';
import type { JWTVerifyGetKey } from 'jose';
import {
  configuredKeys,
  containsDevelopmentKey,
  DEVELOPMENT_ISSUER,
  developmentKey,
  developmentKeySet,
  tokenVerifier,
  type TokenVerifier,
} from './auth/tokens';
import { SUBGRAPH_NAMES, type SubgraphName } from '../subgraphs/shared/server/subgraph-definition';

const url = z.string().url().refine((value) => /^https?:\/\//.test(value), 'must be an http(s) URL');

export const gatewayEnvironment = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65535).default(4000),
  /** Where development keys are kept (the subgraph signing key shared with `npm start`'s subgraphs). */
  DATA_DIR: z.string().min(1).default('./data'),
  /** The key subgraph requests are signed with; required in production, shared with every subgraph. */
  SUBGRAPH_SIGNING_KEY: z.preprocess(
    (value) => (value === '' ? undefined : value),
    z.string().min(MIN_SIGNING_KEY_LENGTH, `must be at least ${MIN_SIGNING_KEY_LENGTH} characters`).optional(),
  ),
  /** The agencies' public keys (a JWKS document) or where to fetch them; one of the two in production. */
  AUTH_PUBLIC_JWKS: z.preprocess((value) => (value === '' ? undefined : value), z.string().optional()),
  AUTH_JWKS_URL: url.optional(),
  /** Token issuers trusted, comma-separated; development adds the local development issuer. */
  AUTH_ISSUERS: z.string().default(''),
  /**
   * Persisted operations (schema/persisted-operations.json, written by codegen): off; allow (sent by
   * hash or as text); safelist (only those, for partner deployments; the registries' calls exempt).
   */
  PERSISTED_OPERATIONS: z.enum(PERSISTED_OPERATIONS_MODES).default('allow'),
  PERSISTED_OPERATIONS_PATH: z.string().min(1).default('schema/persisted-operations.json'),
  /** The composed supergraph the gateway plans queries on. */
  SUPERGRAPH_PATH: z.string().min(1).default('schema/supergraph.graphql'),
  PERSONS_URL: url.optional(),
  APPLICATIONS_URL: url.optional(),
  PAYMENTS_URL: url.optional(),
  PERMITS_URL: url.optional(),
  /** The audit subgraph (Person.dataAccessLog); the gateway posts its records next to it, at /audit/records. */
  AUDIT_URL: url.optional(),
  /** Operation limits (graphql-armor): deepest selection, aliases, cost, document size in tokens, directives. */
  LIMIT_MAX_DEPTH: z.coerce.number().int().min(2).max(100).default(12),
  LIMIT_MAX_ALIASES: z.coerce.number().int().min(0).max(1000).default(20),
  LIMIT_MAX_COST: z.coerce.number().int().min(10).max(1_000_000).default(20_000),
  LIMIT_MAX_TOKENS: z.coerce.number().int().min(50).max(1_000_000).default(4000),
  LIMIT_MAX_DIRECTIVES: z.coerce.number().int().min(0).max(1000).default(20),
  /** Requests per minute per agency, and per client address without a token (429 beyond). */
  LIMIT_RATE_PER_AGENCY: z.coerce.number().int().min(1).max(10_000_000).default(12_000),
  LIMIT_RATE_ANONYMOUS: z.coerce.number().int().min(1).max(10_000_000).default(600),
  /** Largest request body accepted, in bytes (413 beyond). */
  LIMIT_MAX_BODY_BYTES: z.coerce.number().int().min(1024).max(50 * 1024 * 1024).default(256 * 1024),
})
  .refine((env) => env.NODE_ENV !== 'production' || env.SUBGRAPH_SIGNING_KEY, {
    message: 'is required in production (a random secret shared with the subgraphs)',
    path: ['SUBGRAPH_SIGNING_KEY'],
  })
  .refine((env) => env.NODE_ENV !== 'production' || env.AUTH_PUBLIC_JWKS || env.AUTH_JWKS_URL, {
    message: "is required in production (the agencies' public keys), or AUTH_JWKS_URL",
    path: ['AUTH_PUBLIC_JWKS'],
  })
  .refine((env) => env.NODE_ENV !== 'production' || !containsDevelopmentKey(env.AUTH_PUBLIC_JWKS), {
    message: 'holds a development key, which production refuses',
    path: ['AUTH_PUBLIC_JWKS'],
  })
  .refine((env) => env.NODE_ENV !== 'production' || env.AUTH_ISSUERS.trim().length > 0, {
    message: 'is required in production (the issuers of the agencies\' tokens)',
    path: ['AUTH_ISSUERS'],
  });

export type GatewayEnvironment = z.infer<typeof gatewayEnvironment>;

export function loadGatewayEnvironment(env: NodeJS.ProcessEnv): GatewayEnvironment {
  return parseEnvironment(gatewayEnvironment, env);
}

/** Subgraph URLs that replace the supergraph's defaults (e.g. service names under docker compose). */
export function subgraphUrlOverrides(env: GatewayEnvironment): Partial<Record<SubgraphName, string>> {
  const overrides: Partial<Record<SubgraphName, string>> = {};
  for (const name of SUBGRAPH_NAMES) {
    const value = env[`${name.toUpperCase()}_URL` as keyof GatewayEnvironment];
    if (typeof value === 'string') overrides[name] = value;
  }
  return overrides;
}

/**
 * The token verifier of this environment: the agencies' keys and issuers in production; in
 * development the local development key (the one `npm run token` signs with) as well.
 */
export async function verifierFor(env: GatewayEnvironment, registryKey: string): Promise<TokenVerifier> {
  const issuers = env.AUTH_ISSUERS.split(',').map((issuer) => issuer.trim()).filter(Boolean);
  if (env.NODE_ENV === 'production') return tokenVerifier(configuredKeys({ publicJwks: env.AUTH_PUBLIC_JWKS, jwksUrl: env.AUTH_JWKS_URL }), issuers, registryKey);
  const local = developmentKeySet(await developmentKey(env.DATA_DIR));
  if (!env.AUTH_PUBLIC_JWKS && !env.AUTH_JWKS_URL) return tokenVerifier(local, [DEVELOPMENT_ISSUER, ...issuers], registryKey);
  const configured = configuredKeys({ publicJwks: env.AUTH_PUBLIC_JWKS, jwksUrl: env.AUTH_JWKS_URL });
  const either: JWTVerifyGetKey = async (header, token) => {
    try {
      return await local(header, token);
    } catch {
      return configured(header, token);
    }
  };
  return tokenVerifier(either, [DEVELOPMENT_ISSUER, ...issuers], registryKey);
}
