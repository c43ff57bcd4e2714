import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { MAX_SUBJECT_LENGTH } from '../../protocol/audit-entry';
import { CLAIMS_HEADER, MAX_BATCHED_REQUESTS } from '../../protocol/headers';
import { decodeClaims } from '../../protocol/claims';
import { STATE_HEADER, STATE_PATH } from '../../protocol/registry-state';
import type { KeyObject } from 'node:crypto';
import { newSigningKeyPair, SIGNATURE_HEADER, verifyRequest } from '../../protocol/request-signing';
import type { GatewayContext } from '../http/context';
import { ReadCache } from './read-cache';
import { RequestTimes } from './request-times';
import { SubgraphDataSource, SubgraphResponse, type SubgraphAnswer } from './data-source';

/** The header that carried a request's time of take-up before that time moved into the gateway's memory (RequestTimes). */
const TAKEN_UP_HEADER = 'x-dmx-taken-up';

describe('SubgraphResponse: what the gateway reads of a subgraph answer', () => {
  const answer: SubgraphAnswer = {
    url: 'http://127.0.0.1:1/graphql',
    status: 200,
    headers: { 'content-type': 'application/json; charset=utf-8', vary: ['a', 'b'] },
    text: '{"data":{"n":1}}',
  };

  it('gives headers by any case of their name, the status and its text', () => {
    const response = new SubgraphResponse(answer);
    expect(response.headers.get('Content-Type')).toBe('application/json; charset=utf-8');
    expect(response.headers.get('vary')).toBe('a, b');
    expect(response.headers.get('cache-control')).toBeNull();
    expect([response.ok, response.status, response.statusText, response.url]).toEqual([true, 200, 'OK', answer.url]);
    const refused = new SubgraphResponse({ ...answer, status: 401 });
    expect([refused.ok, refused.statusText]).toEqual([false, 'Unauthorized']);
  });

  it('lets its body be read once, as fetch does, and lets go of it then', async () => {
    const response = new SubgraphResponse(answer);
    expect(await response.json()).toEqual({ data: { n: 1 } });
    await expect(response.text()).rejects.toThrow(/already read/);
  });

  it('gives requests sharing one answer objects of their own', async () => {
    const first = (await new SubgraphResponse(answer).json()) as { data: { n: number } };
    first.data.n = 2;
    expect(await new SubgraphResponse(answer).json()).toEqual({ data: { n: 1 } });
  });
});

/**
 * A registry stand-in on loopback for the enclosing describe block: `answer` gets each request's body
 * as text, with whether the gateway's signature holds for this registry and this request as received.
 */
function standInRegistry(
  key: KeyObject,
  audience: string,
  answer: (request: { body: string; claims: string | undefined; signed: boolean; req: IncomingMessage }, res: ServerResponse) => void,
) {
  const server = createServer((req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const claims = req.headers[CLAIMS_HEADER] as string | undefined;
      const request = { audience, method: req.method!, path: req.url!, contentType: req.headers['content-type'], claims, body };
      answer({ body, claims, signed: verifyRequest(key, req.headers[SIGNATURE_HEADER] as string, request).valid, req }, res);
    });
  });
  const registry = { url: '' };
  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    registry.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return registry;
}

