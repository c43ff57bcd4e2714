import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { GraphQLError } from 'graphql';
import { createHash, type KeyObject } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import { Agent, request } from 'undici';
import type { GatewayGraphQLRequest } from '@apollo/server-gateway-interface';
import { claimsForJoining, CLAIMS_HEADER, encodeClaims, joinClaims } from '../../subgraphs/shared/context';
import { STATE_HEADER, STATE_PATH } from '../../subgraphs/shared/registry-state';
import { signRequest, SIGNATURE_HEADER } from '../../subgraphs/shared/request-signing';
import type { GatewayContext } from '../http/context';
import { FetchBatcher, headersKey, isReadOperation, REQUEST_IDS, type JoinedHeader, type SendRequest } from './fetch-batching';
import { ReadCache, StateProbe } from './read-cache';

/**
 * When the request a read is for was taken up (performance.now()), within the gateway only: set in
 * willSendRequest, joined as the latest of a batch's requests, read and left out by the fetcher. A
 * read may be answered only from the registry's state after then: by a kept answer whose state a probe
 * sent since confirms (read-cache.ts), or by a fetch in flight sent since.
 */
export const TAKEN_UP_HEADER = 'x-dmx-taken-up';

const TAKEN_UP: JoinedHeader = {
  read: () => ({ key: '', size: 0 }),
  join: (values) => String(Math.max(...values.map(Number))),
  budget: Number.POSITIVE_INFINITY,
};

function takenUpOf(request: GatewayGraphQLRequest): number {
  const value = Number(request.http?.headers.get(TAKEN_UP_HEADER));
  return Number.isFinite(value) ? value : performance.now();
}

/** A subgraph's answer as received: shared by the requests that wait on one deduplicated read. */
export interface SubgraphAnswer {
  url: string;
  status: number;
  headers: Readonly<Record<string, string | string[] | undefined>>;
  text: string;
}

/**
 * What RemoteGraphQLDataSource reads of a subgraph's answer (status, content type, body), over a body
 * already read as text: no WHATWG Response and streams per fetch, which cost a quarter of the
 * gateway's CPU in a profile under load (npm run bench -- --profile). The body is read once, as with
 * fetch, and let go then: Apollo keeps the response object until the whole request is answered, and
 * the text of a page of fifty full pictures is large.
 */
export class SubgraphResponse {
  readonly url: string;
  readonly status: number;
  readonly headers: { get(name: string): string | null };
  private body: string | null;

  constructor(answer: SubgraphAnswer) {
    ({ url: this.url, status: this.status, text: this.body } = answer);
    const { headers } = answer;
    this.headers = {
      get: (name) => {
        const value = headers[name.toLowerCase()];
        return value === undefined ? null : Array.isArray(value) ? value.join(', ') : value;
      },
    };
  }

  get ok(): boolean {
    return this.status >= 200 && this.status < 300;
  }

  get statusText(): string {
    return STATUS_CODES[this.status] ?? '';
  }

  async text(): Promise<string> {
    const { body } = this;
    if (body === null) throw new TypeError('The body of this subgraph answer was already read.');
    this.body = null;
    return body;
  }

  async json(): Promise<unknown> {
    return JSON.parse(await this.text());
  }
}

/** Claims headers read for joining, by header (one per officer in recent use); cleared when full. */
const officerReads = new Map<string, { key: string; size: number }>();
const OFFICER_READS_KEPT = 1000;

/**
 * Reads of officers of one agency holding the same scopes share fetches: what each may read is the
 * same, and the joined claims name every one of them (`subjects`). The audit records each request
 * under its own officer at the gateway; the registries read the subject only for writes, which are
 * never joined and which they refuse when several officers are named.
 */
