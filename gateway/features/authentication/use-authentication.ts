import type { IncomingMessage } from 'node:http';
import type { VerifiedClaims } from '../../../protocol/claims';
import type { GatewayFeature } from '../feature';
import { unauthenticated, type TokenVerifier } from './tokens';

/** The scheme's name is case-insensitive (RFC 9110, 11.1): bearer, Bearer and BEARER are one. */
const BEARER_SCHEME = /^Bearer(?: |$)/i;
/** A bearer token as the header carries it. */
const BEARER = /^Bearer +(\S+) *$/i;

/**
 * Verifies a bearer token into the caller's claims; a bad one is refused with 401 UNAUTHENTICATED, none
 * is a public request. A refused token has no agency to count it against, and its signature was checked
 * all the same: `onRefused` counts it first (against the address's budget, which refuses with 429 once
 * spent), so that forged tokens are not an unbounded way in.
 */
export function useAuthentication(options: { verifier: TokenVerifier; onRefused?: (req: IncomingMessage) => Promise<void> }): GatewayFeature {
  return {
    name: 'authentication',
    async onRequest({ req, context, besideGraphQL }) {
      // A page takes a bearer token or nothing: other credentials (a proxy's Basic in front of the
      // dashboard, which the browser then sends with every file) are not the gateway's to refuse there.
      if (besideGraphQL && req.headers.authorization !== undefined && !BEARER_SCHEME.test(req.headers.authorization)) return;
      try {
        context.claims = await callerOf(req.headers.authorization, options.verifier);
      } catch (refusal) {
        await options.onRefused?.(req);
        throw refusal;
      }
    },
  };
}

/**
 * The verified claims of an `Authorization` header; null without one. A header that is not a bearer
 * JWT, or a token the verifier refuses, throws 401 UNAUTHENTICATED with its challenge.
 */
async function callerOf(authorization: string | undefined, verifier: TokenVerifier): Promise<VerifiedClaims | null> {
  if (!authorization) return null;
  const bearer = BEARER.exec(authorization);
  if (!bearer) throw unauthenticated('the Authorization header must be "Bearer <token>"', 'invalid_request');
  if (!/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/.test(bearer[1])) {
    throw unauthenticated('the bearer token is not a JWT (three base64url parts joined by dots)');
  }
  return verifier.verify(bearer[1]);
}
