import { CLAIMS_HEADER } from '../../protocol/headers';
import { encodeClaims } from '../../protocol/claims';
import { applicationsSubgraph } from '../../subgraphs/applications/app';
import { paymentsSubgraph } from '../../subgraphs/payments/app';
import { permitsSubgraph } from '../../subgraphs/permits/app';
import { personsSubgraph } from '../../subgraphs/persons/app';
import { startSubgraphUnderTest, type SubgraphUnderTest } from '../testing/subgraph-test-app';
import type { SubgraphDefinition } from './subgraph-definition';

/**
 * mercurius's JIT (GRAPHQL_JIT) answers as graphql-js does: with `jit: 1` an operation's first run is
 * executed by graphql-js and every later one by the compiled query, so the two answers to one request
 * must be the same text, byte for byte. The requests are a gateway's fetches of a page of full
 * pictures (workload 2 of the benchmark), federation's `_entities` and its `_Entity` union included,
 * and the same fetches by a caller some of whose fields are refused (errors, their paths, nulls).
 */
const PERSON_FIELDS = 'id givenName surname citizenship stateless travelDocuments { kind number issuingCountry expiresOn } borderCrossings { direction date }';
const PAGE = `query Page__persons__0($first: Int!, $after: String) { persons(first: $first, after: $after) { pageInfo { endCursor hasNextPage } nodes { __typename ${PERSON_FIELDS} } } }`;
const APPLICATIONS_OF_PERSONS = `query Page__applications__1($representations: [_Any!]!) { _entities(representations: $representations) { ... on Person { applications { __typename id number type status dueOn } } } }`;
const PERMIT_OF_APPLICATIONS = `query Page__permits__2($representations: [_Any!]!) { _entities(representations: $representations) { ... on Application { permit { number } } } }`;
const PAYMENTS_OF_APPLICATIONS = `query Page__payments__3($representations: [_Any!]!) { _entities(representations: $representations) { ... on Application { payments { code status } } } }`;
const FINES_OF_PERSONS = `query Page__payments__4($representations: [_Any!]!) { _entities(representations: $representations) { ... on Person { outstandingFines { offence amount { amount currency } paymentCode outstanding } } } }`;
const PICTURES_OF_PERSONS = `query Page__permits__5($representations: [_Any!]!) { _entities(representations: $representations) { ... on Person {
  stayPeriods { entryDate exitDate days open outcome unlawfulDays bases }
  legalStatus { outcome basis lawfulUntil overstayDays totalOverstayDays registration { required dueOn overdue } reasons { ruleId citation message { az en } } }
  permits { kind number validFrom validUntil status application { id } } } } }`;

/** A caller who may read persons and legal status but not permits, fines nor applications. */
const FEWER_SCOPES = encodeClaims({ agency: 'employers-inspectorate', subject: 'jit-spec', scopes: ['persons:read', 'status:read'] });

async function answer(subgraph: SubgraphUnderTest, query: string, variables: Record<string, unknown>, claims?: string): Promise<string> {
  const response = await subgraph.app.inject({ method: 'POST', url: '/graphql', headers: claims ? { [CLAIMS_HEADER]: claims } : {}, payload: { query, variables } });
  return response.body;
}

const PERSONS = 30;

describe.each<[string, SubgraphDefinition<any>]>([
  ['persons', personsSubgraph],
  ['applications', applicationsSubgraph],
  ['payments', paymentsSubgraph],
  ['permits', permitsSubgraph],
])('the %s registry with JIT', (_name, definition) => {
  let subgraph: SubgraphUnderTest;
  beforeAll(async () => {
    subgraph = await startSubgraphUnderTest(definition, PERSONS, { jit: 1 });
  });
  afterAll(() => subgraph.close());

  /** The fetches this registry serves for a page of every person, with their variables. */
  function pageFetches(): [string, Record<string, unknown>][] {
    const people = subgraph.histories.map(({ person }) => ({ __typename: 'Person', id: person.id }));
    const crossings = subgraph.histories.map(({ person, crossings }) => ({
      __typename: 'Person',
      id: person.id,
      citizenship: person.citizenship,
      borderCrossings: crossings.map(({ direction, date }) => ({ direction, date })),
    }));
    const applications = subgraph.histories.flatMap(({ applications }) => applications.map(({ id }) => ({ __typename: 'Application', id })));
    const byRegistry: Record<string, [string, Record<string, unknown>][]> = {
      persons: [[PAGE, { first: PERSONS, after: null }]],
      applications: [[APPLICATIONS_OF_PERSONS, { representations: people }]],
      payments: [
        [PAYMENTS_OF_APPLICATIONS, { representations: applications }],
        [FINES_OF_PERSONS, { representations: people }],
      ],
      permits: [
        [PERMIT_OF_APPLICATIONS, { representations: applications }],
        [PICTURES_OF_PERSONS, { representations: crossings }],
      ],
    };
    return byRegistry[definition.name];
  }

  it('answers a page of full pictures the same, byte for byte, compiled as interpreted', async () => {
    for (const [query, variables] of pageFetches()) {
      const interpreted = await answer(subgraph, query, variables);
      expect(interpreted).toMatch(/^\{"data":\{"(persons|_entities)":/);
      expect(interpreted).not.toContain('"errors"');
      // The second run is the compiled query's, and so is the third (compiled once).
      expect(await answer(subgraph, query, variables)).toBe(interpreted);
      expect(await answer(subgraph, query, variables)).toBe(interpreted);
    }
  });

  it("takes a variable's default when the request leaves it out, a non-null one too", async () => {
    const [{ person }] = subgraph.histories;
    const query = `query WithDefault($representations: [_Any!]! = [{ __typename: "Person", id: "${person.id}" }]) { _entities(representations: $representations) { __typename } }`;
    const expected = JSON.stringify({ data: { _entities: [{ __typename: 'Person' }] } });
    for (let run = 0; run < 3; run += 1) expect(await answer(subgraph, query, {})).toBe(expected);
  });

  it('refuses the same fields with the same errors, compiled as interpreted, but for their locations', async () => {
    for (const [query, variables] of pageFetches()) {
      const renamed = query.replace(/^query (\w+)/, 'query $1_fewer');
      const interpreted = JSON.parse(await answer(subgraph, renamed, variables, FEWER_SCOPES)) as { errors?: { locations?: unknown }[] };
      // graphql-jit gives a resolver's error no locations. They point into the gateway's fetch, which
      // no client sees: the gateway rebuilds a subgraph's errors from message, path and extensions.
      for (const error of interpreted.errors ?? []) delete error.locations;
      expect(await answer(subgraph, renamed, variables, FEWER_SCOPES)).toBe(JSON.stringify(interpreted));
    }
  });
});