const OFFICERS: JoinedHeader = {
  read(value) {
    // Every read of every request passes here, and an officer's claims header is the same each time:
    // read once (about 3.6 µs to decode), then looked up.
    let read = officerReads.get(value);
    if (!read) {
      const { key, subject } = claimsForJoining(value);
      // What the subject adds to the header: its JSON and a comma, as UTF-8 (up to 4 bytes a character), in base64url (4 bytes for 3).
      read = { key, size: subject === null ? 0 : Math.ceil(((Buffer.byteLength(JSON.stringify(subject)) + 1) * 4) / 3) };
      if (officerReads.size >= OFFICER_READS_KEPT) officerReads.clear();
      officerReads.set(value, read);
    }
    return read;
  },
  join: joinClaims,
  // The subjects of one fetch, in bytes of the header: with 64 request ids of 128 characters in
  // x-request-id, the headers stay within the 16 KiB a Node server accepts (subgraph-data-source.spec.ts).
  budget: 4000,
};

let kindsCounted = 0;

/**
 * What an answer to a read depends on at the gateway's side: the registry (the cache is shared), the
 * operation, its variables, and the headers as a fetch shares them (JOINED_HEADERS: the request id and
 * the time of take-up not at all, the claims by every claim but the officer, as the registries answer
 * by agency and scopes). All but the
 * variables are the same for many reads (one text per fetch of a query plan and kind of caller), so
 * they are kept once and stand in the key by a number; the variables (fifty persons' representations
 * in a page's entity read, tens of kilobytes) by their SHA-256. Null for anything but a read.
 */
class ReadKeys {
  private readonly kinds = new Map<string, number>();

  constructor(private readonly registry: string) {}

  of(request: GatewayGraphQLRequest): string | null {
    const { http } = request;
    if (!http || request.extensions || !isReadOperation(request.query)) return null;
    const kind = `${request.operationName ?? ''}\n${request.query}${headersKey(http.headers, JOINED_HEADERS).key}`;
    let number = this.kinds.get(kind);
    if (number === undefined) {
      // Bounded as the query plans are. Numbers are never given twice in the process, so a key made
      // before the clearing never stands for another kind of read (it stays until it is dropped).
      if (this.kinds.size >= 1000) this.kinds.clear();
      number = kindsCounted += 1;
      this.kinds.set(kind, number);
    }
    return `${this.registry}\n${number}\n${createHash('sha256').update(JSON.stringify(request.variables ?? {})).digest('base64')}`;
  }
}

/**
 * The headers whose values may differ between requests that share a fetch, or an answer kept: the
 * request id, the time of take-up, and the officer (the join key of the claims is every claim but him).
 */
const JOINED_HEADERS: Readonly<Record<string, JoinedHeader>> = { 'x-request-id': REQUEST_IDS, [CLAIMS_HEADER]: OFFICERS, [TAKEN_UP_HEADER]: TAKEN_UP };

/** One pool of kept-alive connections per subgraph origin, shared by the gateway's data sources. */
const subgraphConnections = new Agent({ keepAliveTimeout: 30_000 });

export interface SubgraphDataSourceOptions {
  /** Concurrent reads by officers of one agency with the same scopes go as one fetch (fetch-batching.ts). */
  batchFetches?: boolean;
  /** The registries' answers to reads kept, given again while the registry's state is the same (read-cache.ts); none when absent. */
  readCache?: ReadCache;
}

const PROBE_TIMEOUT_MS = 2000;

/** The path and query string of a URL, as a signature covers them (request-signing.ts). */
function pathOf(url: string): string {
  const { pathname, search } = new URL(url);
  return `${pathname}${search}`;
}

/**
 * The probe of a registry's state (read-cache.ts): GET /state, signed like every request to it, so
 * its signature is good for this probe of this registry alone. A state that cannot be read is null
 * (every read then goes to the registry), and said, once a minute at most.
 */
