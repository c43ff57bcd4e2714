import type { GatewayGraphQLRequest, GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import { MAX_BATCHED_REQUESTS, REQUEST_ID, SUBGRAPH_REQUEST_ID } from '../../protocol/headers';
import { buildSchema, graphql, GraphQLError } from 'graphql';
import { FetchBatcher, splitEntities, type JoinedHeader } from './fetch-batching';

const QUERY = 'query Picture__permits__1($representations:[_Any!]!){_entities(representations:$representations){...on Person{permits{id}}}}';

/** An entity read as @apollo/gateway hands it to the data source: its headers already set. */
function read(ids: string[], options: { requestId?: string; claims?: string; query?: string; variables?: Record<string, unknown> } = {}): GatewayGraphQLRequest {
  const headers = new Headers({ 'content-type': 'application/json', 'x-dmx-claims': options.claims ?? 'border' });
  if (options.requestId) headers.set('x-request-id', options.requestId);
  return {
    query: options.query ?? QUERY,
    operationName: 'Picture__permits__1',
    variables: { ...options.variables, representations: ids.map((id) => ({ __typename: 'Person', id })) },
    http: { method: 'POST', url: 'http://127.0.0.1:1/graphql', headers },
  };
}

/** A stand-in registry: answers each representation with an entity naming it, and keeps what it was sent. */
function registry(answer?: (request: GatewayGraphQLRequest) => GatewayGraphQLResponse | Promise<GatewayGraphQLResponse>) {
  const sent: GatewayGraphQLRequest[] = [];
  const send = async (request: GatewayGraphQLRequest): Promise<GatewayGraphQLResponse> => {
    sent.push(request);
    if (answer) return answer(request);
    const representations = request.variables!.representations as { id: string }[];
    return { data: { _entities: representations.map(({ id }) => ({ permits: [{ id: `permit-of-${id}` }] })) } };
  };
  return { sent, send };
}

const entitiesOf = (response: GatewayGraphQLResponse) => (response.data!._entities as { permits: { id: string }[] }[]).map((entity) => entity.permits[0].id);
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('FetchBatcher, entity reads: the reads of one turn, one fetch', () => {
  it('sends a lone read as it is', async () => {
    const { sent, send } = registry();
    const batcher = new FetchBatcher(send);
    const request = read(['p1', 'p2'], { requestId: 'r1' });
    const answer = (await batcher.fetch(request, {}))!;
    expect(sent).toEqual([request]);
    expect(sent[0]).toBe(request);
    expect(entitiesOf(answer)).toEqual(['permit-of-p1', 'permit-of-p2']);
  });

  it('sends the reads of one caller in one turn as one fetch, in order, naming every request, and gives each its own entities', async () => {
    const { sent, send } = registry();
    const batcher = new FetchBatcher(send);
    const answers = Promise.all([
      batcher.fetch(read(['p1'], { requestId: 'r1' }), {}),
      batcher.fetch(read(['p2', 'p3'], { requestId: 'r2' }), {}),
      batcher.fetch(read(['p4'], { requestId: 'r3' }), {}),
    ]);
    const [first, second, third] = await answers;
    expect(sent).toHaveLength(1);
    expect(sent[0].variables!.representations).toEqual(['p1', 'p2', 'p3', 'p4'].map((id) => ({ __typename: 'Person', id })));
    expect(sent[0].http!.headers.get('x-request-id')).toBe('r1,r2,r3');
    expect(sent[0].http!.headers.get('x-dmx-claims')).toBe('border');
    expect([sent[0].query, sent[0].operationName]).toEqual([QUERY, 'Picture__permits__1']);
    expect(entitiesOf(first!)).toEqual(['permit-of-p1']);
    expect(entitiesOf(second!)).toEqual(['permit-of-p2', 'permit-of-p3']);
    expect(entitiesOf(third!)).toEqual(['permit-of-p4']);
  });

  it('never joins reads of different callers, operations or other variables, nor a caller without claims with one with', async () => {
    const { sent, send } = registry();
    const batcher = new FetchBatcher(send);
    const anonymous = read(['p7']);
    anonymous.http!.headers.delete('x-dmx-claims');
    await Promise.all([
      batcher.fetch(read(['p1']), {}),
      batcher.fetch(read(['p2'], { claims: 'police' }), {}),
      batcher.fetch(read(['p3'], { query: QUERY.replace('permits{id}', 'permits{id kind}') }), {}),
      batcher.fetch(read(['p4'], { variables: { on: '2026-01-01' } }), {}),
      batcher.fetch(read(['p5'], { variables: { on: '2026-01-02' } }), {}),
      batcher.fetch(read(['p6'], { variables: { on: '2026-01-02' } }), {}),
      batcher.fetch(anonymous, {}),
    ]);
    // The fetches of one turn go out together, in no order that means anything.
    const ids = (request: GatewayGraphQLRequest) => (request.variables!.representations as { id: string }[]).map(({ id }) => id);
    expect(sent.map(ids).sort()).toEqual([['p1'], ['p2'], ['p3'], ['p4'], ['p5', 'p6'], ['p7']]);
    const fetchOf = (id: string) => sent.find((request) => ids(request).includes(id))!;
    expect(fetchOf('p5').variables!.on).toBe('2026-01-02');
    expect(fetchOf('p7').http!.headers.has('x-dmx-claims')).toBe(false);
  });

  it('leaves mutations, reads with extensions and operations it cannot rename to be sent alone', () => {
    const { send } = registry();
    const batcher = new FetchBatcher(send);
    const mutation = { ...read(['p1']), query: 'mutation Submit($representations:[_Any!]!){noop}' };
    const withExtensions = { ...read(['p1']), extensions: { persistedQuery: { version: 1, sha256Hash: 'x' } } };
    const withFragment = { ...read([]), variables: { id: 'p1' }, query: 'query Q($id:ID!){person(id:$id){...F}} fragment F on Person{id}' };
    const rootFragment = { ...read([]), variables: { id: 'p1' }, query: 'query Q($id:ID!){...on Query{person(id:$id){id}}}' };
    const unparsable = { ...read([]), variables: {}, query: 'query {' };
    for (const request of [mutation, withExtensions, withFragment, rootFragment, unparsable]) expect(batcher.fetch(request, {})).toBeNull();
  });

  it('does not join reads of different turns', async () => {
    const { sent, send } = registry();
    const batcher = new FetchBatcher(send);
    const first = batcher.fetch(read(['p1']), {});
    await nextTurn();
    const second = batcher.fetch(read(['p2']), {});
    await Promise.all([first, second]);
    expect(sent).toHaveLength(2);
  });

  it('keeps a batch within its limits: requests, then representations; a read as large as the limit goes alone', async () => {
    const { sent, send } = registry();
    const batcher = new FetchBatcher(send, { limits: { maxRepresentations: 4, maxRequests: 2 } });
    const ids = (from: number, count: number) => Array.from({ length: count }, (_, i) => `p${from + i}`);
    expect(batcher.fetch(read(ids(0, 4)), {})).toBeNull();
    await Promise.all([1, 2, 3].map((n) => batcher.fetch(read([`p${n}`]), {})));
    await Promise.all([batcher.fetch(read(ids(10, 3)), {}), batcher.fetch(read(ids(20, 2)), {})]);
    const sizes = sent.map((request) => (request.variables!.representations as unknown[]).length);
    expect(sizes).toEqual([2, 1, 3, 2]);
  });

  it('joins requests whose joined header has the same key, its values joined, within its budget; another key apart', async () => {
    const { sent, send } = registry();
    // Claims as "agency/officer": the agency must be equal, the officers are joined.
    const officers: JoinedHeader = {
      read: (value) => ({ key: value.split('/')[0], size: value.length }),
      join: (values) => [...new Set(values)].join('+'),
      budget: 20,
    };
    const batcher = new FetchBatcher(send, { joinedHeaders: { 'x-dmx-claims': officers } });
    const asks: [string, string][] = [
      ['p1', 'border/ann'],
      ['p2', 'border/bob'],
      ['p3', 'border/ann'],
      ['p4', 'police/ann'],
      ['p5', 'border/cem'],
    ];
    const answers = await Promise.all(asks.map(([id, claims], n) => batcher.fetch(read([id], { claims, requestId: `r${n + 1}` }), {})));
    expect(answers.map((answer) => entitiesOf(answer!))).toEqual(asks.map(([id]) => [`permit-of-${id}`]));
    // border/ann and border/bob fill the budget (20 characters): border/cem starts a fetch of its own.
    expect(sent.map((request) => [request.http!.headers.get('x-dmx-claims'), request.http!.headers.get('x-request-id')])).toEqual([
      ['border/ann+border/bob', 'r1,r2,r3'],
      ['police/ann', 'r4'],
      ['border/cem', 'r5'],
    ]);
  });

  it('joins requests with and without an optional header; the fetch carries it when any of them does', async () => {
    const { sent, send } = registry();
    const asked: JoinedHeader = { read: () => ({ key: '', size: 0 }), join: () => '1', budget: Number.POSITIVE_INFINITY, optional: true };
    const batcher = new FetchBatcher(send, { joinedHeaders: { 'x-asked': asked } });
    const withHeader = (id: string) => {
      const request = read([id], { requestId: `r-${id}` });
      request.http!.headers.set('x-asked', 'yes');
      return request;
    };
    const answers = await Promise.all([read(['p1'], { requestId: 'r-p1' }), withHeader('p2'), read(['p3'], { requestId: 'r-p3' })].map((request) => batcher.fetch(request, {})));
    expect(answers.map((answer) => entitiesOf(answer!))).toEqual([['permit-of-p1'], ['permit-of-p2'], ['permit-of-p3']]);
    await Promise.all([read(['p4'], { requestId: 'r-p4' }), read(['p5'], { requestId: 'r-p5' })].map((request) => batcher.fetch(request, {})));
    expect(sent.map((request) => [request.http!.headers.get('x-request-id'), request.http!.headers.get('x-asked')])).toEqual([
      ['r-p1,r-p2,r-p3', '1'],
      ['r-p4,r-p5', null],
    ]);
  });

  it('fails every request of a batch whose fetch fails', async () => {
    const { send } = registry(() => Promise.reject(new Error('The permits registry is unavailable')));
    const batcher = new FetchBatcher(send);
    const answers = [batcher.fetch(read(['p1']), {}), batcher.fetch(read(['p2']), {})];
    for (const answer of answers) await expect(answer).rejects.toThrow('unavailable');
  });

  it('sends each request on its own when the joined answer has not one entity per representation', async () => {
    const { sent, send } = registry((request) => {
      const representations = request.variables!.representations as { id: string }[];
      return { data: { _entities: representations.slice(0, 1).map(({ id }) => ({ permits: [{ id: `permit-of-${id}` }] })) } };
    });
    const batcher = new FetchBatcher(send);
    const answers = await Promise.all([batcher.fetch(read(['p1']), {}), batcher.fetch(read(['p2']), {})]);
    expect(sent.map((request) => (request.variables!.representations as unknown[]).length)).toEqual([2, 1, 1]);
    expect(answers.map((answer) => entitiesOf(answer!))).toEqual([['permit-of-p1'], ['permit-of-p2']]);
  });

  it('lets at most MAX_BATCHED_REQUESTS ids into the x-request-id a registry accepts', () => {
    const ids = (count: number) => Array.from({ length: count }, (_, i) => `req-${i}`).join(',');
    expect(SUBGRAPH_REQUEST_ID.test(ids(1))).toBe(true);
    expect(SUBGRAPH_REQUEST_ID.test(ids(MAX_BATCHED_REQUESTS))).toBe(true);
    expect(SUBGRAPH_REQUEST_ID.test(ids(MAX_BATCHED_REQUESTS + 1))).toBe(false);
    expect(SUBGRAPH_REQUEST_ID.test('a,,b')).toBe(false);
    expect(REQUEST_ID.test('a,b')).toBe(false);
  });
});

describe('splitEntities: each request its part of a batched entity read', () => {
  const entities = (n: number) => Array.from({ length: n }, (_, i) => ({ n: i }));

  it('gives each its slice and the errors about its entities, renumbered', () => {
    const response: GatewayGraphQLResponse = {
      data: { _entities: entities(5) },
      errors: [
        { message: 'about entity 1', path: ['_entities', 1, 'permits'] },
        { message: 'about entity 3', path: ['_entities', 3] },
      ],
    };
    const [first, second] = splitEntities(response, [2, 3])!;
    expect(first.data).toEqual({ _entities: [{ n: 0 }, { n: 1 }] });
    expect(second.data).toEqual({ _entities: [{ n: 2 }, { n: 3 }, { n: 4 }] });
    expect(first.errors).toEqual([{ message: 'about entity 1', path: ['_entities', 1, 'permits'] }]);
    expect(second.errors).toEqual([{ message: 'about entity 3', path: ['_entities', 1] }]);
  });

  it('divides no answer with an error about no entity in particular (it could be about any request of the batch)', () => {
    const response: GatewayGraphQLResponse = { data: { _entities: entities(2) }, errors: [{ message: 'about the fetch' }] };
    expect(splitEntities(response, [1, 1])).toBeNull();
    expect(splitEntities({ ...response, errors: [{ message: 'elsewhere', path: ['other', 0] }] }, [1, 1])).toBeNull();
  });

  it('gives no errors field to a part without errors', () => {
    const [first, second] = splitEntities({ data: { _entities: entities(2) }, errors: [{ message: 'x', path: ['_entities', 1] }] }, [1, 1])!;
    expect(first).not.toHaveProperty('errors');
    expect(second.errors).toHaveLength(1);
  });

  it('divides no answer without one entity per representation', () => {
    expect(splitEntities({ data: { _entities: entities(2) } }, [1, 2])).toBeNull();
    expect(splitEntities({ data: null, errors: [{ message: 'Refused: bad signature.' }] }, [1, 1])).toBeNull();
  });
});

describe('FetchBatcher, root reads: one operation, each request under aliases of its own', () => {
  // A registry stand-in that executes what it is sent, so the joined operation must be valid GraphQL.
  const schema = buildSchema(`
    type Query { person(id: ID!): Person  required(id: ID!): Person!  persons(first: Int!): [Person!]! }
    type Person { id: ID!  greeting(language: String!): String  name: String }
  `);
  const people = (id: string) => {
    if (id.startsWith('bad')) throw new GraphQLError(`no person ${id}`);
    return { id, name: `name of ${id}`, greeting: ({ language }: { language: string }) => `${language}: ${id}` };
  };
  const rootValue = { person: ({ id }: { id: string }) => people(id), required: ({ id }: { id: string }) => people(id), persons: ({ first }: { first: number }) => Array.from({ length: first }, (_, i) => people(`p${i}`)) };
  function executing() {
    const sent: GatewayGraphQLRequest[] = [];
    const send = async (request: GatewayGraphQLRequest): Promise<GatewayGraphQLResponse> => {
      sent.push(request);
      const result = await graphql({ schema, source: request.query!, variableValues: request.variables, rootValue });
      return JSON.parse(JSON.stringify(result)) as GatewayGraphQLResponse;
    };
    return { sent, send };
  }
  const QUERY_ROOT = 'query Picture__persons__0($id:ID!,$language:String!,$withName:Boolean!){person(id:$id){id greeting(language:$language) name @include(if:$withName)} persons(first:2){id}}';
  const root = (variables: Record<string, unknown>, requestId?: string, query = QUERY_ROOT): GatewayGraphQLRequest => ({ ...read([], { requestId }), query, operationName: /^query (\w+)/.exec(query)![1], variables });
  const alone = async (request: GatewayGraphQLRequest) => executing().send(request);

  it('joins the root reads of one turn into one operation and gives each request what it gets alone', async () => {
    const { sent, send } = executing();
    const batcher = new FetchBatcher(send);
    const requests = [
      root({ id: 'p1', language: 'az', withName: true }, 'r1'),
      root({ id: 'p2', language: 'en', withName: false }, 'r2'),
      root({ id: 'p3', language: 'ru', withName: true }, 'r3'),
    ];
    const answers = await Promise.all(requests.map((request) => batcher.fetch(request, {})));
    expect(sent).toHaveLength(1);
    expect(sent[0].http!.headers.get('x-request-id')).toBe('r1,r2,r3');
    expect(sent[0].operationName).toBe('Picture__persons__0');
    expect(sent[0].variables).toEqual({ v0_0: 'p1', v1_0: 'az', v2_0: true, v0_1: 'p2', v1_1: 'en', v2_1: false, v0_2: 'p3', v1_2: 'ru', v2_2: true });
    for (const [index, request] of requests.entries()) {
      const own = await alone(request);
      expect(answers[index]!.data).toEqual(own.data);
    }
    expect(answers[1]!.data!.person).toEqual({ id: 'p2', greeting: 'en: p2' });
  });

  it('joins as well with no room left to keep joined texts (each printed for its fetch)', async () => {
    const { sent, send } = executing();
    const batcher = new FetchBatcher(send, { joinedTextsBudget: 0 });
    for (let wave = 0; wave < 2; wave += 1) {
      const requests = [root({ id: `p${wave}`, language: 'az', withName: true }), root({ id: 'p9', language: 'en', withName: false })];
      const answers = await Promise.all(requests.map((request) => batcher.fetch(request, {})));
      for (const [index, request] of requests.entries()) expect(answers[index]!.data).toEqual((await alone(request)).data);
    }
    expect(sent).toHaveLength(2);
    expect(sent[1].query).toBe(sent[0].query);
  });

  it('gives each request the errors about its own fields, under their own names', async () => {
    const { send } = executing();
    const batcher = new FetchBatcher(send);
    const [good, bad] = await Promise.all([
      batcher.fetch(root({ id: 'p1', language: 'az', withName: true }), {}),
      batcher.fetch(root({ id: 'bad-1', language: 'az', withName: true }), {}),
    ]);
    expect(good!.errors).toBeUndefined();
    expect(good!.data!.person.id).toBe('p1');
    expect(bad!.data!.person).toBeNull();
    expect(bad!.errors).toEqual([expect.objectContaining({ message: 'no person bad-1', path: ['person'] })]);
  });

  it('sends each request on its own when an error of the joined answer is about no request in particular', async () => {
    const { sent, send } = executing();
    const answerOnce = (request: GatewayGraphQLRequest) => send(request).then((response) => (sent.length === 1 ? { ...response, errors: [{ message: 'about the whole fetch' }] } : response));
    const batcher = new FetchBatcher(answerOnce);
    const answers = await Promise.all([
      batcher.fetch(root({ id: 'p1', language: 'az', withName: true }), {}),
      batcher.fetch(root({ id: 'p2', language: 'az', withName: true }), {}),
    ]);
    // The joined fetch, then each request again on its own.
    expect(sent).toHaveLength(3);
    expect(answers.map((answer) => [answer!.data!.person.id, answer!.errors])).toEqual([
      ['p1', undefined],
      ['p2', undefined],
    ]);
  });

  it('sends each request on its own when one failure nulls the whole joined answer', async () => {
    const { sent, send } = executing();
    const batcher = new FetchBatcher(send);
    const query = 'query Q($id:ID!){required(id:$id){id}}';
    const [good, bad] = await Promise.all([batcher.fetch(root({ id: 'p1' }, undefined, query), {}), batcher.fetch(root({ id: 'bad-2' }, undefined, query), {})]);
    expect(sent).toHaveLength(3);
    expect(good!.data).toEqual({ required: { id: 'p1' } });
    expect(bad!.data).toBeNull();
    expect(bad!.errors).toEqual([expect.objectContaining({ message: 'no person bad-2', path: ['required'] })]);
  });

  it('asks once for what several requests of the batch ask, each getting objects of its own', async () => {
    const { sent, send } = executing();
    const batcher = new FetchBatcher(send);
    const same = { id: 'p1', language: 'az', withName: true };
    const answers = await Promise.all([batcher.fetch(root(same), {}), batcher.fetch(root({ ...same, id: 'p2' }), {}), batcher.fetch(root(same), {})]);
    expect(Object.keys(sent[0].variables!)).toHaveLength(6);
    expect(answers[2]!.data).toEqual(answers[0]!.data);
    expect(answers[2]!.data!.person).not.toBe(answers[0]!.data!.person);
    expect(answers[1]!.data!.person.id).toBe('p2');
  });

  it('joins only the same operation of the same caller', async () => {
    const { sent, send } = executing();
    const batcher = new FetchBatcher(send);
    const variables = { id: 'p1', language: 'az', withName: true };
    await Promise.all([
      batcher.fetch(root(variables), {}),
      batcher.fetch({ ...root(variables), http: read([], { claims: 'police' }).http }, {}),
      batcher.fetch(root({ id: 'p1' }, undefined, 'query Q($id:ID!){person(id:$id){id}}'), {}),
    ]);
    expect(sent).toHaveLength(3);
  });
});
