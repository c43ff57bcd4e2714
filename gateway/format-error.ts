import type { GraphQLFormattedError } from 'graphql';

import { CLIENT_ERROR_CODES } from '../subgraphs/shared/errors';

/**
 * What a client sees of an error: its message, path and a stable `extensions.code`. Internal details
 * (stack traces, which subgraph failed, downstream HTTP bodies) are dropped unless `expose` is on.
 */
export function formatGatewayError(formatted: GraphQLFormattedError, expose: boolean): GraphQLFormattedError {
  const code = typeof formatted.extensions?.code === 'string' ? formatted.extensions.code : 'INTERNAL_SERVER_ERROR';
  const { field, registry } = formatted.extensions ?? {};
  if (CLIENT_ERROR_CODES.has(code)) {
    return {
      message: formatted.message,
      ...(formatted.locations ? { locations: formatted.locations } : {}),
      ...(formatted.path ? { path: formatted.path } : {}),
      extensions: { code, ...(typeof field === 'string' ? { field } : {}), ...(typeof registry === 'string' ? { registry } : {}) },
    };
  }
  if (expose) return { ...formatted, extensions: { ...formatted.extensions, code: 'INTERNAL_SERVER_ERROR' } };
  return {
    message: 'Internal server error',
    ...(formatted.path ? { path: formatted.path } : {}),
    extensions: { code: 'INTERNAL_SERVER_ERROR' },
  };
}

