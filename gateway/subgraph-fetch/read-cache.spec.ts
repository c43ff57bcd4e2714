import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import { encodeClaims } from '../../protocol/claims';
import { CLAIMS_HEADER } from '../../protocol/headers';
import { STATE_HEADER } from '../../protocol/registry-state';
import { callerClaims, REQUEST_IDS } from './fetch-batching';
import { ReadCache, readCaching, ReadKeys, SeenBefore, StateProbe, StepAside } from './read-cache';

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** A registry's answer as the data source hands it on: data, maybe errors, and the state it was worked out in. */
function answer(data: Record<string, unknown> | null, state: string | null, errors?: GatewayGraphQLResponse['errors']): GatewayGraphQLResponse {
  const headers = new Headers({ 'cache-control': 'private, max-age=0', ...(state === null ? {} : { [STATE_HEADER]: state }) });
  return { data, ...(errors ? { errors } : {}), http: { url: 'http://127.0.0.1:1/graphql', status: 200, headers } as GatewayGraphQLResponse['http'] };
}

/** A stand-in registry in a state that a test changes; it counts reads and probes. */
function registry(initial = 'v1@2026-11-22') {
  const world = { state: initial, reads: 0, probes: 0, persons: { p1: 'Aysel', p2: 'Murad', p3: 'Leyla' } as Record<string, string> };
  const probe = new StateProbe(async () => {
    world.probes += 1;
    return world.state;
  });
  const fetchPerson = (id: string) => async () => {
    world.reads += 1;
    return answer({ person: { id, givenName: world.persons[id] } }, world.state);
  };
  return { world, probe, fetchPerson };
}

const givenName = (response: GatewayGraphQLResponse) => (response.data!.person as { givenName: string }).givenName;

describe('StateProbe', () => {
  it('sends one probe for the callers of one turn, after that turn', async () => {
    let reads = 0;
    const probe = new StateProbe(async () => `v${(reads += 1)}`);
    const first = probe.current(performance.now());
    const second = probe.current(performance.now());
    expect(reads).toBe(0);
    expect(await Promise.all([first, second])).toEqual(['v1', 'v1']);
    expect([reads, probe.sent]).toEqual([1, 1]);
  });

  it('never gives a later caller a probe already sent, which may have read the state before it asked', async () => {
    let release!: () => void;
    let reads = 0;
    const probe = new StateProbe(async () => {
      const mine = (reads += 1);
      if (mine === 1) await new Promise<void>((resolve) => (release = resolve));
      return `v${mine}`;
    });
    const early = probe.current(performance.now());
    await nextTurn();
    // The first probe is out (and waits); a caller now gets a probe of its own.
    const late = probe.current(performance.now());
    await nextTurn();
    expect(reads).toBe(2);
    release();
    expect([await early, await late]).toEqual(['v1', 'v2']);
  });

  it('gives the later reads of a request the latest probe sent since the request was admitted, and others a new one', async () => {
    let reads = 0;
    const probe = new StateProbe(async () => `v${(reads += 1)}`);
    const takenUp = performance.now();
    expect(await probe.current(takenUp)).toBe('v1');
    // The request's next read, in a later turn: the probe sent after it was admitted still holds.
    expect(await probe.current(takenUp)).toBe('v1');
    expect(reads).toBe(1);
    // A request admitted now may follow a write answered after that probe was sent.
    expect(await probe.current(performance.now())).toBe('v2');
    expect(reads).toBe(2);
  });

  it('gives no later read a probe that did not read the state a registry has just answered in', async () => {
    let state = 'v1';
    const probe = new StateProbe(async () => state);
    const takenUp = performance.now();
    expect(await probe.current(takenUp)).toBe('v1');
    // The same state seen in an answer: the probe still stands.
    probe.saw('v1');
    expect(probe.sent).toBe(1);
    expect(await probe.current(takenUp)).toBe('v1');
    // A write, and a read of the request answered in the new state: its next read must not go back.
    state = 'v2';
    probe.saw('v2');
    expect(await probe.current(takenUp)).toBe('v2');
    expect(probe.sent).toBe(2);
  });

  it('answers null when the state cannot be read', async () => {
    const probe = new StateProbe(async () => {
      throw new Error('registry down');
    });
    expect(await probe.current(performance.now())).toBeNull();
  });
});

