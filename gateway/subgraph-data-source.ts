import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { GraphQLError } from 'graphql';
import { CLAIMS_HEADER, encodeClaims } from '../subgraphs/shared/context';
import { sign, SIGNATURE_HEADER, signingPayload } from '../subgraphs/shared/request-signing';
import type { GatewayContext } from './context';

/**
 * How the gateway calls a subgraph: every request is signed (the subgraphs accept nothing else), the
 * caller's request id travels along for correlated logs, and a registry that cannot be reached is
 * reported by name with a stable code, not with its address.
 */
export class SubgraphDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  constructor(
    private readonly registry: string,
    url: string,
    signingKey: string,
  ) {
    super({
      url,
      // Signs the exact bytes sent (subgraph trust); undici's fetch keeps connections alive.
      fetcher: ((target: string, init: { body?: string; headers?: Record<string, string> }) => {
        const payload = signingPayload(init.headers?.[CLAIMS_HEADER], init.body ?? '');
        return fetch(target, { ...init, headers: { ...init.headers, [SIGNATURE_HEADER]: sign(signingKey, payload) } });
      }) as never,
    });
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
