import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import {
  calculateJwkThumbprint,
  createLocalJWKSet,
  createRemoteJWKSet,
  decodeProtectedHeader,
  exportJWK,
  generateKeyPair,
  importJWK,
  jwtVerify,
  SignJWT,
  type JWK,
  type JWTVerifyGetKey,
  type KeyLike,
} from 'jose';
import { GraphQLError } from 'graphql';
import { AGENCIES } from './agencies';

import type { VerifiedClaims } from '../../subgraphs/shared/context';
import { AUDIENCE, REGISTRY_ALGORITHM, REGISTRY_ISSUER } from '../../subgraphs/shared/registry-token';

export type { VerifiedClaims };

export { AUDIENCE };
export const DEVELOPMENT_ISSUER = 'dmx-dev';

/** Development keys are named so, and production refuses any key so named. */
export const DEVELOPMENT_KEY_PREFIX = 'dmx-dev-';
const ALGORITHM = 'ES256';

/** How many verified tokens are remembered (about 1 KB each). */
const VERIFIED_TOKENS_KEPT = 10_000;

export interface TokenVerifier {
  verify(token: string): Promise<VerifiedClaims>;
}

/**
 * A verifier of agencies' tokens signed by any key of a key set, from trusted issuers, for this
 * graph; and, given the registries' shared key, of the registries' own tokens (HS256 under that key).
 */
export function tokenVerifier(keys: JWTVerifyGetKey, issuers: readonly string[], registryKey?: string, now: () => number = Date.now): TokenVerifier {
  const registrySecret = registryKey ? new TextEncoder().encode(registryKey) : null;
  // A partner sends the same token for many requests: its signature is checked once, and the claims
  // are reused until the token expires (a bounded map, oldest out first).
  const verified = new Map<string, { claims: VerifiedClaims; expiresAt: number }>();
  return {
    async verify(token) {
      const known = verified.get(token);
      if (known && now() < known.expiresAt) return known.claims;
      if (known) verified.delete(token);
      let payload;
      let fromRegistry = false;
      try {
        fromRegistry = registrySecret !== null && decodeProtectedHeader(token).alg === REGISTRY_ALGORITHM;
        ({ payload } = fromRegistry
          ? await jwtVerify(token, registrySecret!, { audience: AUDIENCE, issuer: REGISTRY_ISSUER, algorithms: [REGISTRY_ALGORITHM], clockTolerance: 30 })
          : await jwtVerify(token, keys, { audience: AUDIENCE, issuer: [...issuers], algorithms: [ALGORITHM], clockTolerance: 30 }));
      } catch (error) {
        const reason = (error as { code?: string }).code === 'ERR_JWT_EXPIRED' ? 'the token has expired' : 'the token is not valid';
        throw unauthenticated(reason);
      }
      const { agency, sub, scope } = payload as { agency?: unknown; sub?: unknown; scope?: unknown };
      if (typeof agency !== 'string' || !AGENCIES[agency]) throw unauthenticated('the token names no known agency');
      // A registry's profile is never granted to a token an agency signed, nor an agency's to a registry's.
      if (Boolean(AGENCIES[agency].internal) !== fromRegistry) throw unauthenticated('the token names no known agency');
      if (typeof sub !== 'string' || sub.length === 0) throw unauthenticated('the token names no subject');
      const granted = typeof scope === 'string' ? scope.split(' ').filter(Boolean) : [];
      // An agency never holds more than its profile allows, whatever its token says.
      const scopes = granted.filter((s) => (AGENCIES[agency].scopes as readonly string[]).includes(s));
      const claims: VerifiedClaims = { agency, subject: sub, scopes };
      // Tokens without an expiry are not kept: each use is checked again.
      if (typeof payload.exp === 'number') {
        if (verified.size >= VERIFIED_TOKENS_KEPT) verified.delete(verified.keys().next().value!);
        verified.set(token, { claims, expiresAt: payload.exp * 1000 });
      }
      return claims;
    },
  };
}

export function unauthenticated(reason: string): GraphQLError {
  return new GraphQLError(`Unauthenticated: ${reason}.`, { extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } } });
}

/** The key set trusted in production: the agencies' published keys, inline or at a URL. */
export function configuredKeys(options: { publicJwks?: string; jwksUrl?: string }): JWTVerifyGetKey {
  if (options.jwksUrl) return createRemoteJWKSet(new URL(options.jwksUrl));
  const jwks = JSON.parse(options.publicJwks ?? '{"keys":[]}') as { keys: JWK[] };
  return createLocalJWKSet(jwks);
}

/** True when a key set holds a development key (refused in production). */
export function containsDevelopmentKey(publicJwks: string | undefined): boolean {
  if (!publicJwks) return false;
  const { keys } = JSON.parse(publicJwks) as { keys?: JWK[] };
  return (keys ?? []).some((key) => key.kid?.startsWith(DEVELOPMENT_KEY_PREFIX));
}

export interface DevelopmentKey {
  kid: string;
  privateKey: KeyLike;
  publicJwk: JWK;
}

/** A fresh signing key pair (tests keep it in memory). */
export async function newDevelopmentKey(): Promise<DevelopmentKey> {
  const { privateKey, publicKey } = await generateKeyPair(ALGORITHM, { extractable: true });
  const publicJwk = await exportJWK(publicKey);
  const kid = `${DEVELOPMENT_KEY_PREFIX}${await calculateJwkThumbprint(publicJwk)}`;
  return { kid, privateKey, publicJwk: { ...publicJwk, kid, alg: ALGORITHM, use: 'sig' } };
}

/** The development signing key of `npm start` and `npm run token`, made once under DATA_DIR/keys. */
export async function developmentKey(dataDir: string): Promise<DevelopmentKey> {
  const file = path.resolve(dataDir, 'keys', 'dev-token-key.json');
  if (!existsSync(file)) {
    const fresh = await newDevelopmentKey();
    const privateJwk = { ...(await exportJWK(fresh.privateKey)), kid: fresh.kid, alg: ALGORITHM };
    mkdirSync(path.dirname(file), { recursive: true });
    try {
      writeFileSync(file, JSON.stringify(privateJwk), { flag: 'wx', mode: 0o600 });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
  const privateJwk = JSON.parse(readFileSync(file, 'utf8')) as JWK;
  const { d: _private, ...publicJwk } = privateJwk;
  void _private;
  return { kid: privateJwk.kid!, privateKey: (await importJWK(privateJwk, ALGORITHM)) as KeyLike, publicJwk: { ...publicJwk, use: 'sig' } };
}

export function developmentKeySet(key: DevelopmentKey): JWTVerifyGetKey {
  return createLocalJWKSet({ keys: [key.publicJwk] });
}

/** A token for an agency, with the scopes of its profile (or fewer), signed with a development key. */
export async function mintToken(
  key: DevelopmentKey,
  claims: { agency: string; subject: string; scopes?: readonly string[]; ttlSeconds?: number },
): Promise<string> {
  const profile = AGENCIES[claims.agency];
  if (!profile) throw new Error(`Unknown agency ${claims.agency}; known: ${Object.keys(AGENCIES).join(', ')}`);
  return new SignJWT({ agency: claims.agency, scope: (claims.scopes ?? profile.scopes).join(' ') })
    .setProtectedHeader({ alg: ALGORITHM, kid: key.kid })
    .setIssuer(DEVELOPMENT_ISSUER)
    .setAudience(AUDIENCE)
    .setSubject(claims.subject)
    .setIssuedAt()
    .setExpirationTime(`${claims.ttlSeconds ?? 3600}s`)
    .sign(key.privateKey);
}

