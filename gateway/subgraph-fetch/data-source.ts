import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { Context } from '@opentelemetry/api';
import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import { GraphQLError } from 'graphql';
import type { KeyObject } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import { Agent, request } from 'undici';
import { CLAIMS_HEADER } from '../../protocol/headers';
import { encodeClaims } from '../../protocol/claims';
import { STATE_HEADER, STATE_PATH } from '../../protocol/registry-state';
import { signRequest, SIGNATURE_HEADER } from '../../protocol/request-signing';
import { replaceSendRequest } from '../apollo-internals';
import type { GatewayContext } from '../http/context';
import { InFlightReads } from './dedupe';
import { fetchChain, type FetchMiddleware, type SubgraphFetch } from './fetch-chain';
import { callerClaims, fetchBatching, isReadOperation, REQUEST_IDS, type JoinedHeader } from './fetch-batching';
import { plainHeaders } from './headers';
import { ReadCache, readCaching, ReadKeys, STATE_ASKED, StateProbe } from './read-cache';
import { bodyOf } from './request-body';
import { RequestTimes } from './request-times';
import { batchSizeRecorder, fetchTelemetry, observeReadCache, type FetchTelemetry } from './fetch-telemetry';
import { traceContextOf } from '../../platform/telemetry/http-server';
import { injectTraceContext } from '../../platform/telemetry/spans';

/** A subgraph's answer as received. */
export interface SubgraphAnswer {
  url: string;
  status: number;
  headers: Readonly<Record<string, string | string[] | undefined>>;
  text: string;
}

/**
 * What RemoteGraphQLDataSource reads of a subgraph's answer (status, content type, body), over a body
 * already read as text: no WHATWG Response and streams per fetch, which showed high in a CPU profile
 * under load. The body is read once, as with fetch, and let go then: Apollo keeps the response object
 * until the whole request is answered, and the text of a page of full pictures is large.
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

export interface SubgraphDataSourceOptions {
  /** Concurrent reads by callers of one agency with the same scopes go as one fetch (fetch-batching.ts). */
  batchFetches?: boolean;
  /** The registries' answers to reads cached, given again while the registry's state is the same (read-cache.ts); none when absent. */
  readCache?: ReadCache;
  /** When each request was admitted (the gateway's, shared by its data sources); one of its own when absent. */
  requestTimes?: RequestTimes;
  /** Steps of features, before the gateway's own in the read chain. */
  middleware?: readonly FetchMiddleware<GatewayContext>[];
}

const PROBE_TIMEOUT_MS = 2000;

/** The path and query string of a URL, as a signature covers them (request-signing.ts). */
function pathOf(url: string): string {
  const { pathname, search } = new URL(url);
  return `${pathname}${search}`;
}

/**
 * How the gateway calls a subgraph: every request is signed (the subgraphs accept nothing else), the
 * caller's request id travels along for correlated logs, and a registry that cannot be reached is
 * reported by name with a stable code, not with its address. Reads go through the read chain.
 */
