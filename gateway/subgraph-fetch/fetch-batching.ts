import type { GatewayGraphQLRequest, GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import type { GraphQLFormattedError } from 'graphql';
import {
  Kind,
  parse,
  print,
  visit,
  type FieldNode,
  type OperationDefinitionNode,
  type VariableDefinitionNode,
} from 'graphql';
import { claimsForJoining, joinClaims } from '../../protocol/claims';
import { MAX_BATCHED_REQUESTS } from '../../protocol/headers';
import { ByOperationText } from './by-operation-text';
import type { FetchMiddleware, SubgraphFetch } from './fetch-chain';
import { bodyOf } from './request-body';
import { forEachHeader, type SubgraphHeaders } from './headers';

/**
 * A read, as the gateway's subgraph fetches write them: `query …`, or the shorthand `{…}` that Apollo
 * prints for the root fetch of an anonymous operation without variables (a mutation's or
 * subscription's text always starts with its keyword).
 */
export function isReadOperation(query: string | undefined): boolean {
  return query !== undefined && /^\s*(?:query\b|\{)/.test(query);
}

export interface FetchBatchLimits {
  /** Representations in one batched entity read (a root read counts one); an entity read this large or larger goes alone. */
  maxRepresentations: number;
  /** Requests answered by one batched fetch (their ids travel in its x-request-id). */
  maxRequests: number;
}

/**
 * Only small entity reads are joined, into fetches of at most 64 representations. What a join saves
 * is the registry's cost per fetch, which a read of one person pays whole and a read of a page of
 * fifty has already spread; joining pages only made the registry's executions longer (README, Levers).
 */
export const FETCH_BATCH_LIMITS: FetchBatchLimits = { maxRepresentations: 64, maxRequests: MAX_BATCHED_REQUESTS };

/**
 * Characters of joined operation texts a batcher keeps (one per operation and number of requests
 * joined). Beyond it, a joined text is printed for each fetch and not kept.
 */
const JOINED_TEXTS_BUDGET = 8 * 1024 * 1024;

/**
 * A header whose value may differ between requests that share a fetch; the fetch carries their
 * values joined. Every other header must be equal.
 */
export interface JoinedHeader {
  /** What of a request's value must be equal for requests to share a fetch, and the bytes its value adds to the joined one. */
  read(value: string): { key: string; size: number };
  /** The fetch's value, from the values of its requests, in order. */
  join(values: readonly string[]): string;
  /** Bytes the distinct values of one fetch may add up to (their sizes), so the joined header stays within what a server accepts. */
  budget: number;
  /**
   * Requests with and without it share a fetch, which carries it when any of them does (the header's
   * presence is in no key). For a header that asks the registry for something more about the answer
   * and changes nothing in it.
   */
  optional?: boolean;
}

/** One of a request's headers whose value may differ from the others' in one fetch, and what its value adds. */
export interface JoinedValue {
  name: string;
  value: string;
  size: number;
}

/**
 * What of a request's headers must be equal for requests to share a fetch (or an answer): every
 * header, but the joined ones by what their `read` says of them; and the joined headers' values.
 */
export function headersKey(headers: SubgraphHeaders, joinedHeaders: Readonly<Record<string, JoinedHeader>>): { key: string; joined: JoinedValue[] } {
  let key = '';
  const joined: JoinedValue[] = [];
  forEachHeader(headers, (name, value) => {
    const joinedHeader = joinedHeaders[name];
    if (!joinedHeader) {
      key += `\n${name}: ${value}`;
      return;
    }
    const read = joinedHeader.read(value);
    if (!joinedHeader.optional) key += `\n${name}~ ${read.key}`;
    joined.push({ name, value, size: read.size });
  });
  return { key, joined };
}

/** x-request-id: every request of a fetch named in it, comma-separated (the registries' SUBGRAPH_REQUEST_ID). */
export const REQUEST_IDS: JoinedHeader = {
  read: (value) => ({ key: '', size: value.length + 1 }),
  join: (values) => [...new Set(values)].join(','),
  // Bounded by maxRequests already: 64 ids of at most 128 characters.
  budget: Number.POSITIVE_INFINITY,
};

/**
 * The claims header: reads of callers of one agency holding the same scopes share fetches, since what
 * each may read is the same, and the joined claims name every one of them (`subjects`). The audit
 * records each request under its own caller at the gateway; the registries read the subject only for
 * writes, which are never joined and which they refuse when several callers are named.
 */
export function callerClaims(): JoinedHeader {
  // Every read passes here and a caller's claims header is the same each time: read once, then looked up.
  const reads = new Map<string, { key: string; size: number }>();
  return {
    read(value) {
      let read = reads.get(value);
      if (!read) {
        const { key, subject } = claimsForJoining(value);
        // What the subject adds to the header: its JSON and a comma, as UTF-8 (up to 4 bytes a character), in base64url (4 bytes for 3).
        read = { key, size: subject === null ? 0 : Math.ceil(((Buffer.byteLength(JSON.stringify(subject)) + 1) * 4) / 3) };
        // One entry per caller in recent use, cleared when full.
        if (reads.size >= 1000) reads.clear();
        reads.set(value, read);
      }
      return read;
    },
    join: joinClaims,
    // The subjects of one fetch, in bytes of the header: with 64 request ids of 128 characters in
    // x-request-id, the headers stay within the 16 KiB a Node server accepts (data-source.spec.ts).
    budget: 4000,
  };
}

export interface FetchBatcherOptions<Context> {
  limits?: FetchBatchLimits;
  /** Headers that may differ between the requests of a fetch, by lower-case name (x-request-id at least). */
  joinedHeaders?: Readonly<Record<string, JoinedHeader>>;
  /** Characters of joined operation texts kept (JOINED_TEXTS_BUDGET). */
  joinedTextsBudget?: number;
  /** The context a joined fetch is sent with, of its requests' (the first's when absent). */
  joinedContext?: (contexts: readonly Context[]) => Context;
  /** Told the number of reads of each fetch sent (the batching factor's metric). */
  onDispatch?: (reads: number) => void;
}

interface Waiter<Context> {
  request: GatewayGraphQLRequest;
  context: Context;
  resolve(response: GatewayGraphQLResponse): void;
  reject(error: unknown): void;
}

/** How the requests of one batch become one fetch, and its answer their answers again. */
interface Joining {
  join(requests: readonly GatewayGraphQLRequest[], joinedHeaders: Readonly<Record<string, JoinedHeader>>): Joined;
}

/** The one fetch for a batch, and how its answer is divided. */
interface Joined {
  request: GatewayGraphQLRequest;
  /** Each request's answer, in order; null when the answer cannot be divided (each request is then sent on its own). */
  split(response: GatewayGraphQLResponse): GatewayGraphQLResponse[] | null;
}

interface Batch<Context> {
  /** The operation's text, and what else makes requests of the batch alike: where it is open (FetchBatcher.open). */
  text: string;
  key: string;
  joining: Joining;
  waiters: Waiter<Context>[];
  /** Representations joined (a root read counts one). */
  size: number;
  /** Per joined header, the distinct values so far and the characters they add up to. */
  headers: Map<string, { values: Set<string>; size: number }>;
}

/**
 * Cross-request batching of reads. Under load many requests ask one registry for the same thing at
 * the same moment with different inputs: every full picture asks persons for one person, then
 * permits for that person's permits. Each fetch costs the registry an HTTP exchange, a GraphQL
 * execution and its SQL statements whatever it asks for, and the registries' DataLoaders batch only
 * within one fetch. The reads issued during one turn of the event loop are sent as one fetch when
 * they are the same operation with the same headers, but for the joined ones (`JoinedHeader`: the
 * request id, and as the data source sets it up, the caller named in the claims), so that every
 * request of a fetch may read the same fields; each gets only the answer to its own request:
 * - entity reads (`_entities`) with the same other variables: one read of all their representations,
 *   each request then getting its own slice and the errors about its entities, renumbered;
 * - root reads (`person(id:)`, `persons(first:, after:)`, ...): one operation holding each request's
 *   root fields under aliases of its own with its variables renamed (`b<i>_<k>`, `v<j>_<i>`); each
 *   request gets its fields back under their own names, and the errors about them.
 * The registry answers exactly what it would have answered each of them alone; an answer that cannot
 * be divided (no data at all, not one entity per representation, or an error about no request's part
 * in particular) is not guessed at: each request is then sent on its own. Mutations are never joined.
 * A lone read is sent untouched and waits only for the end of the current turn (setImmediate, no
 * timer), so nothing waits at rest.
 */
export class FetchBatcher<Context> {
  private readonly open = new ByOperationText<Batch<Context>>();
  private readonly shapes = new Map<string, RootShape | null>();
  private readonly joinedTexts: { kept: number; budget: number };
  private readonly limits: FetchBatchLimits;
  private readonly joinedHeaders: Readonly<Record<string, JoinedHeader>>;
  private readonly joinedContext: (contexts: readonly Context[]) => Context;
  private readonly onDispatch: ((reads: number) => void) | undefined;
  private scheduled = false;

  constructor(
    private readonly send: SubgraphFetch<Context>,
    options: FetchBatcherOptions<Context> = {},
  ) {
    this.limits = options.limits ?? FETCH_BATCH_LIMITS;
    this.joinedContext = options.joinedContext ?? ((contexts) => contexts[0]);
    this.onDispatch = options.onDispatch;
    this.joinedHeaders = { 'x-request-id': REQUEST_IDS, ...options.joinedHeaders };
    this.joinedTexts = { kept: 0, budget: options.joinedTextsBudget ?? JOINED_TEXTS_BUDGET };
  }

  /** The answer to a read, sent with others of its kind; null when the request cannot be joined (send it alone). */
  fetch(request: GatewayGraphQLRequest, context: Context): Promise<GatewayGraphQLResponse> | null {
    const { query, variables, http, extensions } = request;
    if (!query || !http || extensions || !isReadOperation(query)) return null;
    const representations = variables?.representations;
    let joining: Joining;
    let size: number;
    let key: string;
    if (Array.isArray(representations)) {
      size = representations.length;
      if (size >= this.limits.maxRepresentations) return null;
      const { representations: _, ...others } = variables!;
      key = `entities\n${JSON.stringify(others)}`;
      joining = ENTITIES;
    } else {
      const shape = this.rootShape(query);
      if (!shape) return null;
      size = 1;
      key = 'root';
      joining = shape;
    }
    const headers = headersKey(http.headers, this.joinedHeaders);
    key += `\n${request.operationName ?? ''}${headers.key}`;
    const joinedValues = headers.joined;

    let batch = this.open.get(query, key);
    if (batch && (batch.size + size > this.limits.maxRepresentations || !this.fits(batch, joinedValues))) {
      this.dispatch(batch);
      batch = undefined;
    }
    if (!batch) {
      batch = { text: query, key, joining, waiters: [], size: 0, headers: new Map() };
      this.open.set(query, key, batch);
      this.scheduleFlush();
    }
    const joined = batch;
    const answer = new Promise<GatewayGraphQLResponse>((resolve, reject) => {
      joined.waiters.push({ request, context, resolve, reject });
    });
    joined.size += size;
    for (const { name, value, size: added } of joinedValues) {
      let seen = joined.headers.get(name);
      if (!seen) {
        seen = { values: new Set(), size: 0 };
        joined.headers.set(name, seen);
      }
      if (!seen.values.has(value)) {
        seen.values.add(value);
        seen.size += added;
      }
    }
    if (joined.waiters.length >= this.limits.maxRequests) this.dispatch(joined);
    return answer;
  }

  /** True when the request's joined headers keep the batch's within their budgets. */
  private fits(batch: Batch<Context>, joinedValues: readonly JoinedValue[]): boolean {
    return joinedValues.every(({ name, value, size }) => {
      const seen = batch.headers.get(name);
      return !seen || seen.values.has(value) || seen.size + size <= this.joinedHeaders[name].budget;
    });
  }

  /** The shape of a root read, parsed once per operation text; null for one that is not joined. */
  private rootShape(query: string): RootShape | null {
    let shape = this.shapes.get(query);
    if (shape === undefined) {
      // The texts are the query plans' fetches, as many as the plans cached; bounded all the same.
      if (this.shapes.size >= 1000) {
        this.shapes.clear();
        this.joinedTexts.kept = 0;
      }
      shape = RootShape.of(query, this.joinedTexts);
      this.shapes.set(query, shape);
    }
    return shape;
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
    this.open.delete(batch.text, batch.key);
    const { waiters, joining } = batch;
    this.onDispatch?.(waiters.length);
    const alone = (waiter: Waiter<Context>) => this.send(waiter.request, waiter.context).then(waiter.resolve, waiter.reject);
    if (waiters.length === 1) {
      alone(waiters[0]);
      return;
    }
    let joined: Joined;
    try {
      joined = joining.join(waiters.map((waiter) => waiter.request), this.joinedHeaders);
    } catch (error) {
      // Not expected (the requests were read when they were batched): said, and never guessed at.
      process.emitWarning(`fetch batching could not join a batch; its requests are sent alone: ${error instanceof Error ? error.message : String(error)}`);
      waiters.forEach(alone);
      return;
    }
    this.send(joined.request, this.joinedContext(waiters.map((waiter) => waiter.context))).then(
      (response) => {
        const parts = joined.split(response);
        if (parts) waiters.forEach((waiter, index) => waiter.resolve(parts[index]));
        else waiters.forEach(alone);
      },
      (error: unknown) => {
        for (const waiter of waiters) waiter.reject(error);
      },
    );
  }
}

/**
 * The first request's HTTP part, with the joined headers' values of all (every request named in
 * x-request-id); an optional joined header joins the values of the requests that carry it.
 */
function mergedHttp(requests: readonly GatewayGraphQLRequest[], joinedHeaders: Readonly<Record<string, JoinedHeader>>): GatewayGraphQLRequest['http'] {
  const http = requests[0].http!;
  const headers = new Headers();
  const valuesOf = (name: string) => requests.flatMap((request) => request.http!.headers.get(name) ?? []);
  forEachHeader(http.headers, (name, value) => {
    const joinedHeader = joinedHeaders[name];
    if (!joinedHeader?.optional) headers.set(name, joinedHeader ? joinedHeader.join(valuesOf(name)) : value);
  });
  for (const [name, joinedHeader] of Object.entries(joinedHeaders)) {
    if (!joinedHeader.optional) continue;
    const values = valuesOf(name);
    if (values.length > 0) headers.set(name, joinedHeader.join(values));
  }
  return { method: http.method, url: http.url, headers };
}

/** Entity reads: the representations of all, in order; each its slice back. */
const ENTITIES: Joining = {
  join(requests, joinedHeaders) {
    const [first] = requests;
    const representations = requests.map((request) => request.variables!.representations as unknown[]);
    return {
      request: {
        query: first.query,
        operationName: first.operationName,
        variables: { ...first.variables, representations: representations.flat() },
        http: mergedHttp(requests, joinedHeaders),
      },
      split: (response) => splitEntities(response, representations.map((each) => each.length)),
    };
  },
};

/** The index of the entity an error is about; null for an error about no entity in particular. */
function entityIndexOf(error: GraphQLFormattedError): number | null {
  const path = error.path;
  return path?.[0] === '_entities' && typeof path[1] === 'number' ? path[1] : null;
}

/**
 * Each request's part of a batched entity read: its own slice of `_entities` (distinct objects, as
 * its own fetch would have given) and the errors about its entities, their index renumbered. Null for
 * an answer without one entity per representation, or with an error about no entity in particular,
 * which cannot be told to belong to one request (the requests may be different callers').
 */
export function splitEntities(response: GatewayGraphQLResponse, counts: readonly number[]): GatewayGraphQLResponse[] | null {
  const total = counts.reduce((sum, count) => sum + count, 0);
  const entities: unknown = response.data?._entities;
  if (!Array.isArray(entities) || entities.length !== total) return null;
  if (response.errors?.some((error) => entityIndexOf(error) === null)) return null;
  let from = 0;
  return counts.map((count) => {
    const to = from + count;
    const errors = (response.errors ?? []).flatMap((error) => {
      const index = entityIndexOf(error)!;
      return index >= from && index < to ? [{ ...error, path: ['_entities', index - from, ...error.path!.slice(2)] }] : [];
    });
    const part: GatewayGraphQLResponse = { data: { _entities: entities.slice(from, to) }, extensions: response.extensions, http: response.http };
    if (errors.length > 0) part.errors = errors;
    from = to;
    return part;
  });
}

/**
 * Root reads asking the same (several connections asking for the same page at once) share one place
 * in the joined operation: the distinct requests, and each request's place among them.
 */
function slots(requests: readonly GatewayGraphQLRequest[]): { distinct: GatewayGraphQLRequest[]; slotOf: number[] } {
  const byVariables = new Map<string, number>();
  const distinct: GatewayGraphQLRequest[] = [];
  const slotOf = requests.map((request) => {
    // The requests of a batch are the same operation: their bodies differ by their variables alone.
    const key = bodyOf(request);
    let slot = byVariables.get(key);
    if (slot === undefined) {
      slot = distinct.push(request) - 1;
      byVariables.set(key, slot);
    }
    return slot;
  });
  return { distinct, slotOf };
}

/** A root read's operation as a batch needs it: its variables and root fields, by position. */
class RootShape implements Joining {
  /** The joined operation's text, per number of requests joined. */
  private readonly texts = new Map<number, string>();

  private constructor(
    private readonly operation: OperationDefinitionNode,
    private readonly variables: readonly string[],
    private readonly responseKeys: readonly string[],
    /** Characters of joined texts kept by all the shapes of one batcher, and how many may be. */
    private readonly joinedTexts: { kept: number; budget: number },
  ) {}

  /**
   * The shape of a query whose document is one operation without directives, selecting fields
   * only at its root; null for anything else (sent alone), such as one with fragment definitions,
   * whose variables could not be renamed for each request.
   */
  static of(query: string, joinedTexts: { kept: number; budget: number }): RootShape | null {
    let document;
    try {
      document = parse(query, { noLocation: true });
    } catch {
      return null;
    }
    const [operation, ...others] = document.definitions;
    if (others.length > 0 || operation.kind !== Kind.OPERATION_DEFINITION || operation.operation !== 'query' || operation.directives?.length) return null;
    const fields = operation.selectionSet.selections;
    if (!fields.every((selection): selection is FieldNode => selection.kind === Kind.FIELD)) return null;
    const variables = (operation.variableDefinitions ?? []).map((definition) => definition.variable.name.value);
    return new RootShape(operation, variables, fields.map((field) => (field.alias ?? field.name).value), joinedTexts);
  }

  join(requests: readonly GatewayGraphQLRequest[], joinedHeaders: Readonly<Record<string, JoinedHeader>>): Joined {
    const { distinct, slotOf } = slots(requests);
    const variables: Record<string, unknown> = {};
    distinct.forEach((request, i) => {
      this.variables.forEach((name, j) => {
        const value = request.variables?.[name];
        if (value !== undefined) variables[`v${j}_${i}`] = value;
      });
    });
    return {
      request: { query: this.text(distinct.length), operationName: requests[0].operationName, variables, http: mergedHttp(requests, joinedHeaders) },
      split: (response) => this.split(response, slotOf),
    };
  }

  /**
   * Each request's fields back under their own names, from its place (`slotOf`) in the joined answer;
   * null for no data, or an error about no request's field in particular.
   */
  private split(response: GatewayGraphQLResponse, slotOf: readonly number[]): GatewayGraphQLResponse[] | null {
    const { data } = response;
    if (!data) return null;
    const placed = (response.errors ?? []).map((error) => (typeof error.path?.[0] === 'string' ? /^b(\d+)_(\d+)$/.exec(error.path[0]) : null));
    if (placed.some((place) => place === null)) return null;
    const answered = new Set<number>();
    return slotOf.map((slot) => {
      let own: Record<string, unknown> = {};
      this.responseKeys.forEach((key, k) => {
        own[key] = data[`b${slot}_${k}`] ?? null;
      });
      // A request asking what an earlier one of the batch asked gets objects of its own.
      if (answered.has(slot)) own = structuredClone(own);
      answered.add(slot);
      const errors = (response.errors ?? []).flatMap((error, e) => {
        const [, joinedSlot, field] = placed[e]!;
        return Number(joinedSlot) === slot ? [{ ...error, path: [this.responseKeys[Number(field)], ...error.path!.slice(1)] }] : [];
      });
      const part: GatewayGraphQLResponse = { data: own, extensions: response.extensions, http: response.http };
      if (errors.length > 0) part.errors = errors;
      return part;
    });
  }

  /** The operation repeated `count` times: request i's root field k under alias b<i>_<k>, its variable j renamed v<j>_<i>. */
  private text(count: number): string {
    let text = this.texts.get(count);
    if (text === undefined) {
      const definitions: VariableDefinitionNode[] = [];
      const selections: FieldNode[] = [];
      const index = new Map(this.variables.map((name, j) => [name, j]));
      for (let i = 0; i < count; i += 1) {
        const renamed = (name: string) => ({ kind: Kind.NAME, value: `v${index.get(name)}_${i}` }) as const;
        for (const definition of this.operation.variableDefinitions ?? []) {
          definitions.push({ ...definition, variable: { ...definition.variable, name: renamed(definition.variable.name.value) } });
        }
        this.operation.selectionSet.selections.forEach((selection, k) => {
          const field = visit(selection as FieldNode, { Variable: (variable) => ({ ...variable, name: renamed(variable.name.value) }) });
          selections.push({ ...field, alias: { kind: Kind.NAME, value: `b${i}_${k}` } });
        });
      }
      text = print({ ...this.operation, variableDefinitions: definitions, selectionSet: { ...this.operation.selectionSet, selections } });
      if (this.joinedTexts.kept + text.length <= this.joinedTexts.budget) {
        this.texts.set(count, text);
        this.joinedTexts.kept += text.length;
      }
    }
    return text;
  }
}

/** Batching as a step of the read chain: a read that cannot be joined goes on alone at once. */
export function fetchBatching<Context>(options: FetchBatcherOptions<Context> = {}): FetchMiddleware<Context> {
  let batcher: FetchBatcher<Context> | undefined;
  return (request, context, next) => {
    // The chain's `next` is the same for the middleware's life: the batcher sends its batches there.
    batcher ??= new FetchBatcher(next, options);
    return batcher.fetch(request, context) ?? next(request, context);
  };
}
