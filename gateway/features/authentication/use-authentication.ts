import type { GatewayFeature } from '../feature';
import { unauthenticated, type TokenVerifier } from './tokens';

/** Verifies a bearer token into the caller's claims; a bad one is refused with 401 UNAUTHENTICATED, none is a public request. */
export function useAuthentication(options: { verifier: TokenVerifier }): GatewayFeature {
  return {
    name: 'authentication',
    async onRequest({ req, context }) {
      const { authorization } = req.headers;
      if (!authorization) return;
      // The scheme's name is case-insensitive (RFC 9110, 11.1): bearer, Bearer and BEARER are one.
      const bearer = /^Bearer +(\S+) *$/i.exec(authorization);
      if (!bearer) throw unauthenticated('the Authorization header must be "Bearer <token>"', 'invalid_request');
      if (!/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/.test(bearer[1])) {
        throw unauthenticated('the bearer token is not a JWT (three base64url parts joined by dots)');
      }
      context.claims = await options.verifier.verify(bearer[1]);
    },
  };
}
