import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import { STATE_HEADER } from '../../subgraphs/shared/registry-state';

/**
 * The state of one registry as probes read it (subgraphs/shared/registry-state.ts). A kept answer may
 * be given to a request only in the state a probe sent after the request was taken up reads: that
 * state holds every write answered before the caller sent its request. So a caller gives the time its
 * request was taken up, and gets the latest probe sent since, in flight or answered (the later reads
 * of a request, and the requests taken up before it was sent, wait for nothing more); or else the next
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

interface Kept {
  state: string;
  /**
   * The answer's data as JSON in UTF-8: each hit parses objects of its own, which Apollo merges into
   * its answer. Outside the JavaScript heap, and half the size of a string holding one letter beyond
   * Latin-1 (an Azerbaijani name is enough), which V8 keeps at two bytes a character.
   */
  json: Buffer;
  /**
   * What Apollo reads of the answer's HTTP part besides its body: its cache-control header (the
   * registries send none today). Not the whole response, whose headers would cost about a kilobyte
   * for each of the tens of thousands of answers kept.
   */
  cacheControl: string | null;
  /** Bytes counted against the budget: the JSON, the key (two bytes a character at most) and ENTRY_OVERHEAD. */
  size: number;
}

/** Bytes an entry costs besides its JSON and key (the map's entry, the entry, the buffer's objects), as counted. */
const ENTRY_OVERHEAD = 320;

/** The HTTP part of a kept answer given again: status 200, and the cache-control header it came with. */
function keptHttp(kept: Kept): GatewayGraphQLResponse['http'] {
  const headers = new Headers();
  if (kept.cacheControl !== null) headers.set('cache-control', kept.cacheControl);
  return { status: 200, headers };
}

export interface ReadCacheStats {
  /** Reads answered from the cache, after a probe found the registry in the state they were kept under. */
  hits: number;
  /** Reads with nothing kept, and reads whose kept answer was out of date (`stale` of them). */
  misses: number;
  stale: number;
}

/**
 * The registries' answers to reads, each kept under its registry's state at the time it was worked
 * out, and given again only after a probe of that registry found it still in that state: never an
 * answer the registry would not give now. One cache for all the registries, so that the budget bounds
 * what the gateway keeps. What a hit saves is the registry's work on the read (its GraphQL execution
 * and SQL); the gateway still plans, checks access, audits and shapes every request.
 *
 * Kept: answers with data and no errors, by the read's key (the data source's: operation, variables,
 * and what of the caller may change the answer), the least recently used dropped beyond the budget.
 */
export class ReadCache {
  private readonly entries = new Map<string, Kept>();
  private bytes = 0;
  readonly stats: ReadCacheStats = { hits: 0, misses: 0, stale: 0 };

  constructor(
    /** Bytes of keys and answers kept at most. */
    private readonly budget: number,
  ) {}

  /** Bytes kept now. */
  get size(): number {
    return this.bytes;
  }

  /**
   * The answer to a read of a request taken up at `since` (performance.now()): kept and still the
   * registry's answer (asking `probe`, the registry's), or fetched (and kept). The key names the
   * registry. A null key: not a read kept, fetched.
   */
  async read(key: string | null, since: number, probe: StateProbe, fetch: () => Promise<GatewayGraphQLResponse>): Promise<GatewayGraphQLResponse> {
    if (key === null) return fetch();
    const kept = this.entries.get(key);
    if (kept) {
      const state = await probe.current(since);
      if (state === kept.state) {
        this.stats.hits += 1;
        if (this.entries.get(key) === kept) {
          // The most recently used last: the first is dropped first.
          this.entries.delete(key);
          this.entries.set(key, kept);
        }
        return { data: JSON.parse(kept.json.toString('utf8')) as Record<string, unknown>, http: keptHttp(kept) };
      }
      this.stats.stale += 1;
      this.drop(key, kept);
    }
    this.stats.misses += 1;
    const response = await fetch();
    const state = response.http?.headers.get(STATE_HEADER);
    if (state) {
      probe.saw(state);
      if (response.data && !response.errors?.length && !response.extensions) this.keep(key, state, response);
    }
    return response;
  }

  private keep(key: string, state: string, response: GatewayGraphQLResponse): void {
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

  private drop(key: string, kept: Kept): void {
    if (this.entries.get(key) !== kept) return;
    this.entries.delete(key);
    this.bytes -= kept.size;
  }
}
