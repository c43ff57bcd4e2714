import { HeaderMap, type ApolloServerOptions, type ApolloServerPlugin } from '@apollo/server';
import type { GatewayGraphQLRequestContext } from '@apollo/server-gateway-interface';
import { GraphQLError, type ValidationRule } from 'graphql';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { GatewayContext } from '../http/context';
import type { FetchMiddleware } from '../subgraph-fetch/fetch-chain';

/** A request at the HTTP edge, while its context is made: hooks may fill in the caller and purpose. */
export interface IncomingRequest {
  req: IncomingMessage;
  res: ServerResponse;
  context: GatewayContext;
  /** A page beside GraphQL (a feature's `page`): a file or a small page, not an operation. */
  besideGraphQL?: boolean;
}

/** What the gateway executes for a request: Apollo's request context for the gateway's executor. */
export type GatewayExecution = GatewayGraphQLRequestContext<GatewayContext>;

/**
 * One feature of the gateway, each built by a `useX(options)` in features/<name>/. Every hook is
 * optional; the gateway runs each kind of hook in the order of its feature list (app.ts).
 */
export interface GatewayFeature {
  readonly name: string;
  /**
   * At the HTTP edge, before the operation is read: may fill in the context's caller or purpose, wait
   * (admission), or refuse by throwing a GraphQLError with `extensions.http` (retryLater, for one).
   */
  onRequest?(request: IncomingRequest): void | Promise<void>;
  /** Rules checked when the operation is validated, before it is planned. */
  validationRules?: readonly ValidationRule[];
  /** Apollo Server plugin hooks, for the steps between parsing and answering. */
  apolloPlugins?: readonly ApolloServerPlugin<GatewayContext>[];
  /** Apollo Server options the feature owns (persisted queries, parse options). */
  apolloOptions?: Pick<ApolloServerOptions<GatewayContext>, 'persistedQueries' | 'parseOptions'>;
  /** Last before the gateway plans and executes: may give it another document and hash to plan. */
  onExecute?(execution: GatewayExecution): GatewayExecution;
  /** A step of each registry's read chain (subgraph-fetch/), before the gateway's own. */
  subgraphFetch?(registry: string): FetchMiddleware<GatewayContext> | undefined;
  /**
   * A page the gateway serves beside GraphQL (the dashboard; the contract; the IDE, at the GraphQL URL
   * for a browser asking for HTML): for a request the feature owns, how to answer it; undefined for any
   * other, which goes on to GraphQL. The answer is called once the request has passed the onRequest
   * hooks (its request id, token, rate budget and purpose; admission lets pages by), with the context
   * they made.
   */
  page?(req: IncomingMessage): PageAnswer | undefined;
  /** The paths `page` answers, named as routes in the gateway's request metrics. */
  readonly pagePaths?: readonly string[];
}

/** Answers a page's request the feature owns, with the context the onRequest hooks made for it. */
export type PageAnswer = (res: ServerResponse, context: GatewayContext) => void | Promise<void>;

/** A refusal the caller may try again after `seconds`: the status and a Retry-After header on the answer. */
export function retryLater(code: string, status: number, message: string, seconds: number): GraphQLError {
  return new GraphQLError(message, {
    // Apollo Server copies extensions.http to the response; another package's typing says Record.
    extensions: { code, http: { status, headers: new HeaderMap([['retry-after', String(seconds)]]) as never } },
  });
}
