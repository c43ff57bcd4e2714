import { createHash } from 'node:crypto';
import type { RemoteGraphQLDataSource } from '@apollo/gateway';
import type { GatewayGraphQLRequest, GatewayGraphQLResponse } from '@apollo/server-gateway-interface';

/**
 * The two places where the gateway relies on what @apollo/gateway keeps private. Each has tests that
 * fail when Apollo changes it: subgraph-fetch/data-source.spec.ts and plan-warming/query-plans.spec.ts
 * with test/query-plans.test.ts.
 */

/**
 * Puts `send` in place of RemoteGraphQLDataSource's sendRequest, the one step of its `process` where
 * a subgraph request is still an object: everything before it (headers, willSendRequest) and after it
 * (cache policy, errors) stays Apollo's, per request.
 */
export function replaceSendRequest<Context>(
  source: RemoteGraphQLDataSource<Context & Record<string, any>>,
  send: (request: GatewayGraphQLRequest, context: Context) => Promise<GatewayGraphQLResponse>,
): void {
  const internals = source as unknown as { sendRequest: typeof send };
  if (typeof internals.sendRequest !== 'function') throw new Error('@apollo/gateway no longer has RemoteGraphQLDataSource.sendRequest: subgraph reads cannot go through the read chain.');
  internals.sendRequest = send;
}

/**
 * The key @apollo/gateway 2 looks a query plan up under: the hash of the document it executes,
 * combined with the operation name when the request gives one. Warming stores plans under it.
 */
export function queryPlanKey(queryHash: string, operationName: string | undefined): string {
  return operationName ? createHash('sha256').update(queryHash).update(operationName).digest('hex') : queryHash;
}
