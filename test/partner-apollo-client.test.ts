import { createHash } from 'node:crypto';
import { ApolloClient, ApolloLink, HttpLink, InMemoryCache } from '@apollo/client';
import { PersistedQueryLink } from '@apollo/client/link/persisted-queries';
import { parse } from 'graphql';
import { startGraph, type RunningGraph } from './harness';
import { callerFor, committedOperations, demoRecords, exampleVariables, refusalCodes, type DemoRecords } from './partner-kit';

/**
 * Issue 19, item 3: a partner's project with Apollo Client 4, as its documentation sets it up (an
 * InMemoryCache, which adds `__typename` to every selection set, and the stock PersistedQueryLink
 * with a SHA-256 from node:crypto), runs every committed operation against a gateway in safelist
 * mode, each as the agency profile it is meant for, in one round trip.
 */
describe('a partner project with Apollo Client 4 (issue 19)', () => {
  const operations = committedOperations();
  let graph: RunningGraph;
  let records: DemoRecords;
  /** What the client sent and got, request by request. */
  type Answer = { data?: unknown; errors?: { extensions?: { code?: unknown } }[] };
  let exchanges: { sent: Record<string, unknown>; status: number; body: Answer }[];

  beforeAll(async () => {
    graph = await startGraph({ persons: 6, persisted: 'safelist' });
    records = await demoRecords(graph);
  }, 180_000);
  afterAll(() => graph?.stop());
  beforeEach(() => {
    exchanges = [];
  });

  /** The partner's fetch, watched: every request it makes and the answer. */
  const watchedFetch: typeof fetch = async (input, init) => {
    const response = await fetch(input, init);
    exchanges.push({ sent: JSON.parse(String(init?.body ?? '{}')), status: response.status, body: (await response.clone().json()) as Answer });
    return response;
  };

  const client = (links: ApolloLink[]) =>
    new ApolloClient({
      cache: new InMemoryCache(),
      link: ApolloLink.from([...links, new HttpLink({ uri: () => graph.gatewayUrl, fetch: watchedFetch })]),
    });

  /** Runs one operation as its profile, the way a partner's code would. */
  const run = async (apollo: ApolloClient, operation: (typeof operations)[number]) => {
    const options = { variables: exampleVariables(operation, records), context: { headers: await callerFor(graph, operation) }, errorPolicy: 'all' as const };
    return operation.kind === 'mutation'
      ? apollo.mutate({ mutation: operation.document, ...options })
      : apollo.query({ query: operation.document, fetchPolicy: 'no-cache', ...options });
  };

  it('the kit has operations, each with its profile', () => {
    expect(operations.length).toBeGreaterThan(0);
  });

  it('runs every committed operation through the persisted-queries link by hash alone, in one round trip each', async () => {
    const apollo = client([new PersistedQueryLink({ sha256: (text: string) => createHash('sha256').update(text).digest('hex') })]);
    for (const operation of operations) {
      exchanges = [];
      await run(apollo, operation);
      const [first] = exchanges;
      expect({ operation: operation.name, requests: exchanges.length, queryTextSent: 'query' in first.sent, status: first.status, refused: refusalCodes(first.body) }).toEqual({
        operation: operation.name,
        requests: 1,
        queryTextSent: false,
        status: 200,
        refused: [],
      });
      // Executed: the answer has data (a registry's rule may still refuse a mutation, with its own code).
      expect(first.body).toHaveProperty('data');
    }
  });

  it('runs every committed operation sent as text, with the __typename fields Apollo Client adds, in one round trip each', async () => {
    const apollo = client([]);
    for (const operation of operations) {
      exchanges = [];
      const result = await run(apollo, operation);
      const [first] = exchanges;
      expect(String(first.sent.query)).toContain('__typename');
      expect({ operation: operation.name, requests: exchanges.length, status: first.status, refused: refusalCodes(first.body) }).toEqual({
        operation: operation.name,
        requests: 1,
        status: 200,
        refused: [],
      });
      expect(first.body).toHaveProperty('data');
      if (operation.kind === 'query') expect(result.data).toBeDefined();
    }
  });

  it('an operation outside the kit is refused after the link falls back to its text, saying how to propose one', async () => {
    const apollo = client([new PersistedQueryLink({ sha256: (text: string) => createHash('sha256').update(text).digest('hex') })]);
    const { error } = await apollo.query({
      query: parse('query NotCommitted { persons(first: 1) { nodes { id surname } } }'),
      context: { headers: await graph.caller('administrator', 'ADMINISTRATION') },
      fetchPolicy: 'no-cache',
      errorPolicy: 'all',
    });
    expect(exchanges.map(({ status, body }) => ({ status, codes: body.errors?.map((e) => e.extensions?.code) }))).toEqual([
      { status: 200, codes: ['PERSISTED_QUERY_NOT_FOUND'] },
      { status: 403, codes: ['PERSISTED_QUERY_NOT_IN_SAFELIST'] },
    ]);
    expect(String(error?.message)).toMatch(/test\/operations\/.*npm run codegen/);
  });
});
