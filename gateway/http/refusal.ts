import type { IncomingMessage, ServerResponse } from 'node:http';
import type { GraphQLError } from 'graphql';
import { formatGatewayError } from './format-error';
import { answerWhole } from './static-asset';

/**
 * A request refused outside Apollo Server (a page beside GraphQL) answered as Apollo Server answers a
 * refusal: the status and headers of the error's `extensions.http` (401's challenge, 429's
 * Retry-After; 500 without), and the error as a GraphQL body, formatted as every client error is.
 */
export function answerRefusal(req: IncomingMessage, res: ServerResponse, refusal: GraphQLError): void {
  const http = refusal.extensions.http as { status?: number; headers?: Map<string, string> } | undefined;
  const headers: Record<string, string> = { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' };
  for (const [name, value] of http?.headers ?? []) headers[name] = value;
  const body = `${JSON.stringify({ errors: [formatGatewayError(refusal.toJSON(), false)] })}\n`;
  answerWhole(req, res, http?.status ?? 500, headers, body);
}
