import { startSubgraphUnderTest, type SubgraphUnderTest } from '../../platform/testing/subgraph-test-app';
import { personsSubgraph } from './app';

describe('persons subgraph', () => {
  let subgraph: SubgraphUnderTest;
  beforeAll(async () => {
    subgraph = await startSubgraphUnderTest(personsSubgraph);
  });
  afterAll(() => subgraph.close());

  it('answers a person with documents and crossings as the registry holds them', async () => {
    const [history] = subgraph.histories;
    const response = await subgraph.client.query(
      `query($id: ID!) { person(id: $id) { id givenName surname birthDate sex citizenship stateless
         travelDocuments { id number issuingCountry issuedOn expiresOn }
         borderCrossings { id direction date checkpoint } } }`,
      { variables: { id: history.person.id } },
    );
    expect(response.errors).toBeUndefined();
    expect(response.data.person).toEqual({
      id: history.person.id,
      givenName: history.person.givenName,
      surname: history.person.surname,
      birthDate: history.person.birthDate,
      sex: history.person.sex,
      citizenship: history.person.citizenship,
      stateless: history.person.citizenship === null,
      travelDocuments: history.documents.map(({ id, number, issuingCountry, issuedOn, expiresOn }) => ({ id, number, issuingCountry, issuedOn, expiresOn })),
      borderCrossings: [...history.crossings]
        .sort((a, b) => a.date.localeCompare(b.date) || a.id.localeCompare(b.id))
        .map(({ id, direction, date, checkpoint }) => ({ id, direction, date, checkpoint })),
    });
  });

  it('resolves _entities for person references from other subgraphs, null for unknown ids', async () => {
    const [first, second] = subgraph.histories;
    const response = await subgraph.client.query(
      `query($representations: [_Any!]!) { _entities(representations: $representations) { ... on Person { id surname } } }`,
      {
        variables: {
          representations: [
            { __typename: 'Person', id: second.person.id },
            { __typename: 'Person', id: '00000000-0000-4000-8000-000000000000' },
            { __typename: 'Person', id: 'not-a-uuid' },
            { __typename: 'Person', id: first.person.id },
          ],
        },
      },
    );
    expect(response.errors).toBeUndefined();
    expect(response.data._entities).toEqual([
      { id: second.person.id, surname: second.person.surname },
      null,
      null,
      { id: first.person.id, surname: first.person.surname },
    ]);
  });

  it('batches _entities: one statement for many references', async () => {
    const before = subgraph.db.stats.byName.get('persons.byIds') ?? 0;
    await subgraph.client.query(
      `query($representations: [_Any!]!) { _entities(representations: $representations) { ... on Person { id } } }`,
      { variables: { representations: subgraph.histories.map((h) => ({ __typename: 'Person', id: h.person.id })) } },
    );
    expect((subgraph.db.stats.byName.get('persons.byIds') ?? 0) - before).toBe(1);
  });

  it('publishes its federation SDL with Person as an entity keyed by id', async () => {
    const response = await subgraph.client.query('{ _service { sdl } }');
    expect(response.data._service.sdl).toMatch(/type Person\s+@key\(fields: "id"\)/);
  });

  it('refuses a malformed id with BAD_USER_INPUT and no internals', async () => {
    const response = await subgraph.client.query('{ person(id: "1; drop table persons") { id } }');
    expect(response.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(JSON.stringify(response)).not.toMatch(/stack|select|drop table persons;/i);
  });
});