describe('ReadCache', () => {
  it('gives a kept answer again while the registry is in the state it was kept under, as objects of its own', async () => {
    const { world, probe, fetchPerson } = registry();
    const cache = new ReadCache(1 << 20, null);
    const first = await cache.read('p1', performance.now(), probe, fetchPerson('p1'));
    (first.data!.person as { givenName: string }).givenName = 'changed by Apollo merging it';
    const second = await cache.read('p1', performance.now(), probe, fetchPerson('p1'));
    expect(givenName(second)).toBe('Aysel');
    // Of its HTTP part, what Apollo reads: the status and the cache-control header.
    expect(second.http!.status).toBe(200);
    expect(second.http!.headers.get('cache-control')).toBe('private, max-age=0');
    expect([world.reads, world.probes]).toEqual([1, 1]);
    expect(cache.stats).toEqual({ hits: 1, misses: 1, stale: 0, firstSeen: 0, passed: 0 });
  });

  it('asks the registry again once its state changed (a write, or the next day), and keeps the new answer', async () => {
    const { world, probe, fetchPerson } = registry();
    const cache = new ReadCache(1 << 20, null);
    await cache.read('p1', performance.now(), probe, fetchPerson('p1'));
    world.persons.p1 = 'Aytən';
    world.state = 'v2@2026-11-22';
    expect(givenName(await cache.read('p1', performance.now(), probe, fetchPerson('p1')))).toBe('Aytən');
    world.state = 'v2@2026-11-23';
    expect(givenName(await cache.read('p1', performance.now(), probe, fetchPerson('p1')))).toBe('Aytən');
    expect(givenName(await cache.read('p1', performance.now(), probe, fetchPerson('p1')))).toBe('Aytən');
    expect(world.reads).toBe(3);
    expect(cache.stats).toEqual({ hits: 1, misses: 3, stale: 2, firstSeen: 0, passed: 0 });
  });

  it('asks the registry when the probe fails', async () => {
    const { world, fetchPerson } = registry();
    const cache = new ReadCache(1 << 20, null);
    const failing = new StateProbe(async () => null);
    await cache.read('p1', performance.now(), failing, fetchPerson('p1'));
    await cache.read('p1', performance.now(), failing, fetchPerson('p1'));
    expect(world.reads).toBe(2);
  });

  it("asks each registry's own probe: a write in one leaves what is kept of the other", async () => {
    const persons = registry();
    const permits = registry('w7@2026-11-22');
    const cache = new ReadCache(1 << 20, null);
    await cache.read('persons\np1', performance.now(), persons.probe, persons.fetchPerson('p1'));
    await cache.read('permits\np1', performance.now(), permits.probe, permits.fetchPerson('p1'));
    permits.world.state = 'w8@2026-11-22';
    await cache.read('persons\np1', performance.now(), persons.probe, persons.fetchPerson('p1'));
    await cache.read('permits\np1', performance.now(), permits.probe, permits.fetchPerson('p1'));
    expect([persons.world.reads, permits.world.reads]).toEqual([1, 2]);
    expect([persons.world.probes, permits.world.probes]).toEqual([1, 1]);
  });

  it('keeps no answer with errors, without data or without a state, and nothing for a null key', async () => {
    const { probe } = registry();
    const cache = new ReadCache(1 << 20, null);
    const answers = [
      answer({ person: null }, 'v1@2026-11-22', [{ message: 'Forbidden', path: ['person'] }]),
      answer(null, 'v1@2026-11-22'),
      answer({ person: { id: 'p1' } }, null),
    ];
    for (const [index, given] of answers.entries()) {
      let reads = 0;
      const fetch = async () => {
        reads += 1;
        return given;
      };
      await cache.read(`k${index}`, performance.now(), probe, fetch);
      await cache.read(`k${index}`, performance.now(), probe, fetch);
      expect(reads).toBe(2);
    }
    let reads = 0;
    const fetch = async () => {
      reads += 1;
      return answer({ person: { id: 'p1' } }, 'v1@2026-11-22');
    };
    await cache.read(null, performance.now(), probe, fetch);
    await cache.read(null, performance.now(), probe, fetch);
    expect([reads, cache.size]).toEqual([2, 0]);
  });

  it('keeps no answer the registry marked not to be kept (Cache-Control: no-store), and keeps the others', async () => {
    const { probe } = registry();
    const cache = new ReadCache(1 << 20, null);
    const readsWith = async (cacheControl: string) => {
      let reads = 0;
      const fetch = async () => {
        reads += 1;
        const headers = new Headers({ 'cache-control': cacheControl, [STATE_HEADER]: 'v1@2026-11-22' });
        return { data: { presence: { present: 12 } }, http: { url: 'http://127.0.0.1:1/graphql', status: 200, headers } as GatewayGraphQLResponse['http'] };
      };
      for (let n = 0; n < 3; n += 1) await cache.read(`presence ${cacheControl}`, performance.now(), probe, fetch);
      return reads;
    };
    expect(await readsWith('no-store')).toBe(3);
    expect(await readsWith('private, No-Store')).toBe(3);
    expect(await readsWith('no-store,max-age=0')).toBe(3);
    expect(await readsWith('private, max-age=0')).toBe(1);
    expect(await readsWith('no-cache="no-store-x", max-age=60')).toBe(1);
  });

  it('keeps within its budget, dropping the least recently used first', async () => {
    const { world, probe, fetchPerson } = registry();
    // An answer's JSON in UTF-8, its key at two bytes a character and what an entry costs besides: room for two such, not three.
    const entry = Buffer.byteLength(JSON.stringify({ person: { id: 'p1', givenName: 'Aysel' } })) + 2 * 'p1'.length + 320;
    const cache = new ReadCache(2 * entry + 1, null);
    await cache.read('p1', performance.now(), probe, fetchPerson('p1'));
    await cache.read('p2', performance.now(), probe, fetchPerson('p2'));
    await cache.read('p1', performance.now(), probe, fetchPerson('p1'));
    await cache.read('p3', performance.now(), probe, fetchPerson('p3'));
    expect(world.reads).toBe(3);
    await cache.read('p1', performance.now(), probe, fetchPerson('p1'));
    expect(world.reads).toBe(3);
    await cache.read('p2', performance.now(), probe, fetchPerson('p2'));
    expect(world.reads).toBe(4);
    expect(cache.size).toBe(2 * entry);
  });

  it('keeps nothing larger than its whole budget', async () => {
    const { world, probe, fetchPerson } = registry();
    const cache = new ReadCache(10, null);
    await cache.read('p1', performance.now(), probe, fetchPerson('p1'));
    await cache.read('p1', performance.now(), probe, fetchPerson('p1'));
    expect([world.reads, cache.size]).toEqual([2, 0]);
  });
});