function stateProbe(registry: string, url: string, signingKey: KeyObject): StateProbe {
  // Beside the registry's GraphQL path (behind a proxy, under the same prefix).
  const stateUrl = new URL(`.${STATE_PATH}`, url).toString();
  const statePath = pathOf(stateUrl);
  let warnedAt = Number.NEGATIVE_INFINITY;
  const unread = (reason: string): null => {
    if (Date.now() - warnedAt >= 60_000) {
      warnedAt = Date.now();
      process.emitWarning(`the ${registry} registry's state could not be read (${reason}); its answers are not kept meanwhile`);
    }
    return null;
  };
  return new StateProbe(async () => {
    try {
      const response = await request(stateUrl, {
        method: 'GET',
        headers: { [SIGNATURE_HEADER]: signRequest(signingKey, { audience: registry, method: 'GET', path: statePath }) },
        dispatcher: subgraphConnections,
        // A registry that does not answer its probe in time is asked for the reads themselves.
        headersTimeout: PROBE_TIMEOUT_MS,
        bodyTimeout: PROBE_TIMEOUT_MS,
      });
      const text = await response.body.text();
      if (response.statusCode !== 200) return unread(`status ${response.statusCode}`);
      const { state } = JSON.parse(text) as { state?: unknown };
      return typeof state === 'string' ? state : unread('no state in its answer');
    } catch (error) {
      return unread(error instanceof Error ? error.message : String(error));
    }
  });
}

/**
 * How the gateway calls a subgraph: every request is signed (the subgraphs accept nothing else), the
 * caller's request id travels along for correlated logs, and a registry that cannot be reached is
 * reported by name with a stable code, not with its address.
 */
