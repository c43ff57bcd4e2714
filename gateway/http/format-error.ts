import type { GraphQLFormattedError } from 'graphql';

import { CLIENT_ERROR_CODES } from '../../protocol/error-codes';
import { INTERNAL_KEY_PREFIX } from '../features/authorization/filter';

/**
 * What a client sees of an error: its message, path and a stable `extensions.code`. Internal details
 * (stack traces, which subgraph failed, downstream HTTP bodies) are dropped unless `expose` is on.
 * Whatever the mode, no path leads into the gateway's own plumbing (a registry's `_entities`, the
 * gateway's internal keys) and no message tells the caller how the server is configured.
 */
export function formatGatewayError(formatted: GraphQLFormattedError, expose: boolean): GraphQLFormattedError {
  const code = typeof formatted.extensions?.code === 'string' ? formatted.extensions.code : 'INTERNAL_SERVER_ERROR';
  const { field, registry, ruleId, reasons } = formatted.extensions ?? {};
  const path = clientPath(formatted.path);
  if (CLIENT_ERROR_CODES.has(code)) {
    return {
      message: clientMessage(formatted, code, typeof registry === 'string' ? registry : undefined, expose),
      ...(formatted.locations ? { locations: formatted.locations } : {}),
      ...(path ? { path } : {}),
      extensions: {
        code,
        ...(typeof field === 'string' ? { field } : {}),
        ...(typeof registry === 'string' ? { registry } : {}),
        // A refusal under a rule (e.g. DUTY_NOT_PAID, PAY-04) says which, with its reasons in az and en.
        ...(typeof ruleId === 'string' ? { ruleId } : {}),
        ...(Array.isArray(reasons) ? { reasons } : {}),
      },
    };
  }
  if (expose) return { ...formatted, extensions: { ...formatted.extensions, code: 'INTERNAL_SERVER_ERROR' } };
  return {
    message: 'Internal server error',
    ...(path ? { path } : {}),
    extensions: { code: 'INTERNAL_SERVER_ERROR' },
  };
}

/** Response keys no client asked for: a registry's entity fetch, and the keys the gateway adds (access/filter.ts). */
function isInternalKey(key: string | number): boolean {
  return typeof key === 'string' && (key === '_entities' || key.startsWith(INTERNAL_KEY_PREFIX));
}

/**
 * The path as far as the client's own operation goes: cut before the first internal key (an error
 * the gateway could not place back in the operation stays on the nearest field the client asked
 * for), and none at all when not even the first key is the client's.
 */
export function clientPath(path: GraphQLFormattedError['path']): GraphQLFormattedError['path'] {
  if (!path) return undefined;
  const cut = path.findIndex(isInternalKey);
  if (cut === -1) return path;
  return cut === 0 ? undefined : path.slice(0, cut);
}

/** Names of the federation plumbing between the gateway and the registries, which a client never sees. */
const INTERNAL_NAMES = new RegExp(`\\b_entities\\b|\\$?\\brepresentations\\b|\\b_Any\\b|\\b_Entity\\b|\\b${INTERNAL_KEY_PREFIX}\\w*`);

/** Apollo Server's refusal of introspection tells the caller how to switch it on; it is said plainly instead. */
const INTROSPECTION_HINT = /introspection is not allowed/i;
export const INTROSPECTION_OFF = 'Introspection is switched off on this server; GET /schema.graphql with your token gives the schema (schema/api.graphql).';

function clientMessage(formatted: GraphQLFormattedError, code: string, registry: string | undefined, expose: boolean): string {
  const { message } = formatted;
  if (INTROSPECTION_HINT.test(message)) return INTROSPECTION_OFF;
  // Only an answer from a registry (it has a path, or names the registry) can speak of the plumbing; the
  // gateway's own refusals (validation, e.g. of the reserved alias prefix) are said as they are.
  const fromRegistry = Boolean(formatted.path) || registry !== undefined;
  if (!expose && fromRegistry && INTERNAL_NAMES.test(message)) {
    // A registry's answer about the gateway's own request to it: the code stands, its wording does not.
    return `The ${registry ? `${registry} registry` : 'registry'} could not answer part of this request (${code}).`;
  }
  return message;
}
