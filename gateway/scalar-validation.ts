import type { ApolloServerPlugin } from '@apollo/server';
import { Supergraph } from '@apollo/federation-internals';
import {
  getVariableValues,
  GraphQLError,
  isScalarType,
  validate,
  ValuesOfCorrectTypeRule,
  type GraphQLSchema,
} from 'graphql';
import { CountryCodeScalar, DateScalar } from '../subgraphs/shared/scalars';

/** The custom scalars of the contract, with the parsing the subgraphs apply. */
const SCALARS = [DateScalar, CountryCodeScalar];

/**
 * The gateway plans on a schema whose custom scalars accept anything, so a malformed date would only
 * be noticed by a subgraph, and not at all when no subgraph gets to read it. This checks every
 * literal and variable of the contract's scalars before planning, with the subgraphs' own scalar
 * definitions, and refuses the request with BAD_USER_INPUT.
 */
export function scalarValidation(supergraphSdl: string): ApolloServerPlugin {
  const schema = schemaWithScalars(supergraphSdl);
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ document, operation, request }) {
          const [literal] = validate(schema, document, [ValuesOfCorrectTypeRule]);
          if (literal) throw badInput(literal.message);
          const { errors } = getVariableValues(schema, operation?.variableDefinitions ?? [], request.variables ?? {});
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
  return new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT', http: { status: 400 } } });
}
