import type { KeyObject } from 'node:crypto';
import { PURPOSE_HEADER } from '../protocol/headers';
import { mintRegistryToken, REGISTRY_PURPOSE } from '../protocol/registry-token';

/**
 * How a subgraph reads another registry's data: through the federated graph, like any client, never
 * by reaching into the other registry's database. Used where federation cannot bring the data to the
 * resolver (a mutation cannot `@requires`).
 */
export interface GraphClient {
  query<Data>(operation: string, variables: Record<string, unknown>, requestId: string): Promise<Data>;
}

export class GraphClientError extends Error {
  override name = 'GraphClientError';

  constructor(
    message: string,
    /** The codes of the errors the graph answered with; empty when it gave no answer (unreachable, not JSON). */
    readonly codes: readonly string[] = [],
  ) {
    super(message);
  }
}

/** Who the registry is when it calls the graph: its name and its own private key (the gateway holds the public half). */
export interface RegistryIdentity {
  registry: string;
  key: KeyObject;
}

/**
 * A client of the gateway at `url` (a function, so tests can point it at a gateway started later).
 * It calls as the registry, with a short-lived registry token, declaring the registry's purpose, so
 * its reads are authorized and audited like anyone's.
 */
export function httpGraphClient(url: string | (() => string), identity: RegistryIdentity, timeoutMs = 5000): GraphClient {
  let token: { value: string; renewAt: number } | null = null;
  const bearer = async () => {
    if (!token || Date.now() >= token.renewAt) token = { value: await mintRegistryToken(identity.key, identity.registry, 300), renewAt: Date.now() + 240_000 };
    return token.value;
  };
  return {
    async query<Data>(operation: string, variables: Record<string, unknown>, requestId: string): Promise<Data> {
      const target = typeof url === 'function' ? url() : url;
      const response = await fetch(target, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-request-id': requestId,
          authorization: `Bearer ${await bearer()}`,
          [PURPOSE_HEADER]: REGISTRY_PURPOSE,
          // A hop inside the Service's network: compressing it would cost both ends CPU for nothing (fetch asks for gzip by default).
          'accept-encoding': 'identity',
        },
        body: JSON.stringify({ query: operation, variables }),
        signal: AbortSignal.timeout(timeoutMs),
      }).catch((error: unknown) => {
        // No answer at all (refused, reset, timed out): nothing is known, as with an answer that is not JSON.
        throw new GraphClientError(`The graph at ${target} could not be reached: ${error instanceof Error ? error.message : String(error)}`);
      });
      const body = (await response.json().catch(() => null)) as { data?: Data; errors?: { message: string; extensions?: { code?: unknown } }[] } | null;
      if (!response.ok || !body || body.errors?.length || !body.data) {
        const detail = body?.errors?.map((error) => error.message).join('; ') ?? `HTTP ${response.status}`;
        const codes = (body?.errors ?? []).map((error) => String(error.extensions?.code ?? 'INTERNAL_SERVER_ERROR'));
        throw new GraphClientError(`The graph at ${target} could not answer: ${detail}`, codes);
      }
      return body.data;
    },
  };
}

/** For subgraphs run without a graph: any use is a configuration error, said clearly. */
export const NO_GRAPH: GraphClient = {
  query() {
    return Promise.reject(new GraphClientError('This subgraph was started without a graph client (GATEWAY_URL)'));
  },
};