describe('SeenBefore', () => {
  it('says a read is new the first time and seen the next', () => {
    const seen = new SeenBefore();
    expect([seen.check('persons\n1\nabc'), seen.check('persons\n1\nabc'), seen.check('persons\n1\nabd')]).toEqual([false, true, false]);
  });

  it('takes few new reads for seen ones, up to its capacity', () => {
    const seen = new SeenBefore(10_000);
    for (let index = 0; index < 9_000; index += 1) seen.check(`permits\n7\nfirst-${index}`);
    let mistaken = 0;
    for (let index = 0; index < 900; index += 1) if (seen.check(`permits\n7\nsecond-${index}`)) mistaken += 1;
    expect(mistaken).toBeLessThan(27);
  });

  it('forgets everything after its capacity of new reads', () => {
    const seen = new SeenBefore(100);
    seen.check('old');
    expect(seen.check('old')).toBe(true);
    // Past a hundred new reads (a few taken for seen ones do not count), it starts afresh.
    for (let index = 0; index < 150; index += 1) seen.check(`new-${index}`);
    expect(seen.check('old')).toBe(false);
  });
});

describe('ReadCache admitting the reads asked again', () => {
  it('sends a read asked for the first time without asking the state and caches nothing; caches it the second time', async () => {
    const { world, probe, fetchPerson } = registry();
    const cache = new ReadCache(1 << 20, new SeenBefore());
    const asked: boolean[] = [];
    const fetch = (askState: boolean) => {
      asked.push(askState);
      return fetchPerson('p1')();
    };
    await cache.read('p1', performance.now(), probe, fetch);
    expect([cache.size, world.probes]).toEqual([0, 0]);
    await cache.read('p1', performance.now(), probe, fetch);
    expect(cache.size).toBeGreaterThan(0);
    expect(givenName(await cache.read('p1', performance.now(), probe, fetch))).toBe('Aysel');
    expect(asked).toEqual([false, true]);
    expect([world.reads, world.probes]).toEqual([2, 1]);
    expect(cache.stats).toEqual({ hits: 1, misses: 2, stale: 0, firstSeen: 1, passed: 0 });
  });

  it('asks again, with the state, a read whose cached answer went stale', async () => {
    const { world, probe, fetchPerson } = registry();
    const cache = new ReadCache(1 << 20, new SeenBefore(4));
    const asked: boolean[] = [];
    const fetch = (askState: boolean) => {
      asked.push(askState);
      return fetchPerson('p1')();
    };
    await cache.read('p1', performance.now(), probe, fetch);
    await cache.read('p1', performance.now(), probe, fetch);
    // The doorkeeper forgets p1 meanwhile; what is cached of it stays worth keeping.
    for (const other of ['a', 'b', 'c', 'd']) await cache.read(other, performance.now(), probe, fetchPerson('p2'));
    world.state = 'v2@2026-11-22';
    await cache.read('p1', performance.now(), probe, fetch);
    expect(asked).toEqual([false, true, true]);
    expect(cache.stats.stale).toBe(1);
    expect(givenName(await cache.read('p1', performance.now(), probe, fetch))).toBe('Aysel');
    expect(asked).toHaveLength(3);
  });
});

