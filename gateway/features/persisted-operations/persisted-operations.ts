import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { ApolloServerOptions, ApolloServerPlugin, BaseContext, GraphQLRequest, GraphQLResponse } from '@apollo/server';
import { InMemoryLRUCache } from '@apollo/utils.keyvaluecache';
import { printExecutableGraphQLDocument } from '@graphql-tools/documents';
import { GraphQLError, Kind, parse, print, visit, type DocumentNode, type FieldNode, type OperationDefinitionNode, type SelectionSetNode } from 'graphql';

/**
 * Persisted operations: the operations committed in the repository (test/operations), each under the
 * SHA-256 of its exact text, in a manifest that `npm run codegen` writes (schema/persisted-operations.json).
 *
 * A committed operation is accepted in each form a client sends it:
 * - its exact text, or the text as Apollo Client sends it (with the `__typename` fields it adds);
 * - by hash in Apollo's automatic persisted queries (APQ) wire format,
 *   `{"extensions":{"persistedQuery":{"version":1,"sha256Hash":"<hash>"}}}` with no `query`, the hash
 *   being that of the exact text or of Apollo Client's print of it (both known from the start);
 * - by `documentId` (`sha256:<hash>`, or the hash alone), as graphql-codegen's client preset sends a
 *   persisted document: the hash of its normalized print, with or without its `__typename` transform.
 * A text is judged by its canonical form (canonicalOperation): the only difference from a committed
 * operation it may have is `__typename` fields, layout and the order of selections, so it reads no
 * more than the committed operation does.
 *
 * Three modes:
 * - `off`: no persisted operations; a request by hash gets PERSISTED_QUERY_NOT_SUPPORTED.
 * - `allow`: the manifest's operations may be sent by hash, and any other text still runs; an
 *   operation sent with its hash is remembered under it (a bounded cache), so the stock
 *   PersistedQueryLink sends later requests of it by hash alone, in one round trip.
 * - `safelist`: only the manifest's operations run, in any of the forms above; anything else is
 *   refused with PERSISTED_QUERY_NOT_IN_SAFELIST (403) before it is planned, with how to propose it.
 *   A client's own print of a committed operation is remembered under its hash like in `allow`, which
 *   adds no operation: the safelist is checked on every request, whatever the cache holds.
 */

export const PERSISTED_OPERATIONS_MODES = ['off', 'allow', 'safelist'] as const;
export type PersistedOperationsMode = (typeof PERSISTED_OPERATIONS_MODES)[number];

/** The manifest file's `format` and `version`. */
export const MANIFEST_FORMAT = 'dmx-persisted-operations';
export const MANIFEST_VERSION = 1;

export interface PersistedOperationsManifest {
  format: typeof MANIFEST_FORMAT;
  version: typeof MANIFEST_VERSION;
  /** SHA-256 (lowercase hex) of the exact text → the text: one named operation and the fragments it uses. */
  operations: Record<string, string>;
}


/** The code a refused, not safelisted operation gets. */
export const NOT_IN_SAFELIST = 'PERSISTED_QUERY_NOT_IN_SAFELIST';
/** The code of a request whose `sha256Hash` is not the SHA-256 of the `query` it came with. */
export const HASH_MISMATCH = 'PERSISTED_QUERY_HASH_MISMATCH';

/** Apollo Server prefixes every key of the APQ cache with this (APQ_CACHE_PREFIX in its request pipeline). */
const APQ_KEY_PREFIX = 'apq:';

type PersistedQueryOptions = Exclude<ApolloServerOptions<BaseContext>['persistedQueries'], undefined>;
type PersistedQueryCache = NonNullable<Exclude<PersistedQueryOptions, false>['cache']>;

