import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError, Kind, visit, type ArgumentNode, type DocumentNode, type GraphQLSchema } from 'graphql';
import { getComplexity, type ComplexityEstimator } from 'graphql-query-complexity';

/**
 * What an operation costs: a leaf 1; an object 2 plus one and a half times its selections; a list asked
 * with `first` or `last` that many times over. (graphql-armor's weights, so LIMIT_MAX_COST kept its
 * meaning when this replaced its rule.) The page size is the one the request asks, however it asks it:
 * written in the document, given as a variable, or left to the argument's default. Introspection's
 * `__schema` and `__type` cost nothing.
 */
export const operationCost: ComplexityEstimator = ({ field, args, childComplexity, node }) => {
  if (field.name === '__schema' || field.name === '__type') return 0;
  if (!node.selectionSet) return 1;
  return (2 + 1.5 * childComplexity) * pageSize(args);
};

function pageSize(args: Record<string, unknown>): number {
  const asked = typeof args.first === 'number' ? args.first : typeof args.last === 'number' ? args.last : 1;
  return Math.max(1, asked);
}

/** The cost of the operation `operationName` (or the document's only one) with these variables; null when the variables do not fit it. */
export function costOf(schema: GraphQLSchema, document: DocumentNode, operationName: string | undefined, variables: Record<string, unknown>): number | null {
  try {
    return getComplexity({ schema, query: document, operationName, variables, estimators: [operationCost] });
  } catch {
    // Variables that do not fit the operation: request validation refuses them (BAD_USER_INPUT).
    return null;
  }
}

/**
 * Refuses an operation costing more than `maxCost` with this request's variables, before it is planned.
 * A validation rule sees the document alone, and counted `persons(first: $n)` as one person whatever
 * `n` was: twenty such aliases read twenty thousand pictures under a limit meant for about one thousand.
 * Counting costs about 0.1 ms for a picture, so each document keeps its costs by the values of the only
 * variables they depend on (page sizes, `@skip` and `@include`): most operations have none of those.
 */
export function costLimit(maxCost: number): ApolloServerPlugin {
  const kept = new WeakMap<DocumentNode, { dependsOn: readonly string[]; costs: Map<string, number | null> }>();
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ schema, document, operation, request }) {
          if (!operation) return;
          let known = kept.get(document);
          if (!known) {
            known = { dependsOn: costVariables(document), costs: new Map() };
            kept.set(document, known);
          }
          const variables = request.variables ?? {};
          const key = JSON.stringify([operation.name?.value, ...known.dependsOn.map((name) => variables[name])]);
          let cost = known.costs.get(key);
          if (cost === undefined) {
            cost = costOf(schema, document, operation.name?.value, variables);
            if (known.costs.size >= COSTS_KEPT_PER_DOCUMENT) known.costs.clear();
            known.costs.set(key, cost);
          }
          if (cost !== null && cost > maxCost) {
            throw new GraphQLError(
              `Query cost limit of ${maxCost} exceeded, found ${Math.round(cost)}: each list counts as many times as its first or last asks (the variable's value, or the default). Ask smaller pages.`,
              { extensions: { code: 'GRAPHQL_VALIDATION_FAILED', http: { status: 400 } } },
            );
          }
        },
      };
    },
  };
}

const COSTS_KEPT_PER_DOCUMENT = 64;

/** The variables a document's cost depends on: those given as `first` or `last`, or to `@skip` or `@include`. */
export function costVariables(document: DocumentNode): string[] {
  const names = new Set<string>();
  const add = (argument: ArgumentNode | undefined) => {
    if (argument?.value.kind === Kind.VARIABLE) names.add(argument.value.name.value);
  };
  visit(document, {
    Field(field) {
      for (const argument of field.arguments ?? []) if (argument.name.value === 'first' || argument.name.value === 'last') add(argument);
    },
    Directive(directive) {
      if (directive.name.value === 'skip' || directive.name.value === 'include') add(directive.arguments?.find((argument) => argument.name.value === 'if'));
    },
  });
  return [...names].sort();
}
