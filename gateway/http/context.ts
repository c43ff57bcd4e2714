import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { REQUEST_ID } from '../../protocol/headers';
import { type VerifiedClaims } from '../../protocol/claims';
import { traceContextOf } from '../../platform/telemetry/http-server';
import { traceIds } from '../../platform/telemetry/spans';
import type { GatewayFeature } from '../features/feature';

/** Per-request state of the gateway: the id that correlates the logs, who asks (verified), and for what. */
export interface GatewayContext {
  requestId: string;
  /** The caller's verified claims; null for a request without a token (public operations only). */
  claims: VerifiedClaims | null;
  /** The purpose of use the caller declared (x-dmx-purpose), checked against its agency's list when it reads personal data. */
  purpose: string | null;
  /** The client's address as the rate limit counts it (behind trusted proxies, the one they name); set by rate-limit. */
  clientAddress?: string;
}

export type GatewayContextFunction = (args: { req: IncomingMessage; res: ServerResponse; besideGraphQL?: boolean }) => Promise<GatewayContext>;

/**
 * The context function of the gateway's HTTP server: takes the caller's x-request-id when well-formed
 * (else makes one) and echoes it, then runs the features' onRequest hooks in order, before anything
 * is planned.
 */
export function gatewayContext(features: readonly GatewayFeature[]): GatewayContextFunction {
  const hooks = features.filter((feature) => feature.onRequest);
  return async ({ req, res, besideGraphQL }) => {
    const header = req.headers['x-request-id'];
    const requestId = typeof header === 'string' && REQUEST_ID.test(header) ? header : randomUUID();
    res.setHeader('x-request-id', requestId);
    const context: GatewayContext = { requestId, claims: null, purpose: null };
    for (const feature of hooks) await feature.onRequest!({ req, res, context, besideGraphQL });
    return context;
  };
}

/** What a log line about a request carries to correlate it: its id, and its trace and span ids. */
export function requestLogFields(context: GatewayContext): { requestId: string; trace_id?: string; span_id?: string } {
  return { requestId: context.requestId, ...traceIds(traceContextOf(context)) };
}
