import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import { CLAIMS_HEADER } from '../../protocol/headers';
import type { FetchMiddleware } from './fetch-chain';
import { bodyOf } from './request-body';

interface InFlight {
  sentAt: number;
  answer: Promise<GatewayGraphQLResponse>;
  /** The requests that joined it after it was sent, each to get objects of its own. */
  joined: { resolve(response: GatewayGraphQLResponse): void; reject(error: unknown): void }[];
}

/**
 * Identical reads in flight: when several requests need the same entities with the same selection
 * for the same caller (the claims are part of the key, so no answer crosses callers), the subgraph is
 * asked once, provided the fetch was sent after the request was admitted (a fetch sent before may
 * have been answered before a write the request must see). Each request gets objects of its own.
 */
export class InFlightReads<Context extends object> {
  /**
   * By target and caller, then by body: the body is a key of its own, not joined into one text with
   * the others, which would copy it (a page's entity read is large) for every fetch.
   */
  private readonly byCaller = new Map<string, Map<string, InFlight>>();

  constructor(
    private readonly options: {
      /** When the request was admitted (RequestTimes). */
      since: (context: Context) => number;
    },
  ) {}

  /** Callers with reads in flight. */
  get size(): number {
    return this.byCaller.size;
  }

  readonly middleware: FetchMiddleware<Context> = (request, context, next) => {
    const caller = `${request.http?.url ?? ''}\n${request.http?.headers.get(CLAIMS_HEADER) ?? ''}`;
    // The request's body as sent (written once for the read key, the batch and the send): the key of an identical read.
    const body = bodyOf(request);
    let bodies = this.byCaller.get(caller);
    if (!bodies) {
      bodies = new Map();
      this.byCaller.set(caller, bodies);
    }
    const inFlight = bodies.get(body);
    if (inFlight && inFlight.sentAt >= this.options.since(context)) {
      return new Promise((resolve, reject) => inFlight.joined.push({ resolve, reject }));
    }
    const waiting = bodies;
    const entry: InFlight = { sentAt: performance.now(), answer: next(request, context), joined: [] };
    const settled = () => {
      if (waiting.get(body) === entry) waiting.delete(body);
      if (waiting.size === 0 && this.byCaller.get(caller) === waiting) this.byCaller.delete(caller);
    };
    entry.answer = entry.answer.then(
      (response) => {
        settled();
        if (entry.joined.length > 0) {
          // Copied before the first request's own continuation can change its objects.
          const { http, ...answer } = response;
          const text = JSON.stringify(answer);
          for (const joined of entry.joined) joined.resolve({ ...(JSON.parse(text) as GatewayGraphQLResponse), http });
        }
        return response;
      },
      (error: unknown) => {
        settled();
        for (const joined of entry.joined) joined.reject(error);
        throw error;
      },
    );
    bodies.set(body, entry);
    return entry.answer;
  };
}