describe('SubgraphDataSource: one fetch for identical reads in flight', () => {
  const KEY = newSigningKeyPair();
  const received: { body: string; claims: string | undefined; signed: boolean; takenUp: unknown }[] = [];
  let release: () => void = () => undefined;
  let gate = Promise.resolve();
  // A subgraph stand-in that holds every answer until released, so that requests overlap.
  const registry = standInRegistry(KEY.publicKey, 'persons', ({ body, claims, signed, req }, res) => {
    received.push({ body, claims, signed, takenUp: req.headers[TAKEN_UP_HEADER] });
    void gate.then(() => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ data: { echo: body.length } }));
    });
  });
  beforeEach(() => {
    received.length = 0;
    gate = new Promise<void>((resolve) => (release = resolve));
  });

  // Requests as the gateway executes them: a body (its query and variables), and the caller's claims header.
  type Fetch = (target: string, init: { body: string; headers: Record<string, string> }) => Promise<{ json(): Promise<unknown> }>;
  const contextAdmitted = (source: SubgraphDataSource, at?: number): GatewayContext => {
    const context: GatewayContext = { requestId: 'r', claims: null, purpose: null };
    if (at !== undefined) source.requestTimes.admit(context, at);
    return context;
  };
  const fetcherOf =
    (source: SubgraphDataSource): Fetch =>
    async (_target, { body, headers }) => {
      const { query, variables } = JSON.parse(body) as { query: string; variables?: Record<string, unknown> };
      const { [TAKEN_UP_HEADER]: takenUp, ...sent } = headers;
      const response = await source.process({
        kind: 'incoming operation' as never,
        request: { query, ...(variables ? { variables } : {}), http: { method: 'POST', url: '', headers: new Headers(sent) as never } },
        context: contextAdmitted(source, takenUp === undefined ? undefined : Number(takenUp)),
        incomingRequestContext: {} as never,
      });
      return { json: async () => ({ data: response.data }) };
    };
  const inFlightOf = (source: SubgraphDataSource) => source.inFlightReads;
  const read = (n: number) => JSON.stringify({ query: `query { _entities(representations: $r) { id } }`, variables: { n, pad: 'x'.repeat(200_000) } });

  it('sends identical reads of one caller once, signed; other bodies, other callers and mutations each their own', async () => {
    const source = new SubgraphDataSource('persons', registry.url, KEY.privateKey);
    const fetch = fetcherOf(source);
    // Requests admitted before the first fetch was sent.
    const takenUp = String(performance.now());
    const as = (claims: string) => ({ 'content-type': 'application/json', [CLAIMS_HEADER]: claims, [TAKEN_UP_HEADER]: takenUp });
    // A write: never shared.
    const asWriter = (claims: string) => ({ 'content-type': 'application/json', [CLAIMS_HEADER]: claims });
    const mutation = JSON.stringify({ query: 'mutation { noop }' });
    const answers = Promise.all([
      fetch(registry.url, { body: read(1), headers: as('border') }),
      fetch(registry.url, { body: read(1), headers: as('border') }),
      fetch(registry.url, { body: read(1), headers: as('border') }),
      fetch(registry.url, { body: read(2), headers: as('border') }),
      fetch(registry.url, { body: read(1), headers: as('police') }),
      fetch(registry.url, { body: mutation, headers: asWriter('border') }),
      fetch(registry.url, { body: mutation, headers: asWriter('border') }),
    ]);
    // Wait until the server holds every request it will get, then let the answers go.
    while (received.length < 5) await new Promise((resolve) => setTimeout(resolve, 5));
    expect(inFlightOf(source).size).toBe(2);
    release();
    const responses = await answers;
    expect(received).toHaveLength(5);
    expect(received.every((request) => request.signed)).toBe(true);
    expect(received.filter((request) => request.body === read(1) && request.claims === 'border')).toHaveLength(1);
    // Each waiter reads an answer of its own.
    const bodies = await Promise.all(responses.map((response) => response.json()));
    expect(bodies.slice(0, 3)).toEqual([{ data: { echo: read(1).length } }, { data: { echo: read(1).length } }, { data: { echo: read(1).length } }]);
    // Nothing is kept once the answers are in.
    expect(inFlightOf(source).size).toBe(0);
  });

  it('does not give a request admitted after the fetch was sent its answer, which may predate a write it must see', async () => {
    const source = new SubgraphDataSource('persons', registry.url, KEY.privateKey);
    const fetch = fetcherOf(source);
    const as = (takenUp: number) => ({ 'content-type': 'application/json', [CLAIMS_HEADER]: 'border', [TAKEN_UP_HEADER]: String(takenUp) });
    const early = fetch(registry.url, { body: read(4), headers: as(performance.now()) });
    while (received.length < 1) await new Promise((resolve) => setTimeout(resolve, 5));
    // The read is out; a request admitted now (after a write was answered, say) asks the same.
    const late = fetch(registry.url, { body: read(4), headers: as(performance.now()) });
    while (received.length < 2) await new Promise((resolve) => setTimeout(resolve, 5));
    release();
    await Promise.all([early, late]);
    expect(received).toHaveLength(2);
    // The gateway's own header never reaches the registry.
    expect(received.map((request) => request.takenUp)).toEqual([undefined, undefined]);
  });

  it('sends the same read again once the first answer is in', async () => {
    const source = new SubgraphDataSource('persons', registry.url, KEY.privateKey);
    release();
    const headers = { 'content-type': 'application/json', [CLAIMS_HEADER]: 'border' };
    await fetcherOf(source)(registry.url, { body: read(3), headers });
    await fetcherOf(source)(registry.url, { body: read(3), headers });
    expect(received).toHaveLength(2);
  });
});

