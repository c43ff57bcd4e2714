import { ApolloArmor } from '@escape.tech/graphql-armor';
import type { GatewayEnvironment } from '../../config';

export interface OperationLimits {
  maxDepth: number;
  maxAliases: number;
  maxCost: number;
  maxTokens: number;
  maxDirectives: number;
}

export function operationLimits(env: Pick<GatewayEnvironment, 'LIMIT_MAX_DEPTH' | 'LIMIT_MAX_ALIASES' | 'LIMIT_MAX_COST' | 'LIMIT_MAX_TOKENS' | 'LIMIT_MAX_DIRECTIVES'>): OperationLimits {
  return {
    maxDepth: env.LIMIT_MAX_DEPTH,
    maxAliases: env.LIMIT_MAX_ALIASES,
    maxCost: env.LIMIT_MAX_COST,
    maxTokens: env.LIMIT_MAX_TOKENS,
    maxDirectives: env.LIMIT_MAX_DIRECTIVES,
  };
}

/**
 * Depth, alias, cost and directive limits, checked by graphql-armor before an operation is planned,
 * so no subgraph ever sees a query bomb. Field suggestions are blocked when the
 * schema is not public (production: no introspection).
 */
export function armor(limits: OperationLimits, development: boolean) {
  return new ApolloArmor({
    maxDepth: { n: limits.maxDepth, ignoreIntrospection: true, flattenFragments: true },
    maxAliases: { n: limits.maxAliases },
    costLimit: { maxCost: limits.maxCost, ignoreIntrospection: true, flattenFragments: true },
    // The document size limit is graphql-js's own (parseOptions.maxTokens): a too-large document is a
    // parse failure (400), where armor's plugin would throw mid-pipeline and surface as a 500.
    maxTokens: { enabled: false },
    maxDirectives: { n: limits.maxDirectives },
    blockFieldSuggestion: { enabled: !development },
  }).protect();
}