/** SHA-256 of an operation's text, lowercase hex: what a client sends as `sha256Hash`. */
export function operationHash(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** Reads and checks a manifest file; an error names the file and what is wrong. */
export function loadManifest(file: string): PersistedOperationsManifest {
  let json: string;
  try {
    json = readFileSync(file, 'utf8');
  } catch (error) {
    throw new Error(`Persisted operations manifest ${file} cannot be read: ${(error as Error).message}`);
  }
  return parseManifest(json, file);
}

/**
 * Checks a manifest: the format and version, and that every key is the SHA-256 of its text and every
 * text is one named operation (with the fragments it uses) that parses.
 */
export function parseManifest(json: string, source = 'the persisted operations manifest'): PersistedOperationsManifest {
  const fail = (problem: string) => new Error(`Persisted operations manifest ${source}: ${problem}`);
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch (error) {
    throw fail(`not JSON (${(error as Error).message})`);
  }
  if (!isRecord(value)) throw fail('not a JSON object');
  if (value.format !== MANIFEST_FORMAT || value.version !== MANIFEST_VERSION) {
    throw fail(`expected format "${MANIFEST_FORMAT}" version ${MANIFEST_VERSION}, found ${JSON.stringify(value.format)} version ${JSON.stringify(value.version)}`);
  }
  if (!isRecord(value.operations)) throw fail('"operations" is not an object of hash → text');
  const names = new Map<string, string>();
  for (const [hash, text] of Object.entries(value.operations)) {
    if (typeof text !== 'string') throw fail(`the operation under ${hash} is not a string`);
    const actual = operationHash(text);
    if (hash !== actual) throw fail(`the key ${hash} is not the SHA-256 of its text (${actual}); regenerate it with \`npm run codegen\``);
    const name = namedOperation(text, (problem) => fail(`the operation under ${hash} ${problem}`));
    const other = names.get(name);
    if (other) throw fail(`two operations are named ${name} (${other} and ${hash})`);
    names.set(name, hash);
  }
  return { format: MANIFEST_FORMAT, version: MANIFEST_VERSION, operations: { ...value.operations } as Record<string, string> };
}


/** Options of the persisted operations. */
export interface SafelistOptions<TContext extends BaseContext> {
  /**
   * Whether the safelist holds for a request (all requests when absent): false lets a trusted caller,
   * such as a registry reading the graph with the gateway's own credentials, send other operations.
   */
  appliesTo?: (context: TContext) => boolean;
  /** Bytes of operation texts remembered under the hash a client sent them with (default 4 MiB). */
  rememberedBytes?: number;
}

/** How a client is told to propose an operation that is not in the safelist. */
export const NOT_IN_SAFELIST_MESSAGE =
  'This operation is not one of the persisted operations this gateway runs (safelist mode). Send a committed operation ' +
  'by its text (with or without the __typename fields a client adds), its sha256Hash or its documentId. To propose a new ' +
  "one, add it as a .graphql file under test/operations/ in the gateway's repository, run `npm run codegen` and submit " +
  'it with the regenerated schema/persisted-operations.json.';

const DEFAULT_REMEMBERED_BYTES = 4 * 1024 * 1024;
/** Hashes of texts found to be a committed operation, cached so the text is judged once (a bound, not a tuning). */
const ACCEPTED_HASHES_KEPT = 10_000;

/**
 * What Apollo Server needs for a mode: its `persistedQueries` option and a plugin (it reads a
 * `documentId`, refuses a hash that is not its text's and, in `safelist`, refuses the rest).
 */
export function persistedOperations<TContext extends BaseContext = BaseContext>(
  manifest: PersistedOperationsManifest,
  mode: PersistedOperationsMode,
  options: SafelistOptions<TContext> = {},
): { persistedQueries: PersistedQueryOptions; plugin: ApolloServerPlugin<TContext> } {
  if (mode === 'off') return { persistedQueries: false, plugin: {} };
  const known = knownOperations(manifest);
  const appliesTo = options.appliesTo ?? (() => true);
  const safelisted = mode === 'safelist' ? safelist(known, appliesTo) : {};
  return {
    persistedQueries: { cache: operationCache(known.forms, options.rememberedBytes ?? DEFAULT_REMEMBERED_BYTES), ttl: null },
    plugin: readDocumentId(mode === 'safelist' ? appliesTo : () => false, refuseMalformedPersistedQuery(safelisted)),
  };
}

/** The manifest's operations as clients send them. */
interface KnownOperations {
  /** SHA-256 of every form a client sends a committed operation in → that form's text. */
  forms: ReadonlyMap<string, string>;
  /** The canonical form of every committed operation. */
  canonical: ReadonlySet<string>;
}

function knownOperations(manifest: PersistedOperationsManifest): KnownOperations {
  const forms = new Map<string, string>();
  const canonical = new Set<string>();
  for (const text of Object.values(manifest.operations)) {
    const document = parse(text, { noLocation: true });
    const committed = canonicalOperation(document);
    canonical.add(committed);
    for (const form of clientForms(text, document)) {
      // A form that is not the same operation would widen the safelist: it cannot happen, and is checked.
      if (canonicalOperation(parse(form, { noLocation: true })) !== committed) throw new Error(`A client form of a persisted operation is not the same operation:\n${form}`);
      forms.set(operationHash(form), form);
    }
  }
  return { forms, canonical };
}

/**
 * The texts in which clients send a committed operation, each under its SHA-256: the exact text;
 * Apollo Client's (it adds `__typename` to every selection set but the operation's, then prints with
 * graphql-js); and graphql-codegen client preset's persisted documents (its normalized print, with
 * or without its `addTypenameSelectionDocumentTransform`, which adds `__typename` first everywhere).
 * The forms of a client's own document (fragments in another order, say) are not here: sent as text
 * they are accepted by their canonical form, and remembered under their hash (operationCache).
 */
export function clientForms(text: string, document: DocumentNode = parse(text, { noLocation: true })): string[] {
  const asApolloClient = withTypename(document, 'last', (set, parent) => parent?.kind !== Kind.OPERATION_DEFINITION && !set.selections.some((s) => s.kind === Kind.FIELD && s.name.value.startsWith('__')));
  const asCodegen = withTypename(document, 'first', (set, parent) => !(parent?.kind === Kind.OPERATION_DEFINITION && parent.operation === 'subscription') && !set.selections.some((s) => s.kind === Kind.FIELD && s.name.value === '__typename'));
  return [...new Set([
    text,
    print(asApolloClient),
    printExecutableGraphQLDocument(document),
    printExecutableGraphQLDocument(asCodegen),
    // Apollo Client sending a document that codegen's transform gave its `__typename` fields already.
    print(asCodegen),
  ])];
}

const TYPENAME: FieldNode = { kind: Kind.FIELD, name: { kind: Kind.NAME, value: '__typename' } };

function withTypename(document: DocumentNode, where: 'first' | 'last', adds: (set: SelectionSetNode, parent: { kind?: string; operation?: string } | undefined) => boolean): DocumentNode {
  return visit(document, {
    SelectionSet: {
      enter(set, _key, parent) {
        const node = parent as { kind?: string; operation?: string } | undefined;
        if (!adds(set, node && !Array.isArray(node) ? node : undefined)) return undefined;
        return { ...set, selections: where === 'first' ? [TYPENAME, ...set.selections] : [...set.selections, TYPENAME] };
      },
    },
  });
}

/**
 * An operation's canonical form: what it asks for, whatever the client added or however it printed it.
 * Exactly one thing is taken out: a field named `__typename` with no alias, no arguments, no directives
 * (which reads nothing but the type's name, and is what clients add). An alias named `__typename`
 * (`__typename: person(…)`) is a field like any other and stays. Then the document is printed
 * normalized (selections, fragments, variables and arguments in order of name, a mutation's fields
 * in the order they run; white space reduced), as graphql-codegen prints a persisted document.
 */
export function canonicalOperation(document: DocumentNode): string {
  const stripped = visit(document, {
    Field(field) {
      const added = field.name.value === '__typename' && !field.alias && !field.arguments?.length && !field.directives?.length && !field.selectionSet;
      return added ? null : undefined;
    },
  });
  return printExecutableGraphQLDocument(stripped);
}

/** The hash in a `documentId` (`sha256:<hex>`, or the hex alone), lowercase; undefined when it is not one. */
export function documentIdHash(documentId: string): string | undefined {
  const match = /^(?:sha256:)?([0-9a-fA-F]{64})$/.exec(documentId);
  return match?.[1].toLowerCase();
}

/**
 * graphql-codegen's client preset sends a persisted document as `{"documentId":"sha256:<hex>"}`
 * (GraphQL over HTTP's persisted documents), in the body or, for GET, the URL, and may send the same
 * hash, prefixed, as an APQ `sha256Hash`. Both become the APQ request Apollo Server understands.
 * A `documentId` that is not known is, where the safelist applies, refused as not in the safelist
 * (there is no text to fall back to); elsewhere it is PERSISTED_QUERY_NOT_FOUND, as Apollo answers.
 */
function readDocumentId<TContext extends BaseContext>(safelistApplies: (context: TContext) => boolean, inner: ApolloServerPlugin<TContext>): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart(context) {
      const byDocumentId = asApqRequest(context.request);
      const listener = await inner.requestDidStart?.(context);
      if (!byDocumentId || !safelistApplies(context.contextValue)) return listener;
      return {
        ...listener,
        async willSendResponse(responseContext) {
          await listener?.willSendResponse?.(responseContext);
          const { response } = responseContext;
          const codes = response.body.kind === 'single' ? response.body.singleResult.errors?.map((error) => error.extensions?.code) : undefined;
          if (codes?.includes('PERSISTED_QUERY_NOT_FOUND')) refuse(response);
        },
      };
    },
  };
}

