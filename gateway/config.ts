import { z } from 'zod';
import { parseEnvironment } from '../subgraphs/shared/config';
import { SUBGRAPH_NAMES, type SubgraphName } from '../subgraphs/shared/server/subgraph-definition';

const url = z.string().url().refine((value) => /^https?:\/\//.test(value), 'must be an http(s) URL');

export const gatewayEnvironment = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65535).default(4000),
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
