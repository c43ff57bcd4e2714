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
