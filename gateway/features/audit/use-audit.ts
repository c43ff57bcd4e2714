import { HeaderMap, type GraphQLRequestContext } from '@apollo/server';
import { randomUUID } from 'node:crypto';
import {
  getArgumentValues,
  getDirectiveValues,
  getVariableValues,
  GraphQLIncludeDirective,
  GraphQLSkipDirective,
  isInputObjectType,
  isListType,
  isNonNullType,
  isScalarType,
  Kind,
  type GraphQLFormattedError,
  type GraphQLInputType,
  type OperationDefinitionNode,
  type SelectionNode,
} from 'graphql';
import { MAX_OPERATION_LENGTH } from '../../../protocol/audit-entry';
import { REGISTRY_ID } from '../../../protocol/ids';
import { traceContextOf } from '../../../platform/telemetry/http-server';
import { inRecordedSpan } from '../../../platform/telemetry/spans';
import { requestLogFields, type GatewayContext } from '../../http/context';
import type { AuthorizationFeature } from '../authorization/authorization';
import type { FilteredOperation } from '../authorization/filter';
import type { GatewayFeature } from '../feature';
import type { AuditEntry, AuditSink } from './audit-client';
import { durableAudit } from './audit-outbox';

/** A line of the request's log (the service's pino), with the request's id and trace. */
function log(context: GraphQLRequestContext<GatewayContext>, level: 'warn' | 'error', msg: string): void {
  (context.logger[level] as (line: unknown) => void)({ msg, ...requestLogFields(context.contextValue) });
}

/**
 * Every operation that reads protected (personal) data is written to the audit log, with the ids of
 * the persons whose data it returned, before the answer leaves; so is a request refused for its
 * purpose of use. What was read and refused is what authorization decided (`authorization`).
 *
 * Reads: no record, no answer (the answer is refused with 503 AUDIT_UNAVAILABLE when the log cannot
 * take its record; nothing was changed, so "retry later" is true). Writes (mutations): their intent is
 * recorded before they run, and when the log cannot take it nothing runs (503, and the retry is a
 * first try). Their outcome is recorded after; when the log cannot take it then, the write has
 * committed, so its answer is the write's result, and the outcome record waits in an outbox and is
 * sent again (audit-outbox.ts). A write never answers "retry" after it committed.
 */
export function useAudit(options: { sink: AuditSink; authorization: Pick<AuthorizationFeature, 'operationOf'> }): GatewayFeature {
  const audit = durableAudit(options.sink);
  const operationOf = (context: GraphQLRequestContext<GatewayContext>) => options.authorization.operationOf(context.contextValue);
  return {
    name: 'audit',
    apolloPlugins: [
      {
        async requestDidStart() {
          /** This request's records are `<id>.<phase>`: the audit log stores each once, however often it is sent. */
          const entryIds = randomUUID();
          let refusalRecorded = false;
          /** A write whose intent is on record: its outcome is recorded, not made a condition of its answer. */
          let intentRecorded = false;
          /** The persons the operation's input names (a write's intent and outcome records both carry them), read once. */
          let named: readonly string[] | undefined;
          const entryOf = (context: GraphQLRequestContext<GatewayContext>, planned: FilteredOperation, answered: ReadonlySet<string>, outcome: string, phase: string) =>
            auditEntry(context, planned, [...answered, ...(named ??= personsNamedBy(context, planned))], outcome, `${entryIds}.${phase}`);
          return {
            async didEncounterErrors(context) {
              const operation = operationOf(context);
              if (!operation?.refused || refusalRecorded) return;
              refusalRecorded = true;
              // The refusal is recorded for oversight; nothing was read, so it stands even if the log cannot take it.
              await recorded(context, entryOf(context, operation.planned, new Set(), operation.refused, 'refused'), (record) => audit.append(record)).catch((error: Error) => {
                log(context, 'warn', `audit log unavailable for a refused request: ${error.message}`);
              });
            },
            async responseForOperation(context) {
              // Last before execution (every check has passed): a write that touches protected data is recorded before it runs.
              const operation = operationOf(context);
              if (!operation || operation.planned.served.length === 0 || context.operation?.operation !== 'mutation') return null;
              try {
                await recorded(context, entryOf(context, operation.planned, new Set(), 'INTENT', 'intent'), (record) => audit.append(record));
                intentRecorded = true;
                return null;
              } catch (error) {
                // Fail closed before any write: nothing has run, so the caller may truly retry.
                log(context, 'error', `audit log unavailable before a write: ${(error as Error).message}`);
                return { http: { status: 503, headers: new HeaderMap([['retry-after', String(AUDIT_RETRY_AFTER_SECONDS)]]) }, body: auditUnavailable('nothing was written') };
              }
            },
            async willSendResponse(context) {
              // Refused before execution (purpose, safelist, limits): nothing was read, nothing to record here.
              const operation = operationOf(context);
              if (!operation?.executed || context.response.body.kind !== 'single') return;
              const result = context.response.body.singleResult;
              const persons = operation.shape(result);
              if (operation.planned.served.length === 0) return;
              const outcome = result.errors?.length ? (result.data ? 'PARTIAL' : 'ERROR') : 'SERVED';
              const entry = entryOf(context, operation.planned, persons, outcome, 'outcome');
              if (intentRecorded) {
                // The write has run and may have committed: its answer stands; its outcome record is sent, or kept and sent again.
                if ((await recorded(context, entry, (record) => audit.appendEventually(record))) === 'queued') {
                  log(context, 'warn', `audit log unavailable after a write; its outcome record is kept and sent again (${audit.pending()} waiting)`);
                }
                return;
              }
              try {
                await recorded(context, entry, (record) => audit.append(record));
              } catch (error) {
                // No record, no answer: personal data leaves only when its reading is on record.
                log(context, 'error', `audit log unavailable: ${(error as Error).message}`);
                context.response.body = auditUnavailable('personal data cannot be served now');
                context.response.http.status = 503;
                context.response.http.headers.set('retry-after', String(AUDIT_RETRY_AFTER_SECONDS));
              }
            },
          };
        },
      },
    ],
  };
}