/** Rewrites a `documentId` request (or a prefixed hash) as an APQ request; true when it came by `documentId`. */
function asApqRequest(request: GraphQLRequest): boolean {
  const persisted = request.extensions?.persistedQuery as { version?: unknown; sha256Hash?: unknown } | undefined;
  if (persisted) {
    if (typeof persisted.sha256Hash === 'string' && persisted.sha256Hash.startsWith('sha256:')) {
      request.extensions = { ...request.extensions, persistedQuery: { ...persisted, sha256Hash: documentIdHash(persisted.sha256Hash) ?? persisted.sha256Hash } };
    }
    return false;
  }
  const body = request.http?.body as Record<string, unknown> | undefined;
  const fromBody = typeof body === 'object' && body !== null && typeof body.documentId === 'string' ? body.documentId : undefined;
  const documentId = fromBody ?? new URLSearchParams(request.http?.search ?? '').get('documentId') ?? undefined;
  if (documentId === undefined) return false;
  request.extensions = { ...request.extensions, persistedQuery: { version: 1, sha256Hash: documentIdHash(documentId) ?? documentId } };
  return true;
}

/**
 * A persisted query Apollo Server refuses before any hook could throw, with an error that has no code
 * (which would come out as INTERNAL_SERVER_ERROR): a text sent with a hash that is not its SHA-256 (the
 * client's mistake, or a forgery), 400 PERSISTED_QUERY_HASH_MISMATCH; a version other than 1, 400
 * BAD_REQUEST. Its answer is replaced as it leaves. Every other request goes to `inner` (the safelist,
 * or nothing).
 */
