import { GraphQLError } from 'graphql';
import type { Reason } from './rules/types';

/**
 * The stable error codes a client may see in `extensions.code`. Anything else that goes wrong is
 * reported as INTERNAL_SERVER_ERROR with no detail outside development.
 */
export const ErrorCode = {
  BAD_USER_INPUT: 'BAD_USER_INPUT',
  NOT_FOUND: 'NOT_FOUND',
  /** A workflow step the record's current state does not allow (or another step got there first). */
  INVALID_TRANSITION: 'INVALID_TRANSITION',
  /** An idempotency key (or a feed's record id) sent again with other details than those on record under it. */
  IDEMPOTENCY_KEY_REUSED: 'IDEMPOTENCY_KEY_REUSED',
  /** PAY-04: the application's state duty is not paid, so nothing is issued. */
  DUTY_NOT_PAID: 'DUTY_NOT_PAID',
  INTERNAL_SERVER_ERROR: 'INTERNAL_SERVER_ERROR',
} as const;

export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** Codes a client may rely on, here and at the gateway; anything else is masked as internal. */
export const CLIENT_ERROR_CODES: ReadonlySet<string> = new Set<string>([
  ErrorCode.BAD_USER_INPUT,
  ErrorCode.NOT_FOUND,
  ErrorCode.INVALID_TRANSITION,
  ErrorCode.IDEMPOTENCY_KEY_REUSED,
  ErrorCode.DUTY_NOT_PAID,
  // A registry is down: the rest of the answer stands; the client may retry later.
  'SUBGRAPH_UNAVAILABLE',
  // No valid token, or a caller not allowed what it asked.
  'UNAUTHENTICATED',
  'FORBIDDEN',
  // Personal data asked for without a declared purpose, or with one the agency may not declare.
  'PURPOSE_REQUIRED',
  'PURPOSE_NOT_ALLOWED',
  // The audit log cannot record the read, so personal data is not served (retry later).
  'AUDIT_UNAVAILABLE',
  // Safelist mode: only the committed (persisted) operations run.
  'PERSISTED_QUERY_NOT_IN_SAFELIST',
  // An agency over its budget: retry after the Retry-After header's seconds.
  'RATE_LIMITED',
  // The gateway at capacity, its queue full: retry after the Retry-After header's seconds.
  'SERVER_BUSY',
  // Codes graphql-js and the servers produce for a bad request or document.
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_REQUEST',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
]);

export function invalidTransition(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: ErrorCode.INVALID_TRANSITION } });
}

/** PAY-04: issuing waits for the duty; the reasons (az and en, with the payment code where there is one) say what is missing. */
export function dutyNotPaid(reasons: readonly Reason[]): GraphQLError {
  return new GraphQLError(reasons.map((r) => r.message.en).join(' '), {
    extensions: { code: ErrorCode.DUTY_NOT_PAID, ruleId: 'PAY-04', reasons: reasons.map((r) => ({ ruleId: r.ruleId, citation: r.citation, message: r.message })) },
  });
}

/** Input a client can correct: the message says what is wrong and `field` names the argument. */
export function badUserInput(message: string, field?: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: ErrorCode.BAD_USER_INPUT, ...(field ? { field } : {}) } });
}

export function isClientError(error: GraphQLError): boolean {
  const code = error.extensions?.code;
  return typeof code === 'string' && CLIENT_ERROR_CODES.has(code);
}

/**
 * What a client sees of an error. Client errors keep their message and code; a bad argument that
 * graphql-js itself reports (wrong literal, failed scalar parse) becomes BAD_USER_INPUT; everything
 * else is masked unless `expose` (development) is on.
 */
export function maskError(error: GraphQLError, expose: boolean): GraphQLError {
  const original = error.originalError;
  if (original instanceof GraphQLError && original !== error && isClientError(original)) {
    return new GraphQLError(original.message, {
      nodes: error.nodes,
      path: error.path,
      extensions: original.extensions,
    });
  }
  if (isClientError(error)) return error;
  if (!original && !error.path) {
    // graphql-js validation and argument coercion errors carry no original error and no path.
    return new GraphQLError(error.message, {
      nodes: error.nodes,
      extensions: { code: ErrorCode.BAD_USER_INPUT },
    });
  }
  if (expose) {
    return new GraphQLError(error.message, {
      nodes: error.nodes,
      path: error.path,
      extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR, detail: original?.stack ?? error.stack },
    });
  }
  return new GraphQLError('Internal server error', {
    nodes: error.nodes,
    path: error.path,
    extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR },
  });
}
