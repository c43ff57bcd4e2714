import { hash } from 'node:crypto';
import { trace, type Context as TraceContext } from '@opentelemetry/api';
import type { GatewayGraphQLRequest, GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import { STATE_HEADER } from '../../protocol/registry-state';
import { ByOperationText } from './by-operation-text';
import { bodyOf } from './request-body';
import { headersKey, isReadOperation, type JoinedHeader } from './fetch-batching';
import type { FetchMiddleware } from './fetch-chain';
import { inSpan } from '../../platform/telemetry/spans';

/** What a read of the cache asks of the registry's StateProbe. */
type ProbeOfState = Pick<StateProbe, 'current' | 'saw'>;

/**
 * The state of one registry as probes read it (protocol/registry-state.ts). A cached answer
 * may be given to a request only in the state a probe sent after the request was admitted reads: that
 * state holds every write answered before the caller sent its request. So a caller gives the time its
 * request was admitted, and gets the latest probe sent since, in flight or answered (the later reads
 * of a request, and the requests admitted before it was sent, wait for nothing more); or else the next
 * one, which the callers of one turn of the event loop share, sent after that turn (setImmediate).
 */
export class StateProbe {
  private next: Promise<string | null> | null = null;
  /** The latest probe sent: when, and what it reads (`value` once read). */
  private latest: { sentAt: number; state: Promise<string | null>; value?: string | null } | null = null;
  /** Probes sent. */
  sent = 0;

  /** `read` reads the registry's state now; null (or a failure) when it cannot. */
  constructor(private readonly read: () => Promise<string | null>) {}

  /** The registry's state as a probe sent at or after `since` (performance.now()) reads it; null when it could not be read. */
  current(since: number): Promise<string | null> {
    if (this.latest && this.latest.sentAt >= since) return this.latest.state;
    this.next ??= new Promise((resolve) => {
      setImmediate(() => {
        this.next = null;
        this.sent += 1;
        const state = this.read().catch(() => null);
        const latest: NonNullable<StateProbe['latest']> = { sentAt: performance.now(), state };
        this.latest = latest;
        void state.then((value) => {
          latest.value = value;
          resolve(value);
        });
      });
    });
    return this.next;
  }

  /**
   * The registry answered a read in `state`. When the latest probe did not read that state (or has
   * not answered yet), it is given to no later read: a request whose read was just answered in a new
   * state could otherwise have its next read answered from the state before.
   */
  saw(state: string): void {
    if (this.latest && this.latest.value !== state) this.latest = null;
  }
}

/** The new reads the doorkeeper (SeenBefore) remembers before it starts afresh. */
const DOORKEEPER_CAPACITY = 1 << 16;

/**
 * The reads seen once since the last reset, as a Bloom filter of fixed size: whether an answer is worth
 * caching. A read asked once is seldom asked again (a border post asks about each traveller once), so
 * its answer is cached only when it is asked a second time: the first sight costs a few bits, not the
 * answer's JSON, and the registry is not asked for its state. It forgets everything after `capacity`
 * new reads, so that it stays as selective as its size allows (W-TinyLFU's doorkeeper does the same).
 */
export class SeenBefore {
  private readonly bits: Uint32Array;
  private added = 0;

  constructor(
    /** New reads remembered before the filter starts afresh. */
    private readonly capacity = DOORKEEPER_CAPACITY,
  ) {
    // Ten bits a read and three positions: about one read in a hundred taken for one seen before.
    this.bits = new Uint32Array(Math.ceil((capacity * 10) / 32));
  }

  /** Whether `key` was seen since the last reset; it is seen from now on. */
  check(key: string): boolean {
    // Two FNV-1a hashes of the key (two offsets), combined for the three positions (double hashing).
    let h1 = 0x811c9dc5;
    let h2 = 0x01000193;
    for (let index = 0; index < key.length; index += 1) {
      const code = key.charCodeAt(index);
      h1 = Math.imul(h1 ^ code, 0x01000193);
      h2 = Math.imul(h2 ^ code, 0x5bd1e995);
    }
    const size = this.bits.length * 32;
    let seen = true;
    for (let round = 0; round < 3; round += 1) {
      const bit = ((h1 + round * (h2 | 1)) >>> 0) % size;
      const mask = 1 << (bit & 31);
      if ((this.bits[bit >>> 5] & mask) === 0) {
        seen = false;
        this.bits[bit >>> 5] |= mask;
      }
    }
    if (!seen && (this.added += 1) >= this.capacity) {
      this.bits.fill(0);
      this.added = 0;
    }
    return seen;
  }
}

/**
 * Whether the read cache looks reads up at all, decided by what it finds. Looking a read up costs the
 * gateway its key (the SHA-256 of the request's body, the caller's headers) and the doorkeeper's
 * check, a few percent of its CPU on a picture; on a load that never asks a read twice (a border post
 * asks about each traveller once) that buys nothing. So the cache counts, over windows of the reads it
 * looks up, those asked before (a hit, a stale answer, or one the doorkeeper has seen): when fewer
 * than `leaveBelow` of a window were, it stands aside, and reads pass it without a key but every
 * `sampleEvery`-th, which it still looks up (and the doorkeeper learns); when at least `returnAt` of
 * `returnWindow` of those were asked before, it looks every read up again. The doorkeeper takes about
 * one new read in a hundred for one seen before, so a load of new reads alone shows about that:
 * `leaveBelow` sits above it, and `returnAt` above that again, so that the cache does not go back and
 * forth. The window is as long as the doorkeeper's memory: a warm load's first pass over its reads
 * looks like new reads, and any set of reads the doorkeeper can remember repeats within that many; a
 * larger set it could not admit anyway.
 */
export class StepAside {
  /** Whether reads pass without being looked up (but the sampled ones). */
  aside = false;
  private looked = 0;
  private askedBefore = 0;
  private passed = 0;

  constructor(
    private readonly options = { window: DOORKEEPER_CAPACITY, returnWindow: 128, sampleEvery: 16, leaveBelow: 0.03, returnAt: 0.06 },
  ) {}

  /** Whether to look this read up; false: it passes, and is counted as passed. */
  lookUp(): boolean {
    if (!this.aside) return true;
    this.passed += 1;
    if (this.passed < this.options.sampleEvery) return false;
    this.passed = 0;
    return true;
  }

  /** A read was looked up: whether it had been asked before. */
  lookedUp(askedBefore: boolean): void {
    this.looked += 1;
    if (askedBefore) this.askedBefore += 1;
    const { window, returnWindow, leaveBelow, returnAt } = this.options;
    if (this.looked < (this.aside ? returnWindow : window)) return;
    const share = this.askedBefore / this.looked;
    this.aside = this.aside ? share < returnAt : share < leaveBelow;
    this.looked = 0;
    this.askedBefore = 0;
    this.passed = 0;
  }
}

interface Cached {
  state: string;
  /**
   * The answer's data as JSON in UTF-8: each hit parses objects of its own, which Apollo merges into
   * its answer. Outside the JavaScript heap, and half the size of a string holding one letter beyond
   * Latin-1 (an Azerbaijani name is enough), which V8 keeps at two bytes a character.
   */
  json: Buffer;
  /**
   * What Apollo reads of the answer's HTTP part besides its body: its cache-control header (the
   * registries send none today). Not the whole response, whose headers would cost much more for
   * each of the many answers cached.
   */
  cacheControl: string | null;
  /** Bytes counted against the budget: the JSON, the key (two bytes a character at most) and ENTRY_OVERHEAD. */
  size: number;
}

/** Bytes an entry costs besides its JSON and key (the map's entry, the entry, the buffer's objects), as counted. */
const ENTRY_OVERHEAD = 320;

/** Whether the registry said its answer is not to be kept (`Cache-Control: no-store`, RFC 9111 5.2.2.5). */
function forbidsKeeping(response: GatewayGraphQLResponse): boolean {
  const cacheControl = response.http?.headers.get('cache-control');
  return cacheControl != null && /(^|,)\s*no-store\s*(,|$)/i.test(cacheControl);
}

/** The HTTP part of a cache hit: status 200, and the cache-control header its answer came with. */
function cachedHttp(cached: Cached): GatewayGraphQLResponse['http'] {
  const headers = new Headers();
  if (cached.cacheControl !== null) headers.set('cache-control', cached.cacheControl);
  return { status: 200, headers };
}

export interface ReadCacheStats {
  /** Reads answered from the cache, after a probe found the registry in the state they were cached under. */
  hits: number;
  /** Reads with nothing cached, and reads whose cached answer was out of date (`stale` of them). */
  misses: number;
  stale: number;
  /** Of the misses, reads seen for the first time: sent without asking the state, their answer not cached. */
  firstSeen: number;
  /** Reads not looked up: they passed while the cache stood aside (StepAside). */
  passed: number;
}

/**
 * The registries' answers to reads, each cached under its registry's state at the time it was worked
 * out, and given again only after a probe of that registry found it still in that state: never an
 * answer the registry would not give now. One cache for all the registries, so that the budget bounds
 * what the gateway holds. What a hit saves is the registry's work on the read (its GraphQL execution
 * and SQL); the gateway still plans, checks access, audits and shapes every request.
 *
 * Cached: answers with data and no errors to reads asked before (SeenBefore), unless the registry
 * forbids it (`Cache-Control: no-store`: an answer worked out from data whose writes make no new
 * state, protocol/registry-state.ts), by the read's key
 * (ReadKeys: operation, variables, and what of the caller may change the answer), the least recently
 * used dropped beyond the budget.
 */
export class ReadCache {
  private readonly entries = new Map<string, Cached>();
  private bytes = 0;
  /** Numbers given to kinds of reads (ReadKeys), never twice for this cache. */
  private kinds = 0;
  readonly stats: ReadCacheStats = { hits: 0, misses: 0, stale: 0, firstSeen: 0, passed: 0 };

  constructor(
    /** Bytes of keys and answers cached at most. */
    private readonly budget: number,
    /** Which reads are worth caching; absent, every read's answer is (for tests of the rest). */
    private readonly seenBefore: SeenBefore | null = new SeenBefore(),
    /** Whether reads are worth looking up at all; absent, every read is (it judges by the doorkeeper's sight). */
    readonly stepAside: StepAside | null = seenBefore ? new StepAside() : null,
  ) {}

  /** Whether to look the next read up (a key made, `read`); false: send it as it is, it is counted as passed. */
  looksUp(): boolean {
    if (!this.stepAside || this.stepAside.lookUp()) return true;
    this.stats.passed += 1;
    return false;
  }

  /** A number for a new kind of read, unique in this cache. */
  nextKindNumber(): number {
    this.kinds += 1;
    return this.kinds;
  }

  /** Bytes cached now. */
  get size(): number {
    return this.bytes;
  }

  /**
   * The answer to a read of a request admitted at `since` (performance.now()): cached and still the
   * registry's answer (asking `probe`, the registry's), or fetched, asking the registry for its state
   * when the answer is worth caching (`fetch(true)`), and then cached. The key names the registry. A
   * null key: not a read that is cached, fetched.
   */
  read(key: string | null, since: number, probe: ProbeOfState, fetch: (askState: boolean) => Promise<GatewayGraphQLResponse>): Promise<GatewayGraphQLResponse> {
    if (key === null) return fetch(false);
    const cached = this.entries.get(key);
    // Asked before: kept, or seen by the doorkeeper (whose check below counts this one as seen from now on).
    const seen = cached !== undefined || !this.seenBefore || this.seenBefore.check(key);
    this.stepAside?.lookedUp(seen);
    if (seen) return this.readAskedBefore(key, cached, since, probe, fetch);
    // Asked the first time: on as if there were no cache, with no promise of the cache's own in between.
    this.stats.misses += 1;
    this.stats.firstSeen += 1;
    return fetch(false);
  }

  /** A read asked before: its kept answer while still the registry's, or fetched with the registry's state and kept. */
  private async readAskedBefore(key: string, cached: Cached | undefined, since: number, probe: ProbeOfState, fetch: (askState: boolean) => Promise<GatewayGraphQLResponse>): Promise<GatewayGraphQLResponse> {
    if (cached) {
      const state = await probe.current(since);
      if (state === cached.state) {
        this.stats.hits += 1;
        if (this.entries.get(key) === cached) {
          // The most recently used last: the first is dropped first.
          this.entries.delete(key);
          this.entries.set(key, cached);
        }
        return { data: JSON.parse(cached.json.toString('utf8')) as Record<string, unknown>, http: cachedHttp(cached) };
      }
      this.stats.stale += 1;
      this.drop(key, cached);
    }
    this.stats.misses += 1;
    const response = await fetch(true);
    const state = response.http?.headers.get(STATE_HEADER);
    if (state) {
      probe.saw(state);
      if (response.data && !response.errors?.length && !response.extensions && !forbidsKeeping(response)) this.store(key, state, response);
    }
    return response;
  }

  private store(key: string, state: string, response: GatewayGraphQLResponse): void {
    const text = JSON.stringify(response.data);
    // A buffer of its own: a small one taken from Node's shared pool would keep the whole 8 KiB slab.
    const json = Buffer.allocUnsafeSlow(Buffer.byteLength(text));
    json.write(text);
    const size = json.length + 2 * key.length + ENTRY_OVERHEAD;
    if (size > this.budget) return;
    const earlier = this.entries.get(key);
    if (earlier) this.drop(key, earlier);
    this.entries.set(key, { state, json, cacheControl: response.http?.headers.get('cache-control') ?? null, size });
    this.bytes += size;
    for (const [oldest, entry] of this.entries) {
      if (this.bytes <= this.budget) break;
      this.drop(oldest, entry);
    }
  }

  private drop(key: string, cached: Cached): void {
    if (this.entries.get(key) !== cached) return;
    this.entries.delete(key);
    this.bytes -= cached.size;
  }
}

/**
 * What an answer to a read depends on at the gateway's side: the registry (the cache is shared), the
 * operation, its variables, and the headers as a fetch shares them (`joinedHeaders`: the request id
 * not at all, the claims by every claim but the caller's subject, as the registries answer by agency
 * and scopes). All but the variables are the same for many reads (one text per fetch of a query plan
 * and kind of caller), so they stand in the key by a number; the variables by the SHA-256 of the request's
 * body (request-body.ts: the JSON the send and the batch reuse, not written again for the key). Null for
 * anything but a read.
 */
export class ReadKeys {
  private readonly kinds = new ByOperationText<number>();

  constructor(
    private readonly registry: string,
    private readonly cache: ReadCache,
    private readonly joinedHeaders: Readonly<Record<string, JoinedHeader>>,
  ) {}

  of(request: GatewayGraphQLRequest): string | null {
    const { http, query } = request;
    if (!http || request.extensions || query === undefined || !isReadOperation(query)) return null;
    const rest = `${request.operationName ?? ''}${headersKey(http.headers, this.joinedHeaders).key}`;
    let number = this.kinds.get(query, rest);
    if (number === undefined) {
      // Bounded as the query plans are. The cache never gives a number twice, so a key made before the
      // clearing never stands for another kind of read.
      if (this.kinds.size >= 1000) this.kinds.clear();
      number = this.cache.nextKindNumber();
      this.kinds.set(query, rest, number);
    }
    return `${this.registry}\n${number}\n${hash('sha256', bodyOf(request), 'base64')}`;
  }
}

/**
 * The probe as a request waits for it: in a recorded trace (`parent`, asked only when a kept answer
 * waits for the probe) each wait a span (`state probe`) under the request's span (the probe is shared
 * by the reads of many requests, so the span is this read's wait, not the probe's GET).
 */
function probeFor(probe: StateProbe, registry: string, parent: () => TraceContext): ProbeOfState {
  return {
    current: (since) => {
      const context = parent();
      if (!trace.getSpan(context)?.isRecording()) return probe.current(since);
      return inSpan('state probe', { parent: context, attributes: { 'dmx.subgraph.name': registry } }, () => probe.current(since));
    },
    saw: (state) => probe.saw(state),
  };
}

/**
 * The state asked for (STATE_HEADER) as a header of a shared fetch (fetch-batching.ts): a read that
 * asks for it shares a fetch with reads that do not, and the fetch asks. The state comes with the
 * fetch's answer, which every part of it is cut from, so each read that asked gets the state its part
 * was worked out under; the others ignore it. Otherwise each read whose answer is to be kept would
 * take a fetch of its own.
 */
export const STATE_ASKED: JoinedHeader = {
  read: () => ({ key: '', size: 0 }),
  join: () => '1',
  budget: Number.POSITIVE_INFINITY,
  optional: true,
};

/**
 * The read cache as a step of the read chain: a hit answers; a miss goes on, asking the registry for
 * its state (STATE_HEADER) when its answer is to be cached, and its answer is cached.
 */
export function readCaching<Context>(options: {
  cache: ReadCache;
  probe: StateProbe;
  keys: ReadKeys;
  since: (context: Context) => number;
  registry: string;
  /** A request's trace, under which its waits for the probe are spans when the trace is recorded. */
  trace?: (context: Context) => TraceContext;
}): FetchMiddleware<Context> {
  const { cache, probe, keys, since, registry, trace: traceOf } = options;
  return (request, context, next) => {
    // Standing aside: no key is made, the read goes on as if there were no cache.
    if (!cache.looksUp()) return next(request, context);
    const waits = traceOf ? probeFor(probe, registry, () => traceOf(context)) : probe;
    return cache.read(keys.of(request), since(context), waits, (askState) => {
      if (askState) request.http?.headers.set(STATE_HEADER, '1');
      return next(request, context);
    });
  };
}