function refuseMalformedPersistedQuery<TContext extends BaseContext>(inner: ApolloServerPlugin<TContext>): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart(context) {
      const { query, extensions } = context.request;
      const sent = extensions?.persistedQuery as { version?: unknown; sha256Hash?: unknown } | undefined;
      const refusal = !sent
        ? null
        : sent.version !== 1
          ? { message: `Persisted query version ${JSON.stringify(sent.version)} is not supported; send version 1.`, extensions: { code: 'BAD_REQUEST' } }
          : typeof query === 'string' && sent.sha256Hash !== operationHash(query)
            ? { message: 'The sha256Hash is not the SHA-256 of the query sent with it; send the text with its own hash, or the hash alone.', extensions: { code: HASH_MISMATCH } }
            : null;
      if (!refusal) return inner.requestDidStart?.(context);
      return {
        async willSendResponse({ response }) {
          response.body = { kind: 'single', singleResult: { errors: [refusal] } };
          response.http.status = 400;
        },
      };
    },
  };
}

/**
 * The APQ cache: the forms of the manifest's operations, then (bounded, least recently used out
 * first) the texts clients sent with their hash and that ran: Apollo Server stores one only after
 * the operation was resolved, so never a text the safelist refused or that did not validate.
 */
function operationCache(forms: ReadonlyMap<string, string>, rememberedBytes: number): PersistedQueryCache {
  const remembered = new InMemoryLRUCache<string>({ maxSize: Math.max(1, rememberedBytes) });
  const hashOf = (key: string) => (key.startsWith(APQ_KEY_PREFIX) ? key.slice(APQ_KEY_PREFIX.length) : undefined);
  return {
    async get(key) {
      const hash = hashOf(key);
      return hash === undefined ? undefined : forms.get(hash) ?? (await remembered.get(hash));
    },
    async set(key, text) {
      const hash = hashOf(key);
      if (hash !== undefined && !forms.has(hash) && rememberedBytes > 0) await remembered.set(hash, text);
    },
    async delete(key) {
      const hash = hashOf(key);
      return hash === undefined ? false : remembered.delete(hash);
    },
  };
}

