import { buildClientSchema, getIntrospectionQuery, isObjectType, type IntrospectionQuery } from 'graphql';
import { ANONYMOUS, expectData, startGraph, type RunningGraph } from './harness';

/**
 * Introspection in development answers the documents the tools send (issue 19): graphql-js's
 * `getIntrospectionQuery()` and GraphiQL's (named fragments FullType, InputValue, TypeRef nested
 * several levels), aliases, `__type(name:)`; production keeps it off.
 */
describe('introspection in development', () => {
  let graph: RunningGraph;
  beforeAll(async () => {
    graph = await startGraph({ persons: 5, development: true });
  }, 180_000);
  afterAll(() => graph.stop());

  it.each([
    ['the administrator', undefined],
    ['a caller without a token', ANONYMOUS],
  ])('answers getIntrospectionQuery() for %s, and the answer builds the schema with its descriptions', async (_who, headers) => {
    const response = await graph.query(getIntrospectionQuery({ descriptions: true, inputValueDeprecation: true }), undefined, headers);
    expect(response.status).toBe(200);
    const schema = buildClientSchema(expectData<IntrospectionQuery>(response));
    const person = schema.getType('Person');
    expect(isObjectType(person)).toBe(true);
    if (!isObjectType(person)) return;
    expect(person.getFields().applications.description).toMatch(/applications/);
    expect(schema.getQueryType()?.getFields().person).toBeDefined();
  });

  it('answers aliases, __type(name:) and fragments on introspection types', async () => {
    const response = await graph.query(`
      query Explore {
        personType: __type(name: "Person") { ...Named fields { name description type { ...Ref } } }
        s: __schema { q: queryType { name } }
        __typename
      }
      fragment Named on __Type { kind name description }
      fragment Ref on __Type { kind name ofType { kind name ofType { kind name } } }
    `);
    const data = expectData<any>(response);
    expect(data.personType).toMatchObject({ kind: 'OBJECT', name: 'Person' });
    expect(data.personType.fields.find((field: { name: string }) => field.name === 'applications').description).toMatch(/applications/);
    expect(data.s.q.name).toBe('Query');
    expect(data.__typename).toBe('Query');
  });

  it('answers /health with JSON even where the IDE is served (development), not with the IDE', async () => {
    const response = await fetch(new URL('/health', graph.gatewayUrl), { headers: { accept: 'text/html' } });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'alive' });
  });

  it('serves introspection beside a data field, each judged on its own', async () => {
    const response = await graph.query(`
      query Both { persons(first: 1) { totalCount nodes { ...P } } __type(name: "Person") { ...T } }
      fragment P on Person { id surname }
      fragment T on __Type { name }
    `);
    const data = expectData<any>(response);
    expect(data.persons.totalCount).toBe(5);
    expect(data.persons.nodes[0].surname).toEqual(expect.any(String));
    expect(data.__type.name).toBe('Person');
  });
});

describe('introspection in production', () => {
  let graph: RunningGraph;
  beforeAll(async () => {
    graph = await startGraph({ persons: 3, development: false });
  }, 180_000);
  afterAll(() => graph.stop());

  it('is refused, without telling the caller how to switch it on', async () => {
    const response = await graph.query(getIntrospectionQuery());
    expect(response.status).toBe(400);
    expect(response.body.data).toBeUndefined();
    const [error] = response.body.errors ?? [];
    expect(error.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(error.message).toMatch(/introspection/i);
    expect(JSON.stringify(response.body)).not.toMatch(/ApolloServer|introspection: true/);
  });
});
