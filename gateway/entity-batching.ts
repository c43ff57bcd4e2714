import type { GatewayGraphQLRequest, GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import type { GraphQLFormattedError } from 'graphql';
import { MAX_BATCHED_REQUESTS } from '../subgraphs/shared/context';

/** Sends one subgraph request as it is (RemoteGraphQLDataSource's own sending). */
export type SendRequest<Context> = (request: GatewayGraphQLRequest, context: Context) => Promise<GatewayGraphQLResponse>;

export interface EntityBatchLimits {
  /** Representations in one batched fetch; an entity read this large or larger goes alone. */
  maxRepresentations: number;
  /** Requests answered by one batched fetch (their ids travel in its x-request-id). */
  maxRequests: number;
}

/**
 * Only small reads are joined, and into fetches of at most 64 representations. What a join saves is
 * the registry's cost per fetch, which a read of one person pays whole and a read of a page of fifty
 * has already spread. Joining pages only made the registry's executions longer and their answers
 * larger: side by side at 20,000 persons, with joins of up to 1,000 representations, workload 2 cost
 * the registries 56 and 63 ms of CPU per request against 50 without batching (two runs); capped at
 * 64, 41.9 against 40.5 (one run, on a faster hour), within the noise.
 */
export const ENTITY_BATCH_LIMITS: EntityBatchLimits = { maxRepresentations: 64, maxRequests: MAX_BATCHED_REQUESTS };

interface Waiter<Context> {
  request: GatewayGraphQLRequest;
  context: Context;
  representations: readonly unknown[];
  resolve(response: GatewayGraphQLResponse): void;
  reject(error: unknown): void;
}

interface Batch<Context> {
  key: string;
  waiters: Waiter<Context>[];
  representations: number;
}

/**
 * Cross-request batching of entity reads. Under load many requests need the same kind of entity
 * from the same registry at the same moment (every full picture asks permits for one person's
 * permits); each such fetch costs the registry an HTTP exchange, a GraphQL execution and its SQL
 * statements, whatever the number of representations. The reads issued during one turn of the event
 * loop are sent as one `_entities` fetch when they are the same operation with the same variables
 * and the same headers but the request id, that is the same caller with the same claims: the
 * registry answers exactly what it would have answered each of them, and no answer crosses callers.
 * Each request then gets its own slice of the entities, and the errors whose path points into it,
 * renumbered. A lone read is sent untouched and waits only for the end of the current turn
 * (setImmediate, no timer), so nothing waits at rest.
 */
export class EntityFetchBatcher<Context> {
  private readonly open = new Map<string, Batch<Context>>();
  private scheduled = false;

  constructor(
    private readonly registry: string,
    private readonly send: SendRequest<Context>,
    private readonly limits: EntityBatchLimits = ENTITY_BATCH_LIMITS,
  ) {}

  /** The answer to an entity read, sent with others of its kind; null when the request is not one (send it alone). */
  fetch(request: GatewayGraphQLRequest, context: Context): Promise<GatewayGraphQLResponse> | null {
    const key = batchKey(request);
    if (key === null) return null;
    const representations = request.variables!.representations as readonly unknown[];
    if (representations.length >= this.limits.maxRepresentations) return null;
    let batch = this.open.get(key);
    if (batch && batch.representations + representations.length > this.limits.maxRepresentations) {
      this.dispatch(batch);
      batch = undefined;
    }
    if (!batch) {
      batch = { key, waiters: [], representations: 0 };
      this.open.set(key, batch);
      this.scheduleFlush();
    }
    const joined = batch;
    const answer = new Promise<GatewayGraphQLResponse>((resolve, reject) => {
      joined.waiters.push({ request, context, representations, resolve, reject });
    });
    joined.representations += representations.length;
    if (joined.waiters.length >= this.limits.maxRequests) this.dispatch(joined);
    return answer;
  }

  private scheduleFlush(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      for (const batch of [...this.open.values()]) this.dispatch(batch);
    });
  }

  private dispatch(batch: Batch<Context>): void {
    this.open.delete(batch.key);
    const { waiters } = batch;
    if (waiters.length === 1) {
      const [alone] = waiters;
      this.send(alone.request, alone.context).then(alone.resolve, alone.reject);
      return;
    }
    this.send(mergedRequest(waiters), waiters[0].context).then(
      (response) => {
        const parts = splitResponse(this.registry, response, waiters.map((waiter) => waiter.representations.length));
        waiters.forEach((waiter, index) => waiter.resolve(parts[index]));
      },
      (error: unknown) => {
        for (const waiter of waiters) waiter.reject(error);
      },
    );
  }
}

