import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { GraphQLError } from 'graphql';
import { STATUS_CODES } from 'node:http';
import { Agent, request } from 'undici';
import { claimsForJoining, CLAIMS_HEADER, encodeClaims, joinClaims } from '../subgraphs/shared/context';
import { sign, SIGNATURE_HEADER, signingPayload } from '../subgraphs/shared/request-signing';
import type { GatewayContext } from './context';
import { FetchBatcher, type JoinedHeader, type SendRequest } from './fetch-batching';

/** False for a write: the operation text of the gateway's subgraph fetch for a mutation starts with the keyword. */
function isQuery(body: string): boolean {
  return !/"query":"\s*mutation\b/.test(body);
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

/** One pool of kept-alive connections per subgraph origin, shared by the gateway's data sources. */
const subgraphConnections = new Agent({ keepAliveTimeout: 30_000 });

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
  private readonly inFlight = new Map<string, Map<string, Promise<SubgraphAnswer>>>();

  constructor(
    private readonly registry: string,
    url: string,
    signingKey: string,
    options: { batchFetches?: boolean } = {},
  ) {
    super({
      url,
      fetcher: ((target: string, init: { body?: string; headers?: Record<string, string> }) => {
        const claims = init.headers?.[CLAIMS_HEADER];
        const body = init.body ?? '';
        // Signs the exact bytes sent (subgraph trust), over a kept-alive connection.
        const send = async (): Promise<SubgraphAnswer> => {
          const response = await request(target, {
            method: 'POST',
            headers: { ...init.headers, [SIGNATURE_HEADER]: sign(signingKey, signingPayload(claims, body)) },
            body,
            dispatcher: subgraphConnections,
          });
          return { url: target, status: response.statusCode, headers: response.headers, text: await response.body.text() };
        };
        const answer = isQuery(body) ? this.shared(`${target}\n${claims ?? ''}`, body, send) : send();
        return answer.then((received) => new SubgraphResponse(received));
      }) as never,
    });
    if (options.batchFetches) this.batchReads();
  }

  /**
   * Routes reads through a FetchBatcher, at the one place where a request is still an object:
   * RemoteGraphQLDataSource's sendRequest (private in its typings, so reached by name; the tests in
   * subgraph-data-source.spec.ts fail if @apollo/gateway renames it). Everything before it (headers,
   * willSendRequest) and after it (cache policy, errors) stays per request.
   */
  private batchReads(): void {
    const internals = this as unknown as { sendRequest: SendRequest<GatewayContext> };
    if (typeof internals.sendRequest !== 'function') throw new Error('@apollo/gateway no longer has RemoteGraphQLDataSource.sendRequest: fetch batching cannot be installed.');
    const sendAlone = internals.sendRequest.bind(this);
    const batcher = new FetchBatcher<GatewayContext>(sendAlone, { joinedHeaders: { [CLAIMS_HEADER]: OFFICERS } });
    internals.sendRequest = (request, context) => batcher.fetch(request, context) ?? sendAlone(request, context);
  }

  /**
   * Deduplication of identical in-flight reads: when several requests need the same entities with
   * the same selection for the same caller (the claims are part of the key, so no answer crosses
   * callers), the subgraph is asked once. Each waiter parses the text into objects of its own.
   */
  private shared(caller: string, body: string, send: () => Promise<SubgraphAnswer>): Promise<SubgraphAnswer> {
    let bodies = this.inFlight.get(caller);
    if (!bodies) {
      bodies = new Map();
      this.inFlight.set(caller, bodies);
    }
    let pending = bodies.get(body);
    if (!pending) {
      const waiting = bodies;
      pending = send().finally(() => {
        waiting.delete(body);
        if (waiting.size === 0 && this.inFlight.get(caller) === waiting) this.inFlight.delete(caller);
      });
      bodies.set(body, pending);
    }
    return pending;
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
}
