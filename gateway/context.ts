import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { VerifiedClaims } from '../subgraphs/shared/context';
import { unauthenticated, type TokenVerifier } from './auth/tokens';

/** Per-request state of the gateway: who asks (verified), and the id that correlates the logs. */
export interface GatewayContext {
  requestId: string;
  /** The caller's verified claims; null for a request without a token (public operations only). */
  claims: VerifiedClaims | null;
}

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * The context function of the gateway's HTTP server: takes the caller's x-request-id when well-formed
 * (else makes one) and echoes it; verifies a bearer token, refusing a bad one with 401 UNAUTHENTICATED.
 */
export function gatewayContext(verifier: TokenVerifier) {
  return async ({ req, res }: { req: IncomingMessage; res: ServerResponse }): Promise<GatewayContext> => {
    const header = req.headers['x-request-id'];
    const requestId = typeof header === 'string' && REQUEST_ID.test(header) ? header : randomUUID();
    res.setHeader('x-request-id', requestId);
    const authorization = req.headers.authorization;
    if (!authorization) return { requestId, claims: null };
    const bearer = /^Bearer ([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)$/.exec(authorization);
    if (!bearer) throw unauthenticated('the Authorization header must be "Bearer <token>"');
    return { requestId, claims: await verifier.verify(bearer[1]) };
  };
}
