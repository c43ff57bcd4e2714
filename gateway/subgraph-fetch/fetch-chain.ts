import type { GatewayGraphQLRequest, GatewayGraphQLResponse } from '@apollo/server-gateway-interface';

/** Sends one subgraph request and gives its answer. */
export type SubgraphFetch<Context> = (request: GatewayGraphQLRequest, context: Context) => Promise<GatewayGraphQLResponse>;

/**
 * One step of the read chain: answers a subgraph read itself (a cache hit, a shared fetch) or hands
 * it on with `next`. A chain gives each middleware the same `next` for its whole life, so a step that
 * answers later (a batch sent at the end of the turn) may keep it.
 */
export type FetchMiddleware<Context> = (request: GatewayGraphQLRequest, context: Context, next: SubgraphFetch<Context>) => Promise<GatewayGraphQLResponse>;

/** The middlewares in order, the first outermost, ending in `send`. */
export function fetchChain<Context>(middlewares: readonly FetchMiddleware<Context>[], send: SubgraphFetch<Context>): SubgraphFetch<Context> {
  return middlewares.reduceRight<SubgraphFetch<Context>>((next, middleware) => (request, context) => middleware(request, context, next), send);
}
