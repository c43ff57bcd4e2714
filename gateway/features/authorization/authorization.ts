import { HeaderMap, type ApolloServerPlugin, type GraphQLRequestContext } from '@apollo/server';
import { randomUUID } from 'node:crypto';
import {
  GraphQLError,
  print,
  type ASTVisitor,
  type DocumentNode,
  type GraphQLFormattedError,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type ValidationContext,
} from 'graphql';
import { forbidden } from '../../../subgraphs/shared/access';
import { MAX_OPERATION_LENGTH } from '../../../subgraphs/shared/audit-entry';
import { PURPOSE_HEADER, type VerifiedClaims } from '../../../subgraphs/shared/context';
import type { GatewayContext } from '../../http/context';
import { AGENCIES } from './agencies';
import { operationHash } from '../persisted-operations/persisted-operations';
import type { AuditEntry, AuditSink } from '../audit/audit-client';
import { durableAudit } from '../audit/audit-outbox';
import { filterOperation, INTERNAL_KEY_PREFIX, type FilteredOperation } from './filter';
import type { AccessPolicy } from './policy';
import { nullDenied, stripInternalKeys, type Json } from './response';


/** An operation as the gateway plans it for a caller. */
export interface Planned extends FilteredOperation {
  /** The hash the gateway caches the query plan under: of the filtered document, so no plan serves two permission sets. */
  queryHash: string;
}

/**
 * What the gateway plans for a caller: the operation without the fields the caller's scopes do not
 * allow, and its hash. The plan cache is warmed (query-plans.ts) through this same function.
 */
export function prepareOperation(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  policy: AccessPolicy,
  claims: VerifiedClaims | null,
): Planned {
  const filtered = filterOperation(schema, document, operation, policy, claims);
  return { ...filtered, queryHash: operationHash(print(filtered.document)) };
}

/** How many filtered operations are kept (per operation text, operation name and scope set). */
const CACHE_SIZE = 2000;

/**
 * A caller's scope set as one string, for the cache key: made once per claims object, and the token
 * verifier gives the same object for every request with the same token. Kept beside the claims, not
 * in them, because the claims are forwarded to the subgraphs as they are.
 */
const scopeSetKeys = new WeakMap<VerifiedClaims, string>();

function scopeSetKey(claims: VerifiedClaims): string {
  let key = scopeSetKeys.get(claims);
  if (key === undefined) {
    key = [...claims.scopes].sort().join(' ');
    scopeSetKeys.set(claims, key);
  }
  return key;
}

/**
 * Authorization as the Apollo Router does it, for `@apollo/gateway` (which does not): before
 * planning, the fields the caller's scopes do not allow are taken out of the operation; the rest is
 * served; each field left out comes back as null with a FORBIDDEN error at its path. An operation
 * that reads protected (personal) data needs a declared purpose its agency may use, and every such
 * operation is written to the audit log, with the ids of the persons whose data it returned, before
 * the answer leaves.
 *
 * Reads: no record, no answer (the answer is refused with 503 AUDIT_UNAVAILABLE when the log cannot
 * take its record; nothing was changed, so "retry later" is true). Writes (mutations): their intent is
 * recorded before they run, and when the log cannot take it nothing runs (503, and the retry is a
 * first try). Their outcome is recorded after; when the log cannot take it then, the write has
 * committed, so its answer is the write's result, and the outcome record waits in an outbox and is
 * sent again (audit-outbox.ts). A write never answers "retry" after it committed.
 */