export class SubgraphDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  /** The probe of the registry's state for the read cache (absent when READ_CACHE is off). */
  readonly stateProbe: StateProbe | undefined;
  readonly requestTimes: RequestTimes;
  /** Identical reads in flight, sent once. */
  readonly inFlightReads: InFlightReads<GatewayContext>;
  /** Kept-alive connections to the registry. */
  private readonly connections = new Agent({ keepAliveTimeout: 30_000 });
  /** The path signed, by target (Apollo sends to `url` only). */
  private readonly paths = new Map<string, string>();
  /** Each fetch a client span and a measured duration. */
  private readonly fetchTelemetry: FetchTelemetry;

  constructor(
    private readonly registry: string,
    url: string,
    /** The gateway's Ed25519 private key. */
    private readonly signingKey: KeyObject,
    options: SubgraphDataSourceOptions = {},
  ) {
    super({ url });
    this.fetchTelemetry = fetchTelemetry(registry);
    const times = (this.requestTimes = options.requestTimes ?? new RequestTimes());
    const since = (context: GatewayContext) => times.since(context);
    this.inFlightReads = new InFlightReads({ since });
    const { readCache } = options;
    if (readCache) this.stateProbe = this.probeOfState(url);
    // The headers whose values may differ between requests sharing a fetch or a cache hit.
    const joinedHeaders: Record<string, JoinedHeader> = { 'x-request-id': REQUEST_IDS, [CLAIMS_HEADER]: callerClaims(), [STATE_HEADER]: STATE_ASKED };
    // The read chain, outermost first: each request is looked up in the cache on its own, before it
    // may be joined with others; a fetch is shared only when it is the very same.
    const reads: FetchMiddleware<GatewayContext>[] = [
      ...(options.middleware ?? []),
      ...(readCache && this.stateProbe ? [readCaching({ cache: readCache, probe: this.stateProbe, keys: new ReadKeys(registry, readCache, joinedHeaders), since, registry, trace: traceContextOf })] : []),
      ...(options.batchFetches ? [fetchBatching<GatewayContext>({ joinedHeaders, joinedContext: (contexts) => times.latest(contexts), onDispatch: batchSizeRecorder(registry) })] : []),
      this.inFlightReads.middleware,
    ];
    const read = fetchChain(reads, this.send);
    // A write moves its request's time to when it was answered: the reads after it see it.
    replaceSendRequest<GatewayContext>(this, (request, context) =>
      isReadOperation(request.query) ? read(request, context) : this.send(request, context).finally(() => times.wrote(context)),
    );
  }

  override willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<GatewayContext>): void {
    if (context?.requestId) request.http?.headers.set('x-request-id', context.requestId);
    // The verified caller travels with the request, under the gateway's signature.
    if (context?.claims) request.http?.headers.set(CLAIMS_HEADER, encodeClaims(context.claims));
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

  /** The end of the chain, as RemoteGraphQLDataSource sends a request, over a signed POST. */
  private readonly send: SubgraphFetch<GatewayContext> = async (request, context) => {
    const { http } = request;
    if (!http) throw new Error("Internal error: Only 'http' requests are supported.");
    let response: SubgraphResponse | undefined;
    try {
      response = new SubgraphResponse(await this.post(http.url, plainHeaders(http.headers), bodyOf(request), traceContextOf(context)));
      if (!response.ok) throw await this.errorFromResponse(response as never);
      const body = await this.parseBody(response as never);
      if (typeof body !== 'object' || body === null) throw new Error(`Expected JSON response body, but received: ${body}`);
      return { ...(body as GatewayGraphQLResponse), http: response as never };
    } catch (error) {
      this.didEncounterError(error as Error, undefined, response);
      throw error;
    }
  };

  /**
   * Signs this one request as sent (subgraph trust): a fresh nonce at each send, over a kept-alive
   * connection. The fetch is a client span of the request's trace, whose traceparent the registry
   * continues: it is signed with the rest, so no one in between can graft the request onto another trace.
   */
  private post(target: string, headers: Record<string, string>, body: string, parent: Context): Promise<SubgraphAnswer> {
    let path = this.paths.get(target);
    if (path === undefined) this.paths.set(target, (path = pathOf(target)));
    const signedPath = path;
    return this.fetchTelemetry.measure(parent, async (span, traceContext) => {
      const traced = injectTraceContext({ ...headers }, traceContext);
      const signature = signRequest(this.signingKey, {
        audience: this.registry,
        method: 'POST',
        path: signedPath,
        contentType: traced['content-type'],
        claims: traced[CLAIMS_HEADER],
        traceparent: traced.traceparent,
        body,
      });
      const response = await request(target, { method: 'POST', headers: { ...traced, [SIGNATURE_HEADER]: signature }, body, dispatcher: this.connections });
      span.setAttribute('http.response.status_code', response.statusCode);
      return { url: target, status: response.statusCode, headers: response.headers, text: await response.body.text() };
    });
  }

  /**
   * The probe of the registry's state (read-cache.ts): GET /state, signed like every request to it, so
   * its signature is good for this probe of this registry alone. A state that cannot be read is null
   * (every read then goes to the registry), and said, once a minute at most.
   */
  private probeOfState(url: string): StateProbe {
    // Beside the registry's GraphQL path (behind a proxy, under the same prefix).
    const stateUrl = new URL(`.${STATE_PATH}`, url).toString();
    const statePath = pathOf(stateUrl);
    let warnedAt = Number.NEGATIVE_INFINITY;
    const unread = (reason: string): null => {
      if (Date.now() - warnedAt >= 60_000) {
        warnedAt = Date.now();
        process.emitWarning(`the ${this.registry} registry's state could not be read (${reason}); its answers are not cached meanwhile`);
      }
      return null;
    };
    return new StateProbe(async () => {
      try {
        const response = await request(stateUrl, {
          method: 'GET',
          headers: { [SIGNATURE_HEADER]: signRequest(this.signingKey, { audience: this.registry, method: 'GET', path: statePath }) },
          dispatcher: this.connections,
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
}

export interface SubgraphFetchOptions {
  /** Subgraph URLs replacing the supergraph's defaults. */
  urls?: Readonly<Record<string, string | undefined>>;
  /** The gateway's Ed25519 private key, which subgraph requests are signed with (subgraph trust). */
  signingKey: KeyObject;
  /** Concurrent reads of one registry by callers of one agency with the same scopes go as one fetch; off when absent. */
  batchFetches?: boolean;
  /** Bytes of the registries' answers cached (read-cache.ts); none when absent or 0. */
  readCacheBytes?: number;
  /** Features' steps of a registry's read chain. */
  middleware?: (registry: string) => FetchMiddleware<GatewayContext>[];
}

/**
 * The data sources of one gateway (ApolloGateway's buildService), sharing one read cache and one
 * record of when each request was admitted; `plugin` stamps that time on every request.
 */
export function subgraphFetch(options: SubgraphFetchOptions) {
  const requestTimes = new RequestTimes();
  const readCache = options.readCacheBytes ? new ReadCache(options.readCacheBytes) : undefined;
  if (readCache) observeReadCache(readCache.stats);
  return {
    plugin: requestTimes.plugin,
    buildService: ({ name, url }: { name: string; url?: string }) =>
      new SubgraphDataSource(name, options.urls?.[name] ?? url!, options.signingKey, {
        batchFetches: options.batchFetches,
        // The audit log changes with every read of personal data: nothing cached of it would be given again.
        readCache: name === 'audit' ? undefined : readCache,
        requestTimes,
        middleware: options.middleware?.(name),
      }),
  };
}