/**
 * What must be equal for two reads to share a fetch: the operation, the variables but the
 * representations, and every header but the request id (the caller's claims among them). Null for
 * anything but a read of entities.
 */
function batchKey(request: GatewayGraphQLRequest): string | null {
  const { query, variables, http, extensions } = request;
  if (!query || !http || !variables || extensions || !Array.isArray(variables.representations) || !/^\s*query\b/.test(query)) return null;
  let key = `${request.operationName ?? ''}\n${query}\n`;
  for (const [name, value] of http.headers) if (name !== 'x-request-id') key += `${name}: ${value}\n`;
  const { representations: _, ...others } = variables;
  return key + JSON.stringify(others);
}

/** One fetch for the batch: the first request with every representation, in order, and every request's id. */
function mergedRequest<Context>(waiters: readonly Waiter<Context>[]): GatewayGraphQLRequest {
  const first = waiters[0].request;
  const http = first.http!;
  const headers = new Headers();
  for (const [name, value] of http.headers) headers.set(name, value);
  const ids = new Set<string>();
  for (const { request } of waiters) {
    const id = request.http!.headers.get('x-request-id');
    if (id) ids.add(id);
  }
  if (ids.size > 0) headers.set('x-request-id', [...ids].join(','));
  return {
    query: first.query,
    operationName: first.operationName,
    variables: { ...first.variables, representations: waiters.flatMap((waiter) => waiter.representations) },
    http: { method: http.method, url: http.url, headers },
  };
}

/**
 * Each request's part of a batched answer: its own slice of `_entities` (distinct objects, as its own
 * fetch would have given), the errors about its entities with their index renumbered, and the errors
 * about no entity in particular. An answer without one entity per representation fails every request.
 */
export function splitResponse(registry: string, response: GatewayGraphQLResponse, counts: readonly number[]): GatewayGraphQLResponse[] {
  const total = counts.reduce((sum, count) => sum + count, 0);
  const entities: unknown = response.data?._entities;
  if (!Array.isArray(entities) || entities.length !== total) {
    const errors: readonly GraphQLFormattedError[] = response.errors?.length
      ? response.errors
      : [{ message: `The ${registry} registry answered a batched read without one entity per representation.` }];
    return counts.map(() => ({ data: null, errors: errors.map((error) => ({ ...error })), extensions: response.extensions, http: response.http }));
  }
  let from = 0;
  return counts.map((count) => {
    const to = from + count;
    const errors = (response.errors ?? []).flatMap((error) => errorWithin(error, from, to));
    const part: GatewayGraphQLResponse = { data: { _entities: entities.slice(from, to) }, extensions: response.extensions, http: response.http };
    if (errors.length > 0) part.errors = errors;
    from = to;
    return part;
  });
}

/** An error as one request of the batch sees it: about one of its entities (renumbered), about none in particular, or not its own. */
function errorWithin(error: GraphQLFormattedError, from: number, to: number): GraphQLFormattedError[] {
  const path = error.path;
  if (path?.[0] !== '_entities' || typeof path[1] !== 'number') return [{ ...error }];
  const index = path[1];
  return index >= from && index < to ? [{ ...error, path: ['_entities', index - from, ...path.slice(2)] }] : [];
}
