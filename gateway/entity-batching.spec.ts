import type { GatewayGraphQLRequest, GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import { MAX_BATCHED_REQUESTS, REQUEST_ID, SUBGRAPH_REQUEST_ID } from '../subgraphs/shared/context';
import { EntityFetchBatcher, splitResponse } from './entity-batching';

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

describe('EntityFetchBatcher: reads of one turn, one fetch', () => {
  it('sends a lone read as it is', async () => {
    const { sent, send } = registry();
    const batcher = new EntityFetchBatcher('permits', send);
    const request = read(['p1', 'p2'], { requestId: 'r1' });
    const answer = (await batcher.fetch(request, {}))!;
    expect(sent).toEqual([request]);
    expect(sent[0]).toBe(request);
    expect(entitiesOf(answer)).toEqual(['permit-of-p1', 'permit-of-p2']);
  });

  it('sends the reads of one caller in one turn as one fetch, in order, naming every request, and gives each its own entities', async () => {
    const { sent, send } = registry();
    const batcher = new EntityFetchBatcher('permits', send);
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

  it('never joins reads of different callers, operations or other variables', async () => {
    const { sent, send } = registry();
    const batcher = new EntityFetchBatcher('permits', send);
    await Promise.all([
      batcher.fetch(read(['p1']), {}),
      batcher.fetch(read(['p2'], { claims: 'police' }), {}),
      batcher.fetch(read(['p3'], { query: QUERY.replace('permits{id}', 'permits{id kind}') }), {}),
      batcher.fetch(read(['p4'], { variables: { on: '2026-01-01' } }), {}),
      batcher.fetch(read(['p5'], { variables: { on: '2026-01-02' } }), {}),
      batcher.fetch(read(['p6'], { variables: { on: '2026-01-02' } }), {}),
    ]);
    const groups = sent.map((request) => (request.variables!.representations as { id: string }[]).map(({ id }) => id));
    expect(groups).toEqual([['p1'], ['p2'], ['p3'], ['p4'], ['p5', 'p6']]);
    expect(sent[4].variables!.on).toBe('2026-01-02');
  });

  it('leaves anything but an entity read to be sent alone', () => {
    const { send } = registry();
    const batcher = new EntityFetchBatcher('permits', send);
    const root = { ...read([]), variables: { id: 'p1' }, query: 'query Picture__persons__0($id:ID!){person(id:$id){id}}' };
    const mutation = { ...read(['p1']), query: 'mutation Submit($representations:[_Any!]!){noop}' };
    const withExtensions = { ...read(['p1']), extensions: { persistedQuery: { version: 1, sha256Hash: 'x' } } };
    for (const request of [root, mutation, withExtensions]) expect(batcher.fetch(request, {})).toBeNull();
  });

  it('does not join reads of different turns', async () => {
    const { sent, send } = registry();
    const batcher = new EntityFetchBatcher('permits', send);
    const first = batcher.fetch(read(['p1']), {});
    await nextTurn();
    const second = batcher.fetch(read(['p2']), {});
    await Promise.all([first, second]);
    expect(sent).toHaveLength(2);
  });

  it('keeps a batch within its limits: requests, then representations; a read as large as the limit goes alone', async () => {
    const { sent, send } = registry();
    const batcher = new EntityFetchBatcher('permits', send, { maxRepresentations: 4, maxRequests: 2 });
    const ids = (from: number, count: number) => Array.from({ length: count }, (_, i) => `p${from + i}`);
    expect(batcher.fetch(read(ids(0, 4)), {})).toBeNull();
    await Promise.all([1, 2, 3].map((n) => batcher.fetch(read([`p${n}`]), {})));
    await Promise.all([batcher.fetch(read(ids(10, 3)), {}), batcher.fetch(read(ids(20, 2)), {})]);
    const sizes = sent.map((request) => (request.variables!.representations as unknown[]).length);
    expect(sizes).toEqual([2, 1, 3, 2]);
  });

  it('fails every request of a batch whose fetch fails', async () => {
    const { send } = registry(() => Promise.reject(new Error('The permits registry is unavailable')));
    const batcher = new EntityFetchBatcher('permits', send);
    const answers = [batcher.fetch(read(['p1']), {}), batcher.fetch(read(['p2']), {})];
    for (const answer of answers) await expect(answer).rejects.toThrow('unavailable');
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

describe('splitResponse: each request its part of a batched answer', () => {
  const entities = (n: number) => Array.from({ length: n }, (_, i) => ({ n: i }));

  it('gives each its slice, the errors about its entities renumbered, and the errors about none in particular', () => {
    const response: GatewayGraphQLResponse = {
      data: { _entities: entities(5) },
      errors: [
        { message: 'about entity 1', path: ['_entities', 1, 'permits'] },
        { message: 'about entity 3', path: ['_entities', 3] },
        { message: 'about the fetch' },
      ],
    };
    const [first, second] = splitResponse('permits', response, [2, 3]);
    expect(first.data).toEqual({ _entities: [{ n: 0 }, { n: 1 }] });
    expect(second.data).toEqual({ _entities: [{ n: 2 }, { n: 3 }, { n: 4 }] });
    expect(first.errors).toEqual([{ message: 'about entity 1', path: ['_entities', 1, 'permits'] }, { message: 'about the fetch' }]);
    expect(second.errors).toEqual([{ message: 'about entity 3', path: ['_entities', 1] }, { message: 'about the fetch' }]);
    expect(first.errors![1]).not.toBe(second.errors![1]);
  });

  it('gives no errors field to a part without errors', () => {
    const [first, second] = splitResponse('permits', { data: { _entities: entities(2) }, errors: [{ message: 'x', path: ['_entities', 1] }] }, [1, 1]);
    expect(first).not.toHaveProperty('errors');
    expect(second.errors).toHaveLength(1);
  });

  it('fails every part of an answer without one entity per representation', () => {
    const short = splitResponse('permits', { data: { _entities: entities(2) } }, [1, 2]);
    for (const part of short) {
      expect(part.data).toBeNull();
      expect(part.errors).toEqual([{ message: 'The permits registry answered a batched read without one entity per representation.' }]);
    }
    const refused = splitResponse('permits', { data: null, errors: [{ message: 'Refused: bad signature.' }] }, [1, 1]);
    expect(refused.map((part) => part.errors)).toEqual([[{ message: 'Refused: bad signature.' }], [{ message: 'Refused: bad signature.' }]]);
  });
});
