import { z } from 'zod';
import { parseEnvironment } from '../subgraphs/shared/config';
import { MIN_SIGNING_KEY_LENGTH } from '../subgraphs/shared/request-signing';
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
  /** The composed supergraph the gateway plans queries on. */
  SUPERGRAPH_PATH: z.string().min(1).default('schema/supergraph.graphql'),
  PERSONS_URL: url.optional(),
  APPLICATIONS_URL: url.optional(),
  PAYMENTS_URL: url.optional(),
  PERMITS_URL: url.optional(),
  /** Operation limits (graphql-armor): deepest selection, aliases, cost, document size in tokens, directives. */
  LIMIT_MAX_DEPTH: z.coerce.number().int().min(2).max(100).default(12),
  LIMIT_MAX_ALIASES: z.coerce.number().int().min(0).max(1000).default(20),
  LIMIT_MAX_COST: z.coerce.number().int().min(10).max(1_000_000).default(20_000),
  LIMIT_MAX_TOKENS: z.coerce.number().int().min(50).max(1_000_000).default(4000),
  LIMIT_MAX_DIRECTIVES: z.coerce.number().int().min(0).max(1000).default(20),
}).refine((env) => env.NODE_ENV !== 'production' || env.SUBGRAPH_SIGNING_KEY, {
  message: 'is required in production (a random secret shared with the subgraphs)',
  path: ['SUBGRAPH_SIGNING_KEY'],
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