describe('SubgraphDataSource with fetch batching: the entity reads of one turn, one signed fetch', () => {
  const KEY = newSigningKeyPair();
  const received: { representations: { id: string }[]; requestId: string | undefined; claims: string | undefined; signed: boolean }[] = [];
  // A registry stand-in: one entity per representation, naming it.
  const registry = standInRegistry(KEY.publicKey, 'permits', ({ body, claims, signed, req }, res) => {
    const { variables } = JSON.parse(body) as { variables: { representations: { id: string }[] } };
    received.push({ representations: variables.representations, requestId: req.headers['x-request-id'] as string | undefined, claims, signed });
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ data: { _entities: variables.representations.map(({ id }) => ({ name: `entity ${id}` })) } }));
  });
  beforeEach(() => {
    received.length = 0;
  });

  const read = (source: SubgraphDataSource, ids: string[], requestId: string, agency: string, subject = 'officer') =>
    source.process({
      // GraphQLDataSourceRequestKind.INCOMING_OPERATION (the enum is not exported by @apollo/gateway).
      kind: 'incoming operation' as never,
      request: {
        query: 'query Picture__permits__1($representations:[_Any!]!){_entities(representations:$representations){...on Person{name}}}',
        operationName: 'Picture__permits__1',
        variables: { representations: ids.map((id) => ({ __typename: 'Person', id })) },
      },
      context: { requestId, claims: { agency, subject, scopes: [] }, purpose: null },
      incomingRequestContext: {} as never,
    });
  const names = (response: { data?: Record<string, any> | null }) => (response.data!._entities as { name: string }[]).map(({ name }) => name);

  it("sends one caller's reads of one turn as one fetch, signed, naming each request; another caller's apart", async () => {
    const source = new SubgraphDataSource('permits', registry.url, KEY.privateKey, { batchFetches: true });
    const [first, second, other] = await Promise.all([
      read(source, ['p1'], 'r1', 'border-service'),
      read(source, ['p2', 'p3'], 'r2', 'border-service'),
      read(source, ['p4'], 'r3', 'police'),
    ]);
    expect(received).toHaveLength(2);
    expect(received.every((request) => request.signed)).toBe(true);
    const joined = received.find((request) => request.requestId === 'r1,r2')!;
    expect(joined.representations.map(({ id }) => id)).toEqual(['p1', 'p2', 'p3']);
    expect(received.find((request) => request.requestId === 'r3')!.representations.map(({ id }) => id)).toEqual(['p4']);
    expect([names(first), names(second), names(other)]).toEqual([['entity p1'], ['entity p2', 'entity p3'], ['entity p4']]);
  });

  it('joins the reads of officers of one agency holding the same scopes, naming every officer in the signed claims', async () => {
    const source = new SubgraphDataSource('permits', registry.url, KEY.privateKey, { batchFetches: true });
    const answers = await Promise.all([
      read(source, ['p1'], 'r1', 'border-service', 'officer-1'),
      read(source, ['p2'], 'r2', 'border-service', 'officer-2'),
      read(source, ['p3'], 'r3', 'border-service', 'officer-1'),
      read(source, ['p4'], 'r4', 'police', 'officer-1'),
    ]);
    expect(answers.map(names)).toEqual([['entity p1'], ['entity p2'], ['entity p3'], ['entity p4']]);
    expect(received).toHaveLength(2);
    expect(received.every((request) => request.signed)).toBe(true);
    const joined = received.find((request) => request.requestId === 'r1,r2,r3')!;
    expect(joined.representations.map(({ id }) => id)).toEqual(['p1', 'p2', 'p3']);
    expect(decodeClaims(joined.claims)).toEqual({ agency: 'border-service', subjects: ['officer-1', 'officer-2'], scopes: [] });
    expect(decodeClaims(received.find((request) => request.requestId === 'r4')!.claims)).toEqual({ agency: 'police', subjects: ['officer-1'], scopes: [] });
  });

  // Subjects in Latin letters, in Azerbaijani (ə: 2 bytes in UTF-8) and in Georgian (ა: 3 bytes).
  it.each(['x', 'ə', 'ა'])('keeps the headers of a fetch within what a Node server accepts: 64 requests with the longest ids and subjects of %s', async (letter) => {
    const source = new SubgraphDataSource('permits', registry.url, KEY.privateKey, { batchFetches: true });
    const longest = (prefix: string, n: number, length: number, fill: string) => `${prefix}${n}-`.padEnd(length, fill);
    const answers = await Promise.all(
      // Fourteen officers asking in turn: as many as a fetch may name, their requests' ids all in it too.
      Array.from({ length: MAX_BATCHED_REQUESTS }, (_, n) => read(source, [`p${n}`], longest('r', n, 128, 'x'), 'border-service', longest('officer-', n % 14, MAX_SUBJECT_LENGTH, letter))),
    );
    // The stand-in is a Node server with its default limit on headers (16 KiB): a fetch over it fails.
    expect(answers.map(names)).toEqual(Array.from({ length: MAX_BATCHED_REQUESTS }, (_, n) => [`entity p${n}`]));
    expect(received.length).toBeLessThan(MAX_BATCHED_REQUESTS / 2);
    expect(new Set(received.flatMap((request) => decodeClaims(request.claims)!.subjects)).size).toBe(14);
  });

  it('sends each read on its own without batching', async () => {
    const source = new SubgraphDataSource('permits', registry.url, KEY.privateKey);
    await Promise.all([read(source, ['p1'], 'r1', 'border-service'), read(source, ['p2'], 'r2', 'border-service')]);
    expect(received.map((request) => request.requestId).sort()).toEqual(['r1', 'r2']);
  });
});