export function authorization(options: { policy: AccessPolicy; audit?: AuditSink }): ApolloServerPlugin<GatewayContext> {
  const cache = new Map<string, Planned>();
  const audit = options.audit && durableAudit(options.audit);

  function plan(context: GraphQLRequestContext<GatewayContext>): Planned {
    const claims = context.contextValue.claims;
    const key = `${context.queryHash}\n${context.operationName ?? ''}\n${claims ? scopeSetKey(claims) : '-'}`;
    let planned = cache.get(key);
    if (!planned) {
      planned = prepareOperation(context.schema, context.document!, context.operation!, options.policy, claims);
      if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value!);
      cache.set(key, planned);
    }
    return planned;
  }

  return {
    async requestDidStart() {
      let planned: Planned | undefined;
      let executed = false;
      /** This request's records are `<id>.<phase>`: the audit log stores each once, however often it is sent. */
      const entryIds = randomUUID();
      /** A write whose intent is on record: its outcome is recorded, not made a condition of its answer. */
      let intentRecorded = false;
      return {
        async didResolveOperation(context) {
          planned = plan(context);
          const { claims, purpose } = context.contextValue;
          if (claims && planned.served.length > 0) {
            const allowed = AGENCIES[claims.agency]?.purposes ?? [];
            if (!purpose || !allowed.includes(purpose)) {
              const refused = purpose ? 'PURPOSE_NOT_ALLOWED' : 'PURPOSE_REQUIRED';
              // The refusal is recorded for oversight; nothing was read, so it stands even if the log cannot take it.
              await audit?.append(entryOf(context, planned, new Set(), refused, `${entryIds}.refused`)).catch((error: Error) => {
                context.logger.warn(`audit log unavailable for a refused request: ${error.message}`);
              });
              throw purposeError(refused, claims.agency, allowed);
            }
          }
          (context as { document: unknown }).document = planned.document;
        },
        async responseForOperation(context) {
          // Last before execution (every check has passed): a write that touches protected data is recorded before it runs.
          if (!audit || !planned || planned.served.length === 0 || context.operation?.operation !== 'mutation') return null;
          try {
            await audit.append(entryOf(context, planned, new Set(), 'INTENT', `${entryIds}.intent`));
            intentRecorded = true;
            return null;
          } catch (error) {
            // Fail closed before any write: nothing has run, so the caller may truly retry.
            context.logger.error(`audit log unavailable before a write: ${(error as Error).message}`);
            return { http: { status: 503, headers: new HeaderMap() }, body: auditUnavailable('nothing was written') };
          }
        },
        async executionDidStart(context) {
          // After Apollo has used the hash of the text (persisted queries), before the gateway plans.
          (context as { queryHash: string }).queryHash = planned!.queryHash;
          executed = true;
        },
        async willSendResponse(context) {
          // Refused before execution (purpose, safelist, limits): nothing was read, nothing to shape or record here.
          if (!planned || !executed || context.response.body.kind !== 'single') return;
          const result = context.response.body.singleResult;
          const persons = planned.addsInternalKeys ? stripInternalKeys(result.data as Json | undefined) : new Set<string>();
          if (planned.denials.length > 0) {
            result.data = nullDenied(result.data as Record<string, Json> | null | undefined, planned.denials);
            const errors: GraphQLFormattedError[] = planned.denials.map((denial) => {
              // The same refusal the subgraphs give (forbidden), at the path where the field was asked for.
              const { message, extensions } = forbidden(denial.coordinate, denial.requirement, context.contextValue.claims);
              return { message, path: denial.path.map((step) => step.key), extensions };
            });
            result.errors = [...errors, ...(result.errors ?? [])];
          }
          if (planned.served.length === 0 || !audit) return;
          const outcome = result.errors?.length ? (result.data ? 'PARTIAL' : 'ERROR') : 'SERVED';
          const entry = entryOf(context, planned, persons, outcome, `${entryIds}.outcome`);
          if (intentRecorded) {
            // The write has run and may have committed: its answer stands; its outcome record is sent, or kept and sent again.
            if ((await audit.appendEventually(entry)) === 'queued') {
              context.logger.warn(`audit log unavailable after a write; its outcome record is kept and sent again (${audit.pending()} waiting)`);
            }
            return;
          }
          try {
            await audit.append(entry);
          } catch (error) {
            // No record, no answer: personal data leaves only when its reading is on record.
            context.logger.error(`audit log unavailable: ${(error as Error).message}`);
            context.response.body = auditUnavailable('personal data cannot be served now');
            context.response.http.status = 503;
          }
        },
      };
    },
  };
}

/** The answer when the audit log cannot take a record that must come first: nothing was read or written, so a retry is safe. */
function auditUnavailable(what: string): { kind: 'single'; singleResult: { errors: GraphQLFormattedError[] } } {
  return {
    kind: 'single',
    singleResult: { errors: [{ message: `The audit log is unavailable; ${what}. Retry later.`, extensions: { code: 'AUDIT_UNAVAILABLE' } }] },
  };
}

function entryOf(context: GraphQLRequestContext<GatewayContext>, planned: FilteredOperation, persons: Set<string>, outcome: string, entryId: string): AuditEntry {
  const { claims, purpose, requestId } = context.contextValue;
  return {
    agency: claims?.agency ?? null,
    subject: claims?.subject ?? null,
    purpose,
    // Names are bounded here as the audit log bounds them, so that no client's name can fail a batch of records.
    operation: (context.operationName ?? context.operation?.operation ?? 'query').slice(0, MAX_OPERATION_LENGTH),
    fields: planned.served,
    personIds: [...persons].sort(),
    requestId,
    entryId,
    outcome,
  };
}

function purposeError(code: 'PURPOSE_REQUIRED' | 'PURPOSE_NOT_ALLOWED', agency: string, allowed: readonly string[]): GraphQLError {
  const message =
    code === 'PURPOSE_REQUIRED'
      ? `Protected data (personal data, or counts over the registries) is read for a declared purpose: send the ${PURPOSE_HEADER} header with one of ${allowed.join(', ')}.`
      : `The purpose in ${PURPOSE_HEADER} is not one the ${agency} agency may declare; it may declare ${allowed.join(', ')}.`;
  return new GraphQLError(message, { extensions: { code, http: { status: code === 'PURPOSE_REQUIRED' ? 400 : 403 } } });
}

/** Refuses aliases with the gateway's internal prefix, so that no client can forge or hide what the audit reads. */
export function noInternalAliases(context: ValidationContext): ASTVisitor {
  return {
    Field(node) {
      if (node.alias?.value.startsWith(INTERNAL_KEY_PREFIX)) {
        context.reportError(new GraphQLError(`Aliases starting with ${INTERNAL_KEY_PREFIX} are reserved.`, { nodes: [node] }));
      }
    },
  };
}
