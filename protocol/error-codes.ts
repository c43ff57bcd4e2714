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
