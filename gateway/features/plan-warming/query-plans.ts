import { createHash } from 'node:crypto';
import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { operationFromDocument, Supergraph } from '@apollo/federation-internals';
import { QueryPlanner, type QueryPlan, type QueryPlanCache, type QueryPlannerConfig } from '@apollo/query-planner';
import { InMemoryLRUCache } from '@apollo/utils.keyvaluecache';
import { Kind, parse, type OperationDefinitionNode } from 'graphql';
import type { VerifiedClaims } from '../../../subgraphs/shared/context';
import { prepareOperation } from '../authorization/authorization';
import type { AccessPolicy } from '../authorization/policy';
import { AGENCIES } from '../authorization/agencies';
import type { PersistedOperationsManifest } from '../persisted-operations/persisted-operations';

/**
 * Query plans warmed from the persisted operations.
 *
 * `@apollo/gateway` plans an operation when it first executes it and keeps the plan in a cache, so
 * the first request of each operation after a start pays for its planning: up to about 20 ms of CPU
 * for a person's full picture. Here the gateway is given its plan cache, and before it serves, every
 * persisted operation is planned as each caller would have it planned: the access filter takes out
 * the fields a caller's scopes do not allow, so an operation has one plan per distinct result of that
 * filter (per agency profile, and for a caller with no token).
 *
 * The plans are made by a planner of their own, built from the same supergraph and configuration as
 * the gateway's (about 0.17 s at start): @apollo/gateway keeps its planner private.
 */

/** What the gateway plans with: its configuration, whose cache is the one warmed. */
export type PlannerConfig = QueryPlannerConfig & { cache: QueryPlanCache };

/** The bound of @apollo/gateway's own plan cache (30 MiB of plans, measured as their JSON). */
const PLAN_CACHE_BYTES = 30 * 2 ** 20;

/** The cache the gateway keeps its query plans in: least recently used plans go first. */
export function queryPlanCache(maxBytes = PLAN_CACHE_BYTES): QueryPlanCache {
  return new InMemoryLRUCache<QueryPlan>({ maxSize: maxBytes, sizeCalculation: (plan) => Buffer.byteLength(JSON.stringify(plan)) });
}

/**
 * The key @apollo/gateway 2 looks a plan up under: the hash of the document it executes, combined with
 * the operation name when the request gives one. Tests check a warmed plan is found under it (a
 * change in the gateway's keys would show as plans made on first use again).
 */
export function queryPlanKey(queryHash: string, operationName: string | undefined): string {
  return operationName ? createHash('sha256').update(queryHash).update(operationName).digest('hex') : queryHash;
}

export interface WarmedPlans {
  /** Persisted operations planned for every caller. */
  operations: number;
  /** Distinct plans made (an operation has one per distinct filtered document). */
  plans: number;
  /**
   * What could not be planned: the operation, the caller (an agency, or `anonymous`) and the reason.
   * The gateway plans it again when it is asked for, and fails the same way.
   */
  failed: { name: string; caller: string; reason: string }[];
}

/** The callers a persisted operation is planned for: each agency with its profile's scopes, and no token. */
export function warmedCallers(): (VerifiedClaims | null)[] {
  return [null, ...Object.entries(AGENCIES).map(([agency, profile]) => ({ agency, subject: 'query-plan-warming', scopes: [...profile.scopes] }))];
}

/**
 * Plans every persisted operation for every caller into `cache`, under both keys a request can look
 * it up by (with and without its operation name). `supergraphSdl` is the one the gateway executes.
 */
export async function warmQueryPlans(options: {
  supergraphSdl: string;
  policy: AccessPolicy;
  manifest: PersistedOperationsManifest;
  plannerConfig: PlannerConfig;
}): Promise<WarmedPlans> {
  const warmed: WarmedPlans = { operations: 0, plans: 0, failed: [] };
  if (Object.keys(options.manifest.operations).length === 0) return warmed;
  const supergraph = Supergraph.build(options.supergraphSdl);
  const apiSchema = supergraph.apiSchema();
  const schema = apiSchema.toGraphQLJSSchema();
  const planner = new QueryPlanner(supergraph, options.plannerConfig);
  const { cache } = options.plannerConfig;
  for (const text of Object.values(options.manifest.operations)) {
    const document = parse(text);
    // The manifest's check guarantees one named operation per text.
    const operation = document.definitions.find((definition): definition is OperationDefinitionNode => definition.kind === Kind.OPERATION_DEFINITION)!;
    const name = operation.name!.value;
    const planned = new Set<string>();
    let complete = true;
    for (const claims of warmedCallers()) {
      try {
        const { document: filtered, queryHash } = prepareOperation(schema, document, operation, options.policy, claims);
        if (planned.has(queryHash)) continue;
        const plan = planner.buildQueryPlan(operationFromDocument(apiSchema, filtered, { operationName: name }));
        planned.add(queryHash);
        await cache.set(queryPlanKey(queryHash, name), plan);
        await cache.set(queryPlanKey(queryHash, undefined), plan);
      } catch (error) {
        complete = false;
        warmed.failed.push({ name, caller: claims?.agency ?? 'anonymous', reason: (error as Error).message });
      }
    }
    if (complete) warmed.operations += 1;
    warmed.plans += planned.size;
  }
  return warmed;
}

/** Warms the plans before the server takes its first request (Apollo Server awaits serverWillStart). */
export function queryPlanWarming<TContext extends BaseContext>(options: Parameters<typeof warmQueryPlans>[0]): ApolloServerPlugin<TContext> {
  return {
    async serverWillStart({ logger }) {
      const started = performance.now();
      const warmed = await warmQueryPlans(options);
      const milliseconds = Math.round(performance.now() - started);
      logger.info(`query plans warmed: ${warmed.plans} plans of ${warmed.operations} persisted operations in ${milliseconds} ms`);
      for (const { name, caller, reason } of warmed.failed) {
        logger.warn(`persisted operation ${name} could not be planned for ${caller} on this supergraph (it will fail the same way when asked for): ${reason}`);
      }
    },
  };
}
