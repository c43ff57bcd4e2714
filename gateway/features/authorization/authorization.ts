import type { ApolloServerPlugin, GraphQLRequestContext } from '@apollo/server';
import {
  GraphQLError,
  print,
  type ASTVisitor,
  type DocumentNode,
  type FormattedExecutionResult,
  type GraphQLFormattedError,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type ValidationContext,
} from 'graphql';
import { forbidden, type Requirement } from '../../../protocol/access';
import { PURPOSE_HEADER } from '../../../protocol/headers';
import { type VerifiedClaims } from '../../../protocol/claims';
import type { GatewayContext } from '../../http/context';
import type { GatewayFeature } from '../feature';
import { AGENCIES } from './agencies';
import { operationHash } from '../persisted-operations/persisted-operations';
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

/** How many filtered operations are cached (per operation text, operation name and scope set). */
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

/** Why the purpose of use was refused. */
export type PurposeRefusal = 'PURPOSE_REQUIRED' | 'PURPOSE_NOT_ALLOWED';

/** What authorization decided for one request, for the features that follow it (the audit). */
export interface AuthorizedOperation {
  readonly planned: Planned;
  /** Set when the request was refused for its purpose of use. */
  refused: PurposeRefusal | null;
  /** Whether the operation went on to execution. */
  executed: boolean;
  /**
   * Shapes the answer, once whoever asks first: the internal keys out, each field left out null with
   * a FORBIDDEN error at its path. Gives the ids of the persons whose data the answer holds.
   */
  shape(result: FormattedExecutionResult): Set<string>;
}

export interface AuthorizationFeature extends GatewayFeature {
  /** What was decided for the request with this context; absent before its operation was resolved. */
  operationOf(context: GatewayContext): AuthorizedOperation | undefined;
}

const PURPOSE = /^[A-Z][A-Z_]{0,63}$/;

/**
 * Authorization as the Apollo Router does it, for `@apollo/gateway` (which does not): before
 * planning, the fields the caller's scopes do not allow are taken out of the operation (the gateway
 * executes the filtered document, onExecute); the rest is served; each field left out comes back as
 * null with a FORBIDDEN error at its path. An operation that reads protected (personal) data needs a
 * declared purpose its agency may use (the audit records it, features/audit).
 */
export function useAuthorization(options: { policy: AccessPolicy }): AuthorizationFeature {
  const cache = new Map<string, Planned>();
  const operations = new WeakMap<GatewayContext, AuthorizedOperation>();

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

  const plugin: ApolloServerPlugin<GatewayContext> = {
    async requestDidStart() {
      return {
        async didResolveOperation(context) {
          const operation = authorizedOperation(plan(context), context.contextValue.claims);
          operations.set(context.contextValue, operation);
          const { claims, purpose } = context.contextValue;
          if (claims && operation.planned.served.length > 0) {
            const allowed = AGENCIES[claims.agency]?.purposes ?? [];
            if (!purpose || !allowed.includes(purpose)) {
              operation.refused = purpose ? 'PURPOSE_NOT_ALLOWED' : 'PURPOSE_REQUIRED';
              const doing = context.operation?.operation === 'mutation' ? 'write' : readsCountsOnly(operation.planned.served, options.policy, claims) ? 'counts' : 'read';
              throw purposeError(operation.refused, claims.agency, allowed, doing);
            }
          }
        },
        async executionDidStart(context) {
          const operation = operations.get(context.contextValue);
          if (operation) operation.executed = true;
        },
        async willSendResponse(context) {
          // Refused before execution (purpose, safelist, limits): nothing was read, nothing to shape here.
          const operation = operations.get(context.contextValue);
          if (!operation?.executed || context.response.body.kind !== 'single') return;
          operation.shape(context.response.body.singleResult);
        },
      };
    },
  };

  return {
    name: 'authorization',
    onRequest({ req, context }) {
      const declared = req.headers[PURPOSE_HEADER];
      if (declared !== undefined && (typeof declared !== 'string' || !PURPOSE.test(declared))) {
        throw new GraphQLError(`The ${PURPOSE_HEADER} header must be one purpose code, e.g. BORDER_CONTROL.`, {
          extensions: { code: 'BAD_REQUEST', http: { status: 400 } },
        });
      }
      context.purpose = declared ?? null;
    },
    validationRules: [noInternalAliases],
    apolloPlugins: [plugin],
    // The gateway plans the filtered operation under its own hash, so that no plan serves two permission sets.
    onExecute(execution) {
      const operation = operations.get(execution.context);
      return operation ? { ...execution, document: operation.planned.document, queryHash: operation.planned.queryHash } : execution;
    },
    operationOf: (context) => operations.get(context),
  };
}