export class SubgraphDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  /**
   * Identical reads in flight, by target and caller, then by body: sent once, the answer given to each.
   * The body is a key of its own, not joined into one text with the others, which would copy it (a
   * page's entity request can be hundreds of kilobytes) for every fetch.
   */
  private readonly inFlight = new Map<string, Map<string, { sentAt: number; answer: Promise<SubgraphAnswer> }>>();
  /** The probe of the registry's state for the read cache (absent when READ_CACHE is off). */
  readonly stateProbe: StateProbe | undefined;

  constructor(
    private readonly registry: string,
    url: string,
    /** The gateway's Ed25519 private key. */
    signingKey: KeyObject,
    options: SubgraphDataSourceOptions = {},
  ) {
    // The path signed, by target (one or two per data source: Apollo may only ever send to `url`).
    const paths = new Map<string, string>();
    super({
      url,
      fetcher: ((target: string, init: { body?: string; headers?: Record<string, string> }) => {
        const { [TAKEN_UP_HEADER]: takenUp, ...headers } = init.headers ?? {};
        const claims = headers[CLAIMS_HEADER];
        const body = init.body ?? '';
        let path = paths.get(target);
        if (path === undefined) paths.set(target, (path = pathOf(target)));
        // Signs this one request as sent (subgraph trust): a fresh nonce at each send, over a kept-alive connection.
        const send = async (): Promise<SubgraphAnswer> => {
          const signature = signRequest(signingKey, { audience: registry, method: 'POST', path, contentType: headers['content-type'], claims, body });
          const response = await request(target, {
            method: 'POST',
            headers: { ...headers, [SIGNATURE_HEADER]: signature },
            body,
            dispatcher: subgraphConnections,
          });
          return { url: target, status: response.statusCode, headers: response.headers, text: await response.body.text() };
        };
        // Reads carry their time of take-up (willSendRequest); a write is never shared.
        const answer = takenUp !== undefined ? this.shared(`${target}\n${claims ?? ''}`, body, Number(takenUp), send) : send();
        return answer.then((received) => new SubgraphResponse(received));
      }) as never,
    });
    if (options.readCache) this.stateProbe = stateProbe(registry, url, signingKey);
    this.installReadPath(options.batchFetches ?? false, options.readCache && this.stateProbe ? { cache: options.readCache, probe: this.stateProbe } : undefined);
  }

  /**
   * Routes reads through the read cache, then a FetchBatcher, at the one place where a request is
   * still an object: RemoteGraphQLDataSource's sendRequest (private in its typings, so reached by
   * name; the tests in subgraph-data-source.spec.ts fail if @apollo/gateway renames it). Everything
   * before it (headers, willSendRequest) and after it (cache policy, errors) stays per request. Each
   * request is looked up in the cache on its own, before it may be joined with others. A write moves
   * its request's time of take-up to when it was answered: the reads after it, in the same operation,
   * see it.
   */
  private installReadPath(batchFetches: boolean, readCache: { cache: ReadCache; probe: StateProbe } | undefined): void {
    const internals = this as unknown as { sendRequest: SendRequest<GatewayContext> };
    if (typeof internals.sendRequest !== 'function') throw new Error('@apollo/gateway no longer has RemoteGraphQLDataSource.sendRequest: reads cannot be batched nor kept.');
    const sendAlone = internals.sendRequest.bind(this);
    let read = sendAlone;
    if (batchFetches) {
      const batcher = new FetchBatcher<GatewayContext>(sendAlone, { joinedHeaders: JOINED_HEADERS });
      read = (request, context) => batcher.fetch(request, context) ?? sendAlone(request, context);
    }
    if (readCache) {
      const fetchOrJoin = read;
      const keys = new ReadKeys(this.registry);
      read = (request, context) => readCache.cache.read(keys.of(request), takenUpOf(request), readCache.probe, () => fetchOrJoin(request, context));
    }
    internals.sendRequest = (request, context) => {
      if (isReadOperation(request.query)) return read(request, context);
      return sendAlone(request, context).finally(() => {
        if (context) context.receivedAt = performance.now();
      });
    };
  }

  /**
   * Deduplication of identical in-flight reads: when several requests need the same entities with
   * the same selection for the same caller (the claims are part of the key, so no answer crosses
   * callers), the subgraph is asked once, provided the fetch was sent after the request was taken up
   * (`since`). Each waiter parses the text into objects of its own.
   */
  private shared(caller: string, body: string, since: number, send: () => Promise<SubgraphAnswer>): Promise<SubgraphAnswer> {
    let bodies = this.inFlight.get(caller);
    if (!bodies) {
      bodies = new Map();
      this.inFlight.set(caller, bodies);
    }
    const inFlight = bodies.get(body);
    // A fetch sent before the request was taken up may have been answered before a write it must see.
    if (inFlight && inFlight.sentAt >= since) return inFlight.answer;
    const waiting = bodies;
    const entry = { sentAt: performance.now(), answer: send() };
    entry.answer = entry.answer.finally(() => {
      if (waiting.get(body) === entry) waiting.delete(body);
      if (waiting.size === 0 && this.inFlight.get(caller) === waiting) this.inFlight.delete(caller);
    });
    bodies.set(body, entry);
    return entry.answer;
  }

  override willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<GatewayContext>): void {
    if (context?.requestId) request.http?.headers.set('x-request-id', context.requestId);
    // The verified caller travels with the request, under the gateway's signature.
    if (context?.claims) request.http?.headers.set(CLAIMS_HEADER, encodeClaims(context.claims));
    if (isReadOperation(request.query)) {
      request.http?.headers.set(TAKEN_UP_HEADER, String(context?.receivedAt ?? performance.now()));
      // A read whose answer may be kept asks for the state it was worked out in.
      if (this.stateProbe) request.http?.headers.set(STATE_HEADER, '1');
    }
  }

  override didEncounterError(error: Error, _request: unknown, response?: unknown): void {
    if (response === undefined) {
      throw new GraphQLError(`The ${this.registry} registry is unavailable; the fields it provides are missing from this answer.`, {
        extensions: { code: 'SUBGRAPH_UNAVAILABLE', registry: this.registry },
        originalError: error,
      });
    }
    throw error;
  }
}