/**
 * Sends a request's record (`append` or `appendEventually`), in a recorded trace as a span of that
 * request (`audit append`, the record's outcome): the record shares a POST with other requests' (group
 * commit), so the span is this request's wait for its record to be taken, not the POST itself.
 */
function recorded<T>(context: GraphQLRequestContext<GatewayContext>, entry: AuditEntry, append: (entry: AuditEntry) => Promise<T>): Promise<T> {
  return inRecordedSpan('audit append', { attributes: { 'dmx.audit.outcome': entry.outcome }, parent: traceContextOf(context.contextValue) }, () => append(entry));
}

/** When a client may try again after AUDIT_UNAVAILABLE: about the time a POST of records is given (the audit client's timeout). */
const AUDIT_RETRY_AFTER_SECONDS = 5;

/** The answer when the audit log cannot take a record that must come first: nothing was read or written, so a retry is safe. */
function auditUnavailable(what: string): { kind: 'single'; singleResult: { errors: GraphQLFormattedError[] } } {
  return {
    kind: 'single',
    singleResult: { errors: [{ message: `The audit log is unavailable; ${what}. Retry later.`, extensions: { code: 'AUDIT_UNAVAILABLE' } }] },
  };
}

/** The arguments and input fields (of type ID) by which a write names the person it is about. */
const PERSON_ARGUMENTS = new Set(['personId', 'applicantId', 'holderId']);

/** The most persons a write's input may add to its record (a write names a few; recordPersonFacts up to its list). */
const MAX_PERSONS_NAMED = 1000;

/**
 * The persons a write names in its arguments, whatever its answer holds or leaves out (a submission
 * refused at intake has no application to link): read from the operation as executed (`planned`:
 * fragments inlined, fields the caller may not write left out), fields `@skip` or `@include` leave out
 * not counted, and only the ID arguments and input fields so named, with a registry id's form.
 */
function personsNamedBy(context: GraphQLRequestContext<GatewayContext>, planned: FilteredOperation): string[] {
  const { schema } = context;
  const mutation = schema.getMutationType();
  const operation = planned.document.definitions.find((definition): definition is OperationDefinitionNode => definition.kind === Kind.OPERATION_DEFINITION);
  if (operation?.operation !== 'mutation' || !mutation) return [];
  const { coerced, errors } = getVariableValues(schema, operation.variableDefinitions ?? [], context.request.variables ?? {});
  if (errors) return [];
  const named = new Set<string>();
  const take = (name: string, type: GraphQLInputType, value: unknown): void => {
    if (value === null || value === undefined || named.size >= MAX_PERSONS_NAMED) return;
    const bare = isNonNullType(type) ? type.ofType : type;
    if (isListType(bare)) {
      if (Array.isArray(value)) for (const item of value) take(name, bare.ofType, item);
    } else if (isInputObjectType(bare)) {
      for (const field of Object.values(bare.getFields())) take(field.name, field.type, (value as Record<string, unknown>)[field.name]);
    } else if (isScalarType(bare) && bare.name === 'ID' && PERSON_ARGUMENTS.has(name) && typeof value === 'string' && REGISTRY_ID.test(value)) {
      // A registry's id only: nothing else a caller sends is taken into a record.
      named.add(value.toLowerCase());
    }
  };
  const walk = (selections: readonly SelectionNode[]): void => {
    for (const selection of selections) {
      if (!included(selection, coerced)) continue;
      if (selection.kind === Kind.INLINE_FRAGMENT) walk(selection.selectionSet.selections);
      if (selection.kind !== Kind.FIELD) continue;
      const field = mutation.getFields()[selection.name.value];
      if (!field) continue;
      const values = getArgumentValues(field, selection, coerced);
      for (const argument of field.args) take(argument.name, argument.type, values[argument.name]);
    }
  };
  walk(operation.selectionSet.selections);
  return [...named];
}

/** Whether @skip and @include let a selection run, with these variables. */
function included(selection: SelectionNode, variables: Record<string, unknown>): boolean {
  if (getDirectiveValues(GraphQLSkipDirective, selection, variables)?.if === true) return false;
  return getDirectiveValues(GraphQLIncludeDirective, selection, variables)?.if !== false;
}

/** A request's record: the persons are those its answer linked and its input named. */
function auditEntry(context: GraphQLRequestContext<GatewayContext>, planned: FilteredOperation, personIds: readonly string[], outcome: string, entryId: string): AuditEntry {
  const { claims, purpose, requestId } = context.contextValue;
  const persons = new Set(personIds);
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