function authorizedOperation(planned: Planned, claims: VerifiedClaims | null): AuthorizedOperation {
  let persons: Set<string> | undefined;
  return {
    planned,
    refused: null,
    executed: false,
    shape(result) {
      if (persons) return persons;
      persons = planned.addsInternalKeys ? stripInternalKeys(result.data as Json | undefined) : new Set<string>();
      if (planned.denials.length > 0) {
        (result as { data?: unknown }).data = nullDenied(result.data as Record<string, Json> | null | undefined, planned.denials);
        const errors: GraphQLFormattedError[] = planned.denials.map((denial) => {
          // The same refusal the subgraphs give (forbidden), at the path where the field was asked for.
          const { message, extensions } = forbidden(denial.coordinate, denial.requirement, claims);
          return { message, path: denial.path.map((step) => step.key), extensions };
        });
        (result as { errors?: readonly GraphQLFormattedError[] }).errors = [...errors, ...(result.errors ?? [])];
      }
      return persons;
    },
  };
}

/** The scope of counts over the registries, which hold no personal data (the internal dashboard's). */
const COUNTS_SCOPE = 'aggregates:read';

/**
 * True when every protected field the caller is served is served to it only for counts: the caller
 * meets the field's requirement by `aggregates:read` alone and by no scope set that reads records
 * (the internal dashboard's statistics, `persons { totalCount }`). Such an operation reads no
 * personal data, and its refusal must not say it does.
 */
export function readsCountsOnly(served: readonly string[], policy: AccessPolicy, claims: VerifiedClaims): boolean {
  const held = new Set(claims.scopes);
  const metBy = (requirement: Requirement) => requirement.anyOf.filter((set) => set.every((scope) => held.has(scope)));
  return (
    served.length > 0 &&
    served.every((coordinate) => {
      const requirement = policy.get(coordinate);
      const sets = requirement ? metBy(requirement) : [];
      return sets.length > 0 && sets.every((set) => set.length === 1 && set[0] === COUNTS_SCOPE);
    })
  );
}

/** What an operation refused for its purpose does, as the refusal says it: its purpose is recorded either way. */
export type PurposeFor = 'read' | 'counts' | 'write';

const DONE_FOR_A_PURPOSE: Record<PurposeFor, string> = {
  read: 'Personal data is read',
  counts: 'Counts over the registries (no personal data) are read',
  write: 'The registries are written to',
};

/**
 * The refusal of an operation without an allowed purpose. It says what the operation does: counts need
 * a purpose too (the audit log records why they were read), but are not personal data; a write is
 * recorded with its purpose as a read is.
 */
export function purposeError(code: PurposeRefusal, agency: string, allowed: readonly string[], doing: PurposeFor): GraphQLError {
  const message =
    code === 'PURPOSE_REQUIRED'
      ? `${DONE_FOR_A_PURPOSE[doing]} for a declared purpose: send the ${PURPOSE_HEADER} header with one of ${allowed.join(', ')}.`
      : `The purpose in ${PURPOSE_HEADER} is not one the ${agency} agency may declare; it may declare ${allowed.join(', ')}.`;
  return new GraphQLError(message, { extensions: { code, http: { status: code === 'PURPOSE_REQUIRED' ? 400 : 403 } } });
}

/** Refuses aliases with the gateway's internal prefix, so that no client can forge or hide what the audit reads. */
function noInternalAliases(context: ValidationContext): ASTVisitor {
  return {
    Field(node) {
      if (node.alias?.value.startsWith(INTERNAL_KEY_PREFIX)) {
        context.reportError(new GraphQLError(`Aliases starting with ${INTERNAL_KEY_PREFIX} are reserved.`, { nodes: [node] }));
      }
    },
  };
}
