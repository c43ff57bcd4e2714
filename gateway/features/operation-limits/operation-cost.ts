import type { ApolloServerPlugin } from '@apollo/server';
import { getVariableValues, GraphQLError, isListType, isNonNullType, Kind, visit, type ArgumentNode, type DocumentNode, type GraphQLField, type GraphQLSchema, type OperationDefinitionNode } from 'graphql';
import { getComplexity, type ComplexityEstimator } from 'graphql-query-complexity';
import { MAX_PAGE_SIZE } from '../../../protocol/pages';

/**
 * What an operation costs: a leaf 1; an object 2 plus one and a half times its selections; a list
 * counted as many times as it may hold. (graphql-armor's weights, so LIMIT_MAX_COST kept its meaning:
 * armor's rule still checks the document alone first, counting a page given by a variable as one.) A
 * list holds what its `first` or `last` asks, however the request asks it: written in the document,
 * given as a variable, or left (or set to null) to the argument's default, as the registries read it
 * (the largest page where there is no default); a list asked by a list of ids, as many as it names.
 * Introspection's `__schema` and `__type` cost nothing.
 */
export const operationCost: ComplexityEstimator = ({ field, args, childComplexity, node }) => {
  if (field.name === '__schema' || field.name === '__type') return 0;
  if (!node.selectionSet) return 1;
  return (2 + 1.5 * childComplexity) * listSize(field, args);
};

function listSize(field: GraphQLField<unknown, unknown>, args: Record<string, unknown>): number {
  for (const name of ['first', 'last']) {
    const argument = field.args.find((candidate) => candidate.name === name);
    if (!argument) continue;
    const asked = args[name] ?? argument.defaultValue ?? MAX_PAGE_SIZE;
    return Math.max(1, typeof asked === 'number' ? asked : MAX_PAGE_SIZE);
  }
  const type = isNonNullType(field.type) ? field.type.ofType : field.type;
  if (!isListType(type)) return 1;
  const named = Object.values(args).filter(Array.isArray).map((list) => list.length);
  return Math.max(1, ...named);
}

/**
 * The cost of `operation` of `document` with variables that fit it (the plugin checks them first;
 * graphql-query-complexity coerces them itself). Counting that fails (an operation too large to walk)
 * throws: an operation that cannot be counted is not run.
 */
export function countCost(schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode, variables: Record<string, unknown>): number {
  return getComplexity({ schema, query: document, operationName: operation.name?.value, variables, estimators: [operationCost] });
}

/**
 * Refuses an operation costing more than `maxCost` with this request's variables, before it is planned.
 * A validation rule sees the document alone, and counted `persons(first: $n)` as one person whatever
 * `n` was: twenty such aliases read twenty thousand pictures under a limit meant for about one thousand.
 * Counting costs about 0.1 ms for a picture, so each document keeps its costs by the coerced values of
 * the only variables they depend on (list sizes, `@skip` and `@include`): most operations have none.
 */
export function costLimit(maxCost: number): ApolloServerPlugin {
  const kept = new WeakMap<DocumentNode, { dependsOn: [string, 'value' | 'length'][]; costs: Map<string, number> }>();
  const refused = (message: string) => new GraphQLError(message, { extensions: { code: 'GRAPHQL_VALIDATION_FAILED', http: { status: 400 } } });
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ schema, document, operation, request }) {
          if (!operation) return;
          let known = kept.get(document);
          if (!known) {
            known = { dependsOn: [...costVariables(document)].sort(([a], [b]) => a.localeCompare(b)), costs: new Map() };
            kept.set(document, known);
          }
          const variables = request.variables ?? {};
          const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], variables);
          // Variables that do not fit: request validation refuses them (BAD_USER_INPUT); nothing is kept.
          if (coerced.errors) return;
          const values = coerced.coerced;
          const key = JSON.stringify([
            operation.name?.value ?? null,
            ...known.dependsOn.map(([name, what]) => (!(name in values) ? 'absent' : what === 'length' ? [(values[name] as unknown[] | null)?.length ?? null] : [values[name]])),
          ]);
          let cost = known.costs.get(key);
          if (cost === undefined) {
            try {
              cost = countCost(schema, document, operation, variables);
            } catch (error) {
              // An operation of more than graphql-query-complexity's 10,000 nodes, or arguments it cannot read.
              throw refused(`The cost of this operation could not be counted (${(error as Error).message}); ask for less.`);
            }
            if (known.costs.size >= COSTS_KEPT_PER_DOCUMENT) known.costs.clear();
            known.costs.set(key, cost);
          }
          if (cost > maxCost) {
            throw refused(`Query cost limit of ${maxCost} exceeded, found ${Math.round(cost)}: each list counts as many times as it may hold (its first or last, given or by default). Ask smaller pages.`);
          }
        },
      };
    },
  };
}

const COSTS_KEPT_PER_DOCUMENT = 64;

/**
 * What of each variable a document's cost depends on: the value of those given as `first` or `last`
 * or to `@skip` and `@include`; the length of a list (a list of ids sizes the list it asks). Others,
 * as a picture's `$id`, change nothing: its cost is counted once.
 */
export function costVariables(document: DocumentNode): Map<string, 'value' | 'length'> {
  const depends = new Map<string, 'value' | 'length'>();
  const byValue = (argument: ArgumentNode | undefined) => {
    if (argument?.value.kind === Kind.VARIABLE) depends.set(argument.value.name.value, 'value');
  };
  visit(document, {
    VariableDefinition(definition) {
      const type = definition.type.kind === Kind.NON_NULL_TYPE ? definition.type.type : definition.type;
      if (type.kind === Kind.LIST_TYPE && !depends.has(definition.variable.name.value)) depends.set(definition.variable.name.value, 'length');
    },
    Field(field) {
      for (const argument of field.arguments ?? []) if (argument.name.value === 'first' || argument.name.value === 'last') byValue(argument);
    },
    Directive(directive) {
      if (directive.name.value === 'skip' || directive.name.value === 'include') byValue(directive.arguments?.find((argument) => argument.name.value === 'if'));
    },
  });
  return depends;
}
