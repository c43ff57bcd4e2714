import type { ApolloServerPlugin } from '@apollo/server';
import { Supergraph } from '@apollo/federation-internals';
import {
  getVariableValues,
  GraphQLError,
  isScalarType,
  validate,
  ValuesOfCorrectTypeRule,
  type DocumentNode,
  type GraphQLSchema,
} from 'graphql';
import { CountryCodeScalar, DateScalar, DateTimeScalar } from '../../../platform/scalars';
import type { GatewayFeature } from '../feature';

/** The custom scalars of the contract, with the parsing the subgraphs apply. */
const SCALARS = [DateScalar, CountryCodeScalar, DateTimeScalar];

/**
 * What the gateway checks of a request before planning it, so that nothing a client got wrong turns
 * into an internal error further on:
 * - the operation to run exists and is a query or a mutation (the graph offers no subscriptions);
 * - every literal and variable of the contract's custom scalars parses, with the subgraphs' own scalar
 *   definitions: the gateway plans on a schema whose custom scalars accept anything, so a malformed
 *   date would otherwise only be noticed by a subgraph, and not at all where no subgraph reads it.
 */
export function useRequestValidation(options: { supergraphSdl: string }): GatewayFeature {
  return { name: 'request-validation', apolloPlugins: [requestValidation(options.supergraphSdl)] };
}

function requestValidation(supergraphSdl: string): ApolloServerPlugin {
  const schema = schemaWithScalars(supergraphSdl);
  // The literals are part of the document, and Apollo Server hands the same parsed document to every
  // request with the same text: they are checked once per document, the variables on every request.
  const literalErrors = new WeakMap<DocumentNode, GraphQLError | null>();
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ document, operation, request }) {
          if (!operation) {
            throw refused(
              request.operationName ? `Unknown operation named "${request.operationName}".` : 'Name the operation to run: the document has several.',
              'OPERATION_RESOLUTION_FAILURE',
            );
          }
          if (operation.operation === 'subscription') throw refused('Subscriptions are not offered; use a query.', 'BAD_REQUEST');
          let literal = literalErrors.get(document);
          if (literal === undefined) {
            literal = validate(schema, document, [ValuesOfCorrectTypeRule])[0] ?? null;
            literalErrors.set(document, literal);
          }
          if (literal) throw badInput(literal.message);
          const { errors } = getVariableValues(schema, operation.variableDefinitions ?? [], request.variables ?? {});
          if (errors?.length) throw badInput(errors[0].message);
        },
      };
    },
  };
}

function schemaWithScalars(supergraphSdl: string): GraphQLSchema {
  const schema = Supergraph.build(supergraphSdl).apiSchema().toGraphQLJSSchema();
  for (const scalar of SCALARS) {
    const type = schema.getType(scalar.name);
    if (!isScalarType(type)) throw new Error(`The supergraph has no scalar ${scalar.name}`);
    // This schema only ever validates: giving its scalars the real parsing is all it needs.
    type.parseValue = scalar.parseValue;
    type.parseLiteral = scalar.parseLiteral;
  }
  return schema;
}

function badInput(message: string): GraphQLError {
  return refused(message, 'BAD_USER_INPUT');
}

function refused(message: string, code: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code, http: { status: 400 } } });
}
