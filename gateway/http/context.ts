import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { PURPOSE_HEADER, REQUEST_ID, type VerifiedClaims } from '../../subgraphs/shared/context';
import { unauthenticated, type TokenVerifier } from '../features/authentication/tokens';
import type { RateLimiter } from '../features/rate-limit/rate-limiter';
import type { Admission } from '../features/admission/admission';
import { isRegistryCall } from '../features/authorization/agencies';
import { GraphQLError } from 'graphql';


/** Per-request state of the gateway: who asks (verified), and the id that correlates the logs. */
export interface GatewayContext {
  requestId: string;
  /** The caller's verified claims; null for a request without a token (public operations only). */
  claims: VerifiedClaims | null;
  /** The purpose of use the caller declared (x-dmx-purpose), checked against its agency's list when it reads personal data. */
  purpose: string | null;
  /**
   * When the gateway took the request up (performance.now()), moved to when a write of the request
   * was answered: a registry's state read after then holds every write answered before the request
   * was sent, and the request's own (read-cache.ts). Absent: taken as now.
   */
  receivedAt?: number;
}

const PURPOSE = /^[A-Z][A-Z_]{0,63}$/;

export interface GatewayContextOptions {
  /** Requests per minute per agency and per anonymous address (429 beyond); none when absent. */
  limiter?: RateLimiter;
  /** How many requests are worked on at once and how many wait (admission.ts); no bound when absent. */
  admission?: Admission;
}

/**
 * The context function of the gateway's HTTP server: takes the caller's x-request-id when well-formed
 * (else makes one) and echoes it; verifies a bearer token, refusing a bad one with 401 UNAUTHENTICATED;
 * counts the request against its agency's budget (429 RATE_LIMITED beyond); and waits for the
 * request's turn (503 SERVER_BUSY when too many wait), before anything is planned. The registries'
 * own calls, made while one of their requests holds a turn, do not wait for one: they could wait for
 * the very request that made them.
 */
export function gatewayContext(verifier: TokenVerifier, options: GatewayContextOptions = {}) {
  const { limiter, admission } = options;
  return async ({ req, res }: { req: IncomingMessage; res: ServerResponse }): Promise<GatewayContext> => {
    const header = req.headers['x-request-id'];
    const requestId = typeof header === 'string' && REQUEST_ID.test(header) ? header : randomUUID();
    res.setHeader('x-request-id', requestId);
    const authorization = req.headers.authorization;
    let claims: VerifiedClaims | null = null;
    if (authorization) {
      // The scheme's name is case-insensitive (RFC 9110, 11.1): bearer, Bearer and BEARER are one.
      const bearer = /^Bearer +([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)$/i.exec(authorization);
      if (!bearer) throw unauthenticated('the Authorization header must be "Bearer <token>"');
      claims = await verifier.verify(bearer[1]);
    }
    await limiter?.admit(claims, req.socket.remoteAddress ?? 'unknown');
    const declared = req.headers[PURPOSE_HEADER];
    if (declared !== undefined && (typeof declared !== 'string' || !PURPOSE.test(declared))) {
      throw new GraphQLError(`The ${PURPOSE_HEADER} header must be one purpose code, e.g. BORDER_CONTROL.`, {
        extensions: { code: 'BAD_REQUEST', http: { status: 400 } },
      });
    }
    if (admission && !isRegistryCall(claims)) await waitForTurn(admission, res);
    // Taken up once its turn came: what it reads is worked out from here on.
    return { requestId, claims, purpose: declared ?? null, receivedAt: performance.now() };
  };
}

/** Waits for the request's turn, which ends when its answer has gone (or its caller has). */
async function waitForTurn(admission: Admission, res: ServerResponse): Promise<void> {
  const gone = new AbortController();
  const onClose = () => gone.abort(new GraphQLError('The caller closed the connection before its turn.', { extensions: { code: 'CLIENT_CLOSED_REQUEST' } }));
  res.once('close', onClose);
  let end: () => void;
  try {
    end = await admission.enter(gone.signal);
  } finally {
    res.off('close', onClose);
  }
  if (res.closed) end();
  else res.once('close', end);
}