describe("SubgraphDataSource with the read cache: a registry's answers kept, given again while its state holds", () => {
  const KEY = newSigningKeyPair();
  const registryState = { state: 'v1@2026-11-22' };
  const posts: { body: string; askedState: boolean; signed: boolean }[] = [];
  const probes: { signed: boolean }[] = [];
  // A registry stand-in: GET /state answers its state; a read asking for it gets it with the answer.
  const registry = standInRegistry(KEY.publicKey, 'persons', ({ body, signed, req }, res) => {
    res.setHeader('content-type', 'application/json');
    if (req.method === 'GET' && req.url === STATE_PATH) {
      probes.push({ signed });
      res.end(JSON.stringify({ state: registryState.state }));
      return;
    }
    const askedState = req.headers[STATE_HEADER] !== undefined;
    posts.push({ body, askedState, signed });
    // A write moves the registry to a new state before it is answered.
    if (body.includes('mutation')) registryState.state = `v${posts.length}@2026-11-22`;
    if (askedState) res.setHeader(STATE_HEADER, registryState.state);
    res.end(JSON.stringify({ data: { person: { id: 'p1', seen: posts.length } } }));
  });
  beforeEach(() => {
    posts.length = 0;
    probes.length = 0;
  });

  const times = new RequestTimes();
  const contextOf = (subject: string, scopes: string[] = ['persons:read']): GatewayContext => {
    const context: GatewayContext = { requestId: `r-${subject}`, claims: { agency: 'border-service', subject, scopes }, purpose: null };
    times.admit(context);
    return context;
  };
  const ask = (source: SubgraphDataSource, query: string, subject: string, scopes?: string[], context = contextOf(subject, scopes)) =>
    source.process({
      kind: 'incoming operation' as never,
      request: { query, operationName: 'Picture__persons__0', variables: { id: 'p1' } },
      context,
      incomingRequestContext: {} as never,
    });
  const READ = 'query Picture__persons__0($id:ID!){person(id:$id){id seen}}';

  it('answers the read of another officer of the agency after a signed probe, and asks again once the state moved', async () => {
    const source = new SubgraphDataSource('persons', registry.url, KEY.privateKey, { readCache: new ReadCache(1 << 20, null), batchFetches: true, requestTimes: times });
    const first = await ask(source, READ, 'officer-1');
    const second = await ask(source, READ, 'officer-2');
    expect(second.data).toEqual(first.data);
    expect(posts).toHaveLength(1);
    expect(posts[0]).toMatchObject({ askedState: true, signed: true });
    expect(probes).toEqual([{ signed: true }]);
    registryState.state = 'v2@2026-11-22';
    const third = await ask(source, READ, 'officer-1');
    expect(third.data).toEqual({ person: { id: 'p1', seen: 2 } });
    expect(posts).toHaveLength(2);
  });

  it('keeps apart callers whose scopes differ, and neither asks the state of a mutation nor keeps its answer', async () => {
    const source = new SubgraphDataSource('persons', registry.url, KEY.privateKey, { readCache: new ReadCache(1 << 20, null), requestTimes: times });
    await ask(source, READ, 'officer-1', ['persons:read']);
    await ask(source, READ, 'officer-1', ['persons:read', 'permits:read']);
    expect(posts).toHaveLength(2);
    const write = 'mutation Write__persons__0($id:ID!){touch(id:$id){id seen}}';
    await ask(source, write, 'officer-1');
    await ask(source, write, 'officer-1');
    expect(posts.slice(2).map((post) => post.askedState)).toEqual([false, false]);
  });

  it("keeps the answer of an anonymous operation's root read, which Apollo prints in shorthand, as any read's", async () => {
    const source = new SubgraphDataSource('persons', registry.url, KEY.privateKey, { readCache: new ReadCache(1 << 20, null), requestTimes: times });
    const shorthand = '{person(id:"p1"){id seen}}';
    const first = await ask(source, shorthand, 'officer-1');
    expect(posts).toEqual([expect.objectContaining({ askedState: true })]);
    expect((await ask(source, shorthand, 'officer-2')).data).toEqual(first.data);
    expect(posts).toHaveLength(1);
  });

  it('gives the reads after a write in one operation what the write changed', async () => {
    const source = new SubgraphDataSource('persons', registry.url, KEY.privateKey, { readCache: new ReadCache(1 << 20, null), requestTimes: times });
    const operation = contextOf('officer-1');
    await ask(source, READ, 'officer-1', undefined, operation);
    // Kept, and confirmed by a probe sent after the operation was admitted.
    expect((await ask(source, READ, 'officer-1', undefined, operation)).data).toEqual({ person: { id: 'p1', seen: 1 } });
    expect([posts.length, probes.length]).toEqual([1, 1]);
    // The operation writes (a mutation with a selection read afterwards): its next read sees the write.
    await ask(source, 'mutation Write__persons__0($id:ID!){touch(id:$id){id seen}}', 'officer-1', undefined, operation);
    expect((await ask(source, READ, 'officer-1', undefined, operation)).data).toEqual({ person: { id: 'p1', seen: 3 } });
    expect(probes).toHaveLength(2);
  });

  it('asks no state for a read seen for the first time, and caches it only when it comes again', async () => {
    const source = new SubgraphDataSource('persons', registry.url, KEY.privateKey, { readCache: new ReadCache(1 << 20), requestTimes: times });
    for (const officer of ['officer-1', 'officer-2', 'officer-3']) await ask(source, READ, officer);
    expect(posts.map((post) => post.askedState)).toEqual([false, true]);
    expect(probes).toHaveLength(1);
  });

  it("writes a read's body once for its key, its fetch and its send", async () => {
    const source = new SubgraphDataSource('persons', registry.url, KEY.privateKey, { readCache: new ReadCache(1 << 20), batchFetches: true, requestTimes: times });
    let written = 0;
    // JSON.stringify asks the variables for their JSON each time it writes them.
    const variables = { id: 'p1', toJSON: () => ((written += 1), { id: 'p1' }) };
    const request = { query: READ, operationName: 'Picture__persons__0', variables };
    const answer = await source.process({ kind: 'incoming operation' as never, request, context: contextOf('officer-1'), incomingRequestContext: {} as never });
    expect(answer.data).toEqual({ person: { id: 'p1', seen: 1 } });
    expect(JSON.parse(posts[0].body)).toMatchObject({ variables: { id: 'p1' } });
    expect(written).toBe(1);
  });

  it('asks every time without a read cache, and never for the state', async () => {
    const source = new SubgraphDataSource('persons', registry.url, KEY.privateKey, { requestTimes: times });
    await ask(source, READ, 'officer-1');
    await ask(source, READ, 'officer-1');
    expect(posts.map((post) => post.askedState)).toEqual([false, false]);
    expect(probes).toHaveLength(0);
  });
});

