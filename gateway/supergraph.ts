import type { QueryPlan, QueryPlanCache, QueryPlannerConfig } from '@apollo/query-planner';
import { InMemoryLRUCache } from '@apollo/utils.keyvaluecache';
import { accessPolicy, supergraphForExecution, type AccessPolicy } from './features/authorization/policy';

/** What the gateway plans with: its configuration, whose cache plan warming fills. */
export type PlannerConfig = QueryPlannerConfig & { cache: QueryPlanCache };

/** The bound of the gateway's plan cache, measured as the plans' JSON. */
const PLAN_CACHE_BYTES = 30 * 2 ** 20;

/** The cache the gateway keeps its query plans in: least recently used plans go first. */
export function queryPlanCache(maxBytes = PLAN_CACHE_BYTES): QueryPlanCache {
  return new InMemoryLRUCache<QueryPlan>({ maxSize: maxBytes, sizeCalculation: (plan) => Buffer.byteLength(JSON.stringify(plan)) });
}

/** The supergraph as the gateway and its features use it. */
export interface GatewaySupergraph {
  /** The supergraph as @apollo/gateway executes it (supergraphForExecution). */
  executableSdl: string;
  /** What each field asks of its caller, read from the composed access directives. */
  policy: AccessPolicy;
  /** One planner configuration for the gateway and for warming, so that a warmed plan is the gateway's own. */
  plannerConfig: PlannerConfig;
}

export function loadSupergraph(supergraphSdl: string): GatewaySupergraph {
  return { executableSdl: supergraphForExecution(supergraphSdl), policy: accessPolicy(supergraphSdl), plannerConfig: { cache: queryPlanCache() } };
}
