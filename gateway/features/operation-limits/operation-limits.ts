import { ApolloArmor } from '@escape.tech/graphql-armor';
import type { GatewayFeature } from '../feature';

export interface OperationLimits {
  maxDepth: number;
  maxAliases: number;
  maxCost: number;
  maxTokens: number;
  maxDirectives: number;
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

/** The operation limits, checked before an operation is planned; the document's size as graphql-js parses it. */
export function useOperationLimits(options: { limits: OperationLimits; development: boolean }): GatewayFeature {
  const protection = armor(options.limits, options.development);
  return {
    name: 'operation-limits',
    validationRules: protection.validationRules,
    apolloPlugins: protection.plugins,
    apolloOptions: { parseOptions: { maxTokens: options.limits.maxTokens } },
  };
}