describe('SubgraphDataSource with the read cache and fetch batching: a read to be kept shares its fetch', () => {
  const KEY = newSigningKeyPair();
  const posts: { ids: string[]; askedState: boolean }[] = [];
  const probes: number[] = [];
  // A registry stand-in answering entity reads, and its state to a read that asks (and on GET /state).
  const registry = standInRegistry(KEY.publicKey, 'permits', ({ body, req }, res) => {
    res.setHeader('content-type', 'application/json');
    if (req.method === 'GET' && req.url === STATE_PATH) {
      probes.push(1);
      res.end(JSON.stringify({ state: 'v1@2026-12-06' }));
      return;
    }
    const { variables } = JSON.parse(body) as { variables: { representations: { id: string }[] } };
    const askedState = req.headers[STATE_HEADER] !== undefined;
    posts.push({ ids: variables.representations.map(({ id }) => id), askedState });
    if (askedState) res.setHeader(STATE_HEADER, 'v1@2026-12-06');
    res.end(JSON.stringify({ data: { _entities: variables.representations.map(({ id }) => ({ name: `entity ${id}` })) } }));
  });

  const times = new RequestTimes();
  const read = (source: SubgraphDataSource, id: string, requestId: string) => {
    const context: GatewayContext = { requestId, claims: { agency: 'border-service', subject: 'officer', scopes: [] }, purpose: null };
    times.admit(context);
    return source.process({
      kind: 'incoming operation' as never,
      request: {
        query: 'query Picture__permits__1($representations:[_Any!]!){_entities(representations:$representations){...on Person{name}}}',
        operationName: 'Picture__permits__1',
        variables: { representations: [{ __typename: 'Person', id }] },
      },
      context,
      incomingRequestContext: {} as never,
    });
  };
  const names = (response: { data?: Record<string, any> | null }) => (response.data!._entities as { name: string }[]).map(({ name }) => name);

  it('joins a read asking for the state with first-seen reads in one fetch that asks, and keeps only its answer', async () => {
    const source = new SubgraphDataSource('permits', registry.url, KEY.privateKey, { readCache: new ReadCache(1 << 20), batchFetches: true, requestTimes: times });
    await read(source, 'p1', 'r1');
    expect(posts).toEqual([{ ids: ['p1'], askedState: false }]);
    // p1 is asked the second time: its answer is to be kept, so it asks for the state; p2 and p3 are new.
    const answers = await Promise.all([read(source, 'p2', 'r2'), read(source, 'p1', 'r3'), read(source, 'p3', 'r4')]);
    expect(answers.map(names)).toEqual([['entity p2'], ['entity p1'], ['entity p3']]);
    expect(posts.slice(1)).toEqual([{ ids: ['p2', 'p1', 'p3'], askedState: true }]);
    // p1's answer was kept under the state the joined fetch gave; p2's was not (seen once).
    expect(names(await read(source, 'p1', 'r5'))).toEqual(['entity p1']);
    expect([posts.length, probes.length]).toEqual([2, 1]);
    expect(names(await read(source, 'p2', 'r6'))).toEqual(['entity p2']);
    expect(posts.slice(2)).toEqual([{ ids: ['p2'], askedState: true }]);
  });
});
