import 'reflect-metadata';
import { isObjectType, type GraphQLSchema } from 'graphql';
import { permitsSubgraph } from '../../subgraphs/permits/app';
import { personsSubgraph } from '../../subgraphs/persons/app';
import { buildFederatedSchema } from './build-subgraph-schema';

function field(schema: GraphQLSchema, type: string, name: string) {
  const found = schema.getType(type);
  if (!isObjectType(found)) throw new Error(`${type} is not an object type`);
  return found.getFields()[name];
}

describe('buildFederatedSchema', () => {
  let persons: GraphQLSchema;
  let permits: GraphQLSchema;
  beforeAll(async () => {
    [persons, permits] = await Promise.all([buildFederatedSchema(personsSubgraph), buildFederatedSchema(permitsSubgraph)]);
  });

  it('gives a plain field no resolver: graphql reads the property (and the JIT inlines the read)', () => {
    for (const [schema, type, name] of [
      [persons, 'Person', 'id'],
      [persons, 'TravelDocument', 'kind'],
      [persons, 'PageInfo', 'hasNextPage'],
      [permits, 'Permit', 'number'],
      [permits, 'StayPeriod', 'days'],
      [permits, 'RegistrationRequirement', 'overdue'],
    ] as const) {
      expect([`${type}.${name}`, field(schema, type, name).resolve]).toEqual([`${type}.${name}`, undefined]);
    }
  });

  it('keeps the resolvers of field resolvers and of the fields that need a scope', () => {
    // A field resolver (the permits registry's Person.permits) and fields enforceAccess guards.
    expect(field(permits, 'Person', 'permits').resolve).toEqual(expect.any(Function));
    expect(field(permits, 'Permit', 'holder').resolve).toEqual(expect.any(Function));
    expect(field(persons, 'Person', 'givenName').resolve).toEqual(expect.any(Function));
  });
});