describe('StepAside', () => {
  const options = { window: 8, returnWindow: 2, sampleEvery: 4, leaveBelow: 0.2, returnAt: 0.5 };
  const lookUps = (stepAside: StepAside, reads: number) => Array.from({ length: reads }, () => stepAside.lookUp());

  it('stands aside after a window of reads almost none of which were asked before, looking up one read in `sampleEvery`', () => {
    const stepAside = new StepAside(options);
    // One of eight asked before (12.5 %, under 20 %): aside.
    for (let read = 0; read < 8; read += 1) stepAside.lookedUp(read === 3);
    expect(stepAside.aside).toBe(true);
    expect(lookUps(stepAside, 8)).toEqual([false, false, false, true, false, false, false, true]);
  });

  it('stays while enough reads of a window were asked before, whatever came before', () => {
    const stepAside = new StepAside(options);
    for (let read = 0; read < 16; read += 1) stepAside.lookedUp(read % 4 === 0);
    expect(stepAside.aside).toBe(false);
    expect(lookUps(stepAside, 3)).toEqual([true, true, true]);
  });

  it('looks every read up again once half of a window of sampled reads were asked before, and not for fewer', () => {
    const stepAside = new StepAside(options);
    for (let read = 0; read < 8; read += 1) stepAside.lookedUp(false);
    // Aside, a window is two sampled reads: one of two asked before is enough.
    stepAside.lookedUp(false);
    stepAside.lookedUp(false);
    expect(stepAside.aside).toBe(true);
    stepAside.lookedUp(true);
    stepAside.lookedUp(false);
    expect(stepAside.aside).toBe(false);
    expect(lookUps(stepAside, 2)).toEqual([true, true]);
  });
});

describe('StepAside as the gateway runs it', () => {
  it("never stands aside in a warm load's first pass over reads the doorkeeper can remember, and does after as many new reads", () => {
    const stepAside = new StepAside();
    // A benchmark's warm picture: 12,000 reads a pass, then the same again.
    for (let read = 0; read < 12_000; read += 1) stepAside.lookedUp(false);
    for (let read = 0; read < 12_000; read += 1) stepAside.lookedUp(true);
    expect(stepAside.aside).toBe(false);
    const cold = new StepAside();
    for (let read = 0; read < 1 << 16; read += 1) cold.lookedUp(read % 100 === 0);
    expect(cold.aside).toBe(true);
  });
});

describe('ReadCache standing aside on reads never asked again', () => {
  /** A read cache with a small window, through the read chain's step (readCaching), its keys counted. */
  function chain() {
    const { world, probe, fetchPerson } = registry();
    const cache = new ReadCache(1 << 20, new SeenBefore(), new StepAside({ window: 32, returnWindow: 4, sampleEvery: 8, leaveBelow: 0.03, returnAt: 0.06 }));
    const keysMade: string[] = [];
    const keys = {
      of: (request: { variables?: Record<string, unknown> }) => {
        const key = `persons\n1\n${String(request.variables?.id)}`;
        keysMade.push(key);
        return key;
      },
    } as unknown as ReadKeys;
    const step = readCaching<object>({ cache, probe, keys, since: () => performance.now(), registry: 'persons' });
    const read = (id: string) => step({ query: 'query { person }', variables: { id }, http: { method: 'POST', url: 'http://127.0.0.1:1/graphql', headers: new Headers() } }, {}, () => fetchPerson(world.persons[id] ? id : 'p1')());
    return { world, cache, keysMade, read };
  }

  it('makes no key for most reads once a window held none asked before, and still answers each from the registry', async () => {
    const { world, cache, keysMade, read } = chain();
    for (let n = 0; n < 32; n += 1) await read(`new-${n}`);
    expect(cache.stepAside!.aside).toBe(true);
    expect(keysMade).toHaveLength(32);
    for (let n = 32; n < 96; n += 1) expect((await read(`new-${n}`)).data).toBeTruthy();
    // Sixty-four reads, one in eight looked up; every read went to the registry.
    expect(keysMade).toHaveLength(40);
    expect(world.reads).toBe(96);
    expect(cache.stats).toMatchObject({ hits: 0, passed: 56, firstSeen: 40 });
  });

  it('looks every read up again when reads asked before come back, and then answers them from what it keeps', async () => {
    const { world, cache, read } = chain();
    for (let n = 0; n < 32; n += 1) await read(`p${n}`);
    expect(cache.stepAside!.aside).toBe(true);
    // The same 32 reads over and over: the sampled ones were asked before.
    let rounds = 0;
    while (cache.stepAside!.aside && rounds < 10) {
      for (let n = 0; n < 32; n += 1) await read(`p${n}`);
      rounds += 1;
    }
    expect(cache.stepAside!.aside).toBe(false);
    for (let pass = 0; pass < 2; pass += 1) for (let n = 0; n < 32; n += 1) await read(`p${n}`);
    const before = world.reads;
    for (let n = 0; n < 32; n += 1) await read(`p${n}`);
    expect(world.reads).toBe(before);
    expect(cache.stepAside!.aside).toBe(false);
  });

  it('never stands aside on reads asked again and again', async () => {
    const { cache, read } = chain();
    for (let pass = 0; pass < 10; pass += 1) for (let n = 0; n < 20; n += 1) await read(`p${n}`);
    expect(cache.stepAside!.aside).toBe(false);
    expect(cache.stats.passed).toBe(0);
    expect(cache.stats.hits).toBeGreaterThan(150);
  });
});

