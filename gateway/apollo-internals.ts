import { createHash } from 'node:crypto';
import type { RemoteGraphQLDataSource } from '@apollo/gateway';
import type { GatewayGraphQLRequest, GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import type { Operation, Schema } from '@apollo/federation-internals';
import { Kind, type DefinitionNode, type DocumentNode } from 'graphql';
import { computeCompiledResponse } from './execution/compiled-response';

/**
 * The places where the gateway relies on what @apollo/gateway keeps private. Each has tests that
 * fail when Apollo changes it: subgraph-fetch/data-source.spec.ts, plan-warming/query-plans.spec.ts
 * with test/query-plans.test.ts, and execution/compiled-response.spec.ts.
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

/**
 * Puts the gateway's own result shaping (execution/compiled-response.ts) in place of the one
 * @apollo/gateway's executor calls after a plan's fetches, and has the executor's per-request
 * `operationFromDocument` (the federation internals' form of the operation, which that shaping walks)
 * return the form it built for the same document before. Both are found at call time through the
 * modules' export objects, which is what lets them be replaced; nothing else of the executor changes.
 * Once per process, for every gateway in it. compiled-response.spec.ts fails when either is gone.
 */
export function useCompiledResponses(): void {
  const shaping = require('@apollo/gateway/dist/resultShaping') as { computeResponse: unknown };
  const operations = require('@apollo/federation-internals/dist/operations') as { operationFromDocument: OperationFromDocument };
  if (typeof shaping.computeResponse !== 'function' || typeof operations.operationFromDocument !== 'function') {
    throw new Error('@apollo/gateway no longer calls resultShaping.computeResponse or operationFromDocument: set RESULT_SHAPING=apollo.');
  }
  if (shaping.computeResponse === computeCompiledResponse) return;
  shaping.computeResponse = computeCompiledResponse;
  operations.operationFromDocument = cachedOperationFromDocument(operations.operationFromDocument);
}

type OperationFromDocument = (schema: Schema, document: DocumentNode, options?: { operationName?: string; validate?: boolean }) => Operation;

/**
 * The executor's call (`validate: false`, the document being the request's operation and its
 * fragments) answered from a cache kept per schema and operation node: the gateway's documents are
 * kept by Apollo Server and authorization per query hash, so a document seen before brings the same
 * nodes. Any other call (the planner's) goes to Apollo's function.
 */
export function cachedOperationFromDocument(original: OperationFromDocument): OperationFromDocument {
  const bySchema = new WeakMap<Schema, WeakMap<DefinitionNode, { definitions: readonly DefinitionNode[]; operation: Operation }>>();
  return (schema, document, options) => {
    const first = document.definitions[0];
    if (options?.validate !== false || options.operationName !== undefined || first?.kind !== Kind.OPERATION_DEFINITION) return original(schema, document, options);
    let byNode = bySchema.get(schema);
    if (!byNode) bySchema.set(schema, (byNode = new WeakMap()));
    const kept = byNode.get(first);
    if (kept && kept.definitions.length === document.definitions.length && kept.definitions.every((definition, index) => definition === document.definitions[index])) return kept.operation;
    const operation = original(schema, document, options);
    byNode.set(first, { definitions: [...document.definitions], operation });
    return operation;
  };
}
