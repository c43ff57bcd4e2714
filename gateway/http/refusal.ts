import type { IncomingMessage, ServerResponse } from 'node:http';
import type { GraphQLError } from 'graphql';
import { formatGatewayError } from './format-error';
import { answerWhole } from './static-asset';

/**
 * A request refused outside Apollo Server (a page beside GraphQL): the status and headers of the
 * error's `extensions.http` (401's challenge, 429's Retry-After; 500 without), as Apollo Server gives
 * them, and the error in a GraphQL body, formatted as production formats a client error.
 */
export function answerRefusal(req: IncomingMessage, res: ServerResponse, refusal: GraphQLError): void {
  const http = refusal.extensions.http as { status?: number; headers?: Map<string, string> } | undefined;
  const headers: Record<string, string> = { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' };
  for (const [name, value] of http?.headers ?? []) headers[name] = value;
  const body = `${JSON.stringify({ errors: [formatGatewayError(refusal.toJSON(), false)] })}\n`;
  answerWhole(req, res, http?.status ?? 500, headers, body);
}
