import { ApolloArmor } from '@escape.tech/graphql-armor';
import { GraphQLError, type ValidationContext } from 'graphql';
import type { GatewayFeature } from '../feature';
import { costLimit } from './operation-cost';

export interface OperationLimits {
  maxDepth: number;
  maxAliases: number;
  maxCost: number;
  maxTokens: number;
  maxDirectives: number;
}

/**
 * Depth, alias, cost and directive limits, checked by graphql-armor before an operation is planned, so
 * no subgraph ever sees a query bomb. Field suggestions are blocked when the schema is not public
 * (production: no introspection). Armor's cost sees the document alone; the cost of a page a variable
 * sizes is checked again with the request's variables (operation-cost.ts).
 */
export function armor(limits: OperationLimits, development: boolean) {
  // Armor names its refusals "Syntax Error: ..." though the document parsed: each is reported as the
  // validation error it is, without that prefix, and validation goes on to find any others.
  const refusal = { propagateOnRejection: false, onReject: [reportWithoutPrefix] };
  return new ApolloArmor({
    maxDepth: { n: limits.maxDepth, ignoreIntrospection: true, flattenFragments: true, ...refusal },
    maxAliases: { n: limits.maxAliases, ...refusal },
    // The document alone, before anything else reads it: a page given by a variable counts as one here,
    // but fragments spread within fragments are counted (once each), so a document that would grow
    // without bound when its fragments are inlined is refused at validation, before authorization
    // inlines them. The cost with the request's variables is counted after (operation-cost.ts).
    costLimit: { maxCost: limits.maxCost, ignoreIntrospection: true, flattenFragments: true, ...refusal },
    // The document size limit is graphql-js's own (parseOptions.maxTokens): a too-large document is a
    // parse failure (400), where armor's plugin would throw mid-pipeline and surface as a 500.
    maxTokens: { enabled: false },
    maxDirectives: { n: limits.maxDirectives, ...refusal },
    blockFieldSuggestion: { enabled: !development },
  }).protect();
}

function reportWithoutPrefix(context: ValidationContext | null, error: GraphQLError): void {
  // Armor calls it from its validation rules, which always have their context.
  context?.reportError(new GraphQLError(error.message.replace(/^Syntax Error: /, '')));
}

/** The operation limits, checked before an operation is planned (the cost with the request's variables); the document's size as graphql-js parses it. */
export function useOperationLimits(options: { limits: OperationLimits; development: boolean }): GatewayFeature {
  const protection = armor(options.limits, options.development);
  return {
    name: 'operation-limits',
    validationRules: protection.validationRules,
    apolloPlugins: [...protection.plugins, costLimit(options.limits.maxCost)],
    apolloOptions: { parseOptions: { maxTokens: options.limits.maxTokens } },
  };
}