function refuse(response: GraphQLResponse): void {
  response.body = { kind: 'single', singleResult: { errors: [{ message: NOT_IN_SAFELIST_MESSAGE, extensions: { code: NOT_IN_SAFELIST } }] } };
  response.http.status = 403;
}

/**
 * Only the manifest's operations run. A source known by its hash (a form of a committed operation) is
 * let through at once; any other is judged on its canonical form once it is parsed: the same as a
 * committed operation's, or refused. A refusal cannot be thrown where the source is resolved (Apollo
 * Server would answer 500), so it is thrown when the operation is resolved, after parsing and
 * validation and before anything is planned or executed; and whatever error an earlier step gave an
 * unlisted document (a syntax or validation error) is replaced by the refusal, so an unlisted
 * document learns nothing else about the schema.
 */
function safelist<TContext extends BaseContext>(known: KnownOperations, appliesTo: (context: TContext) => boolean): ApolloServerPlugin<TContext> {
  // Hashes of sources found to be a committed operation (queryHash is the text's SHA-256, or a hash
  // that resolved only to the text stored under it), so that each is judged once.
  const accepted = new Set<string>();
  return {
    async requestDidStart() {
      let refusal: GraphQLError | undefined;
      let judge = false;
      return {
        async didResolveSource({ queryHash, contextValue }) {
          if (!appliesTo(contextValue) || known.forms.has(queryHash) || accepted.has(queryHash)) return;
          judge = true;
          refusal = new GraphQLError(NOT_IN_SAFELIST_MESSAGE, { extensions: { code: NOT_IN_SAFELIST, http: { status: 403 } } });
        },
        async didResolveOperation({ document, queryHash }) {
          if (judge && known.canonical.has(canonicalFormOf(document))) {
            refusal = undefined;
            if (accepted.size >= ACCEPTED_HASHES_KEPT) accepted.delete(accepted.values().next().value!);
            accepted.add(queryHash);
          }
          if (refusal) throw refusal;
        },
        async willSendResponse({ response }) {
          if (refusal) refuse(response);
        },
      };
    },
  };
}

/**
 * The name of the committed operation a document is, in whatever form a client sent it (its canonical
 * form is the committed one's), or undefined.
 */
export function committedOperationName(manifest: PersistedOperationsManifest): (document: DocumentNode) => string | undefined {
  const names = new Map(
    Object.values(manifest.operations).map((text) => [
      canonicalOperation(parse(text, { noLocation: true })),
      namedOperation(text, (problem) => new Error(`a manifest operation ${problem}`)),
    ]),
  );
  return (document) => names.get(canonicalFormOf(document));
}

/** Canonical forms of the documents requests brought, by the document object (Apollo Server keeps one per text). */
const canonicalForms = new WeakMap<DocumentNode, string>();

/** A request's document's canonical form, made once per document object (the safelist and the metric label ask for it). */
function canonicalFormOf(document: DocumentNode): string {
  let form = canonicalForms.get(document);
  if (form === undefined) canonicalForms.set(document, (form = canonicalOperation(document)));
  return form;
}

function namedOperation(text: string, fail: (problem: string) => Error): string {
  let operations: OperationDefinitionNode[];
  try {
    operations = parse(text, { noLocation: true }).definitions.filter((definition) => definition.kind === Kind.OPERATION_DEFINITION);
  } catch (error) {
    throw fail(`does not parse: ${(error as Error).message}`);
  }
  if (operations.length !== 1) throw fail(`has ${operations.length} operations; one is expected`);
  const name = operations[0].name?.value;
  if (!name) throw fail('has no name');
  return name;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
