import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { operationFromDocument, Supergraph } from '@apollo/federation-internals';
import { QueryPlanner } from '@apollo/query-planner';
import { Kind, parse, type OperationDefinitionNode } from 'graphql';
import type { VerifiedClaims } from '../../../protocol/claims';
import { queryPlanKey } from '../../apollo-internals';
import type { PlannerConfig } from '../../supergraph';
import { prepareOperation } from '../authorization/authorization';
import type { AccessPolicy } from '../authorization/policy';
import { AGENCIES } from '../authorization/agencies';
import type { GatewayFeature } from '../feature';
import type { PersistedOperationsManifest } from '../persisted-operations/persisted-operations';

/**
 * Query plans warmed from the persisted operations.
 *
 * `@apollo/gateway` plans an operation when it first executes it and keeps the plan in a cache, so
 * the first request of each operation after a start pays for its planning, which is costly for a
 * person's full picture. Here the gateway is given its plan cache, and before it serves, every
 * persisted operation is planned as each caller would have it planned: the access filter takes out
 * the fields a caller's scopes do not allow, so an operation has one plan per distinct result of that
 * filter (per agency profile, and for a caller with no token).
 *
 * The plans are made by a planner of their own, built from the same supergraph and configuration as
 * the gateway's: @apollo/gateway keeps its planner private, and plans only what it executes. They are
 * stored under the gateway's own key (apollo-internals.ts); tests check a warmed plan is found there.
 */

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
function queryPlanWarming<TContext extends BaseContext>(options: Parameters<typeof warmQueryPlans>[0]): ApolloServerPlugin<TContext> {
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

/** Plans the persisted operations for every agency before serving; nothing to plan without them. */
export function usePlanWarming(options: Parameters<typeof warmQueryPlans>[0]): GatewayFeature {
  return { name: 'plan-warming', apolloPlugins: [queryPlanWarming(options)] };
}