describe('ReadKeys', () => {
  const PERSON = 'query Picture__persons__0($id: ID!) { person(id: $id) { id givenName } }';
  const scopes = ['persons:read'];
  /** A read as a query plan's fetch sends it: its operation, variables and headers. */
  const read = (options: { query?: string; id?: string; subject?: string; agency?: string; scopes?: string[]; requestId?: string; extra?: Record<string, string> } = {}) => ({
    query: options.query ?? PERSON,
    operationName: 'Picture__persons__0',
    variables: { id: options.id ?? 'p1' },
    http: {
      method: 'POST' as const,
      url: 'http://127.0.0.1:1/graphql',
      headers: new Headers({
        'content-type': 'application/json',
        'x-request-id': options.requestId ?? 'r1',
        [CLAIMS_HEADER]: encodeClaims({ agency: options.agency ?? 'border', subject: options.subject ?? 'officer-1', scopes: options.scopes ?? scopes }),
        ...options.extra,
      }) as never,
    },
  });
  const keysOf = (cache = new ReadCache(1 << 20)) => new ReadKeys('persons', cache, { 'x-request-id': REQUEST_IDS, [CLAIMS_HEADER]: callerClaims() });

  it('gives one key to the same read of callers of one agency and scopes, whatever the request id', () => {
    const keys = keysOf();
    const key = keys.of(read());
    expect(key).toMatch(/^persons\n\d+\n/);
    expect(keys.of(read({ subject: 'officer-2', requestId: 'r2' }))).toBe(key);
    // The same text in another string, as another plan of the same operation would hold it.
    expect(keys.of(read({ query: [...PERSON].join('') }))).toBe(key);
  });

  it('gives another key for other variables, another operation text, another agency or scopes, or another header', () => {
    const keys = keysOf();
    const key = keys.of(read());
    const others = [
      keys.of(read({ id: 'p2' })),
      keys.of(read({ query: PERSON.replace('givenName', 'surname') })),
      keys.of(read({ agency: 'police' })),
      keys.of(read({ scopes: ['persons:read', 'permits:read'] })),
      keys.of(read({ extra: { 'x-dmx-purpose': 'BORDER_CHECK' } })),
    ];
    expect(new Set([key, ...others]).size).toBe(6);
  });

  it('has no key for a mutation, for a request without HTTP part, or one with extensions', () => {
    const keys = keysOf();
    expect(keys.of(read({ query: 'mutation M($id: ID!) { forget(id: $id) }' }))).toBeNull();
    expect(keys.of({ ...read(), http: undefined })).toBeNull();
    expect(keys.of({ ...read(), extensions: { persistedQuery: {} } })).toBeNull();
  });

  it('never gives a number of a kind of read forgotten to another kind', () => {
    const cache = new ReadCache(1 << 20);
    const keys = keysOf(cache);
    const first = keys.of(read());
    // More kinds than it remembers: it starts afresh, and the first kind comes back under a new number.
    for (let kind = 0; kind < 1000; kind += 1) keys.of(read({ query: `${PERSON} # ${kind}` }));
    const again = keys.of(read());
    expect(again).not.toBe(first);
    expect(keys.of(read())).toBe(again);
  });
});
