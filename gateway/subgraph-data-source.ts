import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { GraphQLError } from 'graphql';
import { CLAIMS_HEADER, encodeClaims } from '../subgraphs/shared/context';
import { sign, SIGNATURE_HEADER, signingPayload } from '../subgraphs/shared/request-signing';
import type { GatewayContext } from './context';

/** False for a write: the operation text of the gateway's subgraph fetch for a mutation starts with the keyword. */
function isQuery(body: string): boolean {
  return !/"query":"\s*mutation\b/.test(body);
}

/**
 * How the gateway calls a subgraph: every request is signed (the subgraphs accept nothing else), the
 * caller's request id travels along for correlated logs, and a registry that cannot be reached is
 * reported by name with a stable code, not with its address.
 */
export class SubgraphDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  /** Identical reads in flight, by target, caller and body: sent once, the answer given to each. */
  private readonly inFlight = new Map<string, Promise<{ status: number; headers: [string, string][]; text: string }>>();

  constructor(
    private readonly registry: string,
    url: string,
    signingKey: string,
  ) {
    super({
      url,
      fetcher: ((target: string, init: { body?: string; headers?: Record<string, string> }) => {
        const claims = init.headers?.[CLAIMS_HEADER];
        const body = init.body ?? '';
        // Signs the exact bytes sent (subgraph trust); undici's fetch keeps connections alive.
        const send = () => fetch(target, { ...init, headers: { ...init.headers, [SIGNATURE_HEADER]: sign(signingKey, signingPayload(claims, body)) } });
        return isQuery(body) ? this.shared(`${target}\n${claims ?? ''}\n${body}`, send) : send();
      }) as never,
    });
  }

  /**
   * Deduplication of identical in-flight reads: when several requests need the same entities with
   * the same selection for the same caller (the claims are part of the key, so no answer crosses
   * callers), the subgraph is asked once. Each waiter gets its own Response over the same text.
   */
  private async shared(key: string, send: () => Promise<Response>): Promise<Response> {
    let pending = this.inFlight.get(key);
    if (!pending) {
      pending = send()
        .then(async (response) => ({ status: response.status, headers: [...response.headers], text: await response.text() }))
        .finally(() => this.inFlight.delete(key));
      this.inFlight.set(key, pending);
    }
    const { status, headers, text } = await pending;
    return new Response(text, { status, headers });
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
