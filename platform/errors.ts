import { GraphQLError } from 'graphql';
import type { Reason } from '../domain/rules/types';
import { CLIENT_ERROR_CODES, ErrorCode } from '../protocol/error-codes';

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
