import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { ApolloServerOptions, ApolloServerPlugin, BaseContext } from '@apollo/server';
import { GraphQLError, Kind, parse, type OperationDefinitionNode } from 'graphql';

/**
 * Persisted operations: the operations committed in the repository (test/operations), each under the
 * SHA-256 of its exact text, in a manifest that `npm run codegen` writes (schema/persisted-operations.json).
 *
 * A client sends an operation by hash in Apollo's automatic persisted queries (APQ) wire format,
 * `{"extensions":{"persistedQuery":{"version":1,"sha256Hash":"<hash>"}}}` with no `query`, or sends
 * the text itself. Three modes:
 * - `off`: no persisted operations; a request by hash gets PERSISTED_QUERY_NOT_SUPPORTED.
 * - `allow`: the manifest's operations may be sent by hash, and any other text still runs.
 * - `safelist`: only the manifest's operations run, by hash or by their exact text; anything else is
 *   refused with PERSISTED_QUERY_NOT_IN_SAFELIST (403) before it is planned.
 * In no mode can a client add an operation: the APQ cache is the manifest, and writes to it are dropped.
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


/** Options of the safelist. */
export interface SafelistOptions<TContext extends BaseContext> {
  /**
   * Whether the safelist holds for a request (all requests when absent): false lets a trusted caller,
   * such as a registry reading the graph with the gateway's own credentials, send other operations.
   */
  appliesTo?: (context: TContext) => boolean;
}

/**
 * What Apollo Server needs for a mode: its `persistedQueries` option and a plugin (it does nothing
 * outside `safelist`).
 */
export function persistedOperations<TContext extends BaseContext = BaseContext>(
  manifest: PersistedOperationsManifest,
  mode: PersistedOperationsMode,
  options: SafelistOptions<TContext> = {},
): { persistedQueries: PersistedQueryOptions; plugin: ApolloServerPlugin<TContext> } {
  if (mode === 'off') return { persistedQueries: false, plugin: {} };
  const texts = new Map(Object.entries(manifest.operations));
  return {
    persistedQueries: { cache: readOnlyCache(texts), ttl: null },
    plugin: mode === 'safelist' ? safelist(texts, options.appliesTo ?? (() => true)) : {},
  };
}

/**
 * The APQ cache: the manifest, read only. Apollo Server would store any operation a client sends with
 * its hash (`set`); here that is dropped, so a hash it does not know stays unknown.
 */
function readOnlyCache(texts: ReadonlyMap<string, string>): PersistedQueryCache {
  return {
    async get(key) {
      return key.startsWith(APQ_KEY_PREFIX) ? texts.get(key.slice(APQ_KEY_PREFIX.length)) : undefined;
    },
    async set() {},
    async delete() {
      return false;
    },
  };
}

/**
 * Only the manifest's operations run. The check is on the SHA-256 of the source Apollo Server resolved
 * (from the hash, or the text as sent), so text that differs by a single character is not safelisted.
 * A refusal cannot be thrown where the source is resolved (Apollo Server would answer 500), so it is
 * thrown when the operation is resolved, after parsing and validation and before anything is planned
 * or executed; and whatever error an earlier step gave an unlisted document (a syntax or validation
 * error) is replaced by the refusal, so an unlisted document learns nothing else about the schema.
 */
function safelist<TContext extends BaseContext>(texts: ReadonlyMap<string, string>, appliesTo: (context: TContext) => boolean): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart() {
      let refusal: GraphQLError | undefined;
      return {
        // Apollo has hashed the source already (queryHash): the text's SHA-256, or the hash a
        // client sent, which resolved only because it is a manifest key checked against its text.
        async didResolveSource({ queryHash, contextValue }) {
          if (appliesTo(contextValue) && !texts.has(queryHash)) {
            refusal = new GraphQLError('Only the persisted operations of the safelist are accepted; send one by its sha256Hash.', {
              extensions: { code: NOT_IN_SAFELIST, http: { status: 403 } },
            });
          }
        },
        async didResolveOperation() {
          if (refusal) throw refusal;
        },
        async willSendResponse({ response }) {
          if (!refusal) return;
          response.body = {
            kind: 'single',
            singleResult: { errors: [{ message: refusal.message, extensions: { code: NOT_IN_SAFELIST } }] },
          };
          response.http.status = 403;
        },
      };
    },
  };
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
