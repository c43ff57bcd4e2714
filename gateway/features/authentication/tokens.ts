import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import {
  calculateJwkThumbprint,
  createLocalJWKSet,
  createRemoteJWKSet,
  decodeJwt,
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
import { HeaderMap } from '@apollo/server';
import { GraphQLError } from 'graphql';
import { AGENCIES } from '../authorization/agencies';
import { DEFAULT_TOKEN_LIFETIME, lifetimeProblem, type TokenLifetime } from './token-lifetime';

import type { VerifiedClaims } from '../../../protocol/claims';
import { AUDIENCE, REGISTRY_ALGORITHM, REGISTRY_ISSUER, registryScopes } from '../../../protocol/registry-token';
import { MAX_SUBJECT_LENGTH } from '../../../protocol/audit-entry';

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
 * An issuer the gateway trusts: its keys, and the agencies it may speak for. An agency's own identity
 * provider speaks for that agency only, so a key of the bank can never make a police token; the
 * development issuer (and a national identity provider, if one is configured so) may speak for any.
 */
export interface TrustedIssuer {
  issuer: string;
  keys: JWTVerifyGetKey;
  agencies: readonly string[] | 'any';
}

/**
 * A verifier of agencies' tokens, each checked with the keys of the issuer it names and accepted only
 * for an agency that issuer may speak for; and, given the registries' keys (registry-token.ts
 * registryTokenKeys), of the registries' own tokens (EdDSA, each under its registry's public key).
 */
export function tokenVerifier(
  trusted: readonly TrustedIssuer[],
  registryKeys?: JWTVerifyGetKey,
  now: () => number = Date.now,
  lifetime: TokenLifetime = DEFAULT_TOKEN_LIFETIME,
): TokenVerifier {
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
      let issuer: TrustedIssuer | undefined;
      try {
        fromRegistry = registryKeys !== undefined && decodeProtectedHeader(token).alg === REGISTRY_ALGORITHM;
        if (!fromRegistry) {
          // The issuer named in the token picks the keys it is checked with.
          const named = decodeJwt(token).iss;
          issuer = trusted.find((candidate) => candidate.issuer === named);
          if (!issuer) throw new Error('untrusted issuer');
        }
        ({ payload } = fromRegistry
          ? await jwtVerify(token, registryKeys!, { audience: AUDIENCE, issuer: REGISTRY_ISSUER, algorithms: [REGISTRY_ALGORITHM], clockTolerance: 30 })
          : await jwtVerify(token, issuer!.keys, { audience: AUDIENCE, issuer: issuer!.issuer, algorithms: [ALGORITHM], clockTolerance: 30 }));
      } catch (error) {
        const reason = (error as { code?: string }).code === 'ERR_JWT_EXPIRED' ? 'the token has expired' : 'the token is not valid';
        throw unauthenticated(reason);
      }
      // Fresh as well as genuine: an expiry, not too old, not made to last too long (token-lifetime.ts).
      const tooLong = lifetimeProblem(payload, now(), lifetime);
      if (tooLong) throw unauthenticated(tooLong);
      const { agency, sub, scope } = payload as { agency?: unknown; sub?: unknown; scope?: unknown };
      if (typeof agency !== 'string' || !AGENCIES[agency]) throw unauthenticated('the token names no known agency');
      // A registry's profile is never granted to a token an agency signed, nor an agency's to a registry's.
      if (Boolean(AGENCIES[agency].internal) !== fromRegistry) throw unauthenticated('the token names no known agency');
      // An issuer speaks only for its own agencies.
      if (issuer && issuer.agencies !== 'any' && !issuer.agencies.includes(agency)) throw unauthenticated(`the issuer may not speak for ${agency}`);
      if (typeof sub !== 'string' || sub.length === 0 || sub.length > MAX_SUBJECT_LENGTH) {
        // The subject goes into the audit log, which holds at most this much of it.
        throw unauthenticated(`the token names no subject (of at most ${MAX_SUBJECT_LENGTH} characters)`);
      }
      const granted = typeof scope === 'string' ? scope.split(' ').filter(Boolean) : [];
      // An agency never holds more than its profile allows, nor a registry more than its own scopes, whatever its token says.
      const allowed = (fromRegistry ? registryScopes(sub) : AGENCIES[agency].scopes) as readonly string[];
      const scopes = granted.filter((s) => allowed.includes(s));
      const claims: VerifiedClaims = { agency, subject: sub, scopes };
      // Tokens without an expiry are not cached: each use is checked again.
      if (typeof payload.exp === 'number') {
        if (verified.size >= VERIFIED_TOKENS_KEPT) verified.delete(verified.keys().next().value!);
        verified.set(token, { claims, expiresAt: payload.exp * 1000 });
      }
      return claims;
    },
  };
}

/**
 * A 401 with the challenge RFC 6750 (section 3) asks of a bearer-token resource: `invalid_token` for a
 * token that is not accepted, `invalid_request` for an Authorization header that carries none, and no
 * error at all for a request that sent no credentials where they are needed.
 */
export function unauthenticated(reason: string, error: 'invalid_token' | 'invalid_request' | null = 'invalid_token'): GraphQLError {
  // The description is a quoted string: no quotes or backslashes inside.
  const challenge = error === null ? 'Bearer realm="dmx"' : `Bearer realm="dmx", error="${error}", error_description="${reason.replace(/["\\]/g, "'")}"`;
  return new GraphQLError(`Unauthenticated: ${reason}.`, {
    // Apollo Server copies extensions.http to the response; another package's typing says Record.
    extensions: { code: 'UNAUTHENTICATED', http: { status: 401, headers: new HeaderMap([['www-authenticate', challenge]]) as never } },
  });
}

/** How an issuer is configured (AUTH_TRUST): its name, its keys inline or at a URL, the agencies it speaks for. */
export interface IssuerConfig {
  issuer: string;
  jwksUrl?: string;
  jwks?: { keys: JWK[] };
  agencies: string[] | 'any';
}

export function trustedIssuer(config: IssuerConfig): TrustedIssuer {
  const keys = config.jwksUrl ? createRemoteJWKSet(new URL(config.jwksUrl)) : createLocalJWKSet(config.jwks ?? { keys: [] });
  return { issuer: config.issuer, keys, agencies: config.agencies };
}

/** True when a configured issuer holds a development key (refused in production). */
export function containsDevelopmentKey(configs: readonly IssuerConfig[]): boolean {
  return configs.some((config) => (config.jwks?.keys ?? []).some((key) => key.kid?.startsWith(DEVELOPMENT_KEY_PREFIX)));
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

/** Where the development signing key is kept under DATA_DIR. */
export function developmentKeyFile(dataDir: string): string {
  return path.resolve(dataDir, 'keys', 'dev-token-key.json');
}

/**
 * The development signing key the gateway made, for `npm run token`: a token signed with any other
 * key would only be refused by the gateway, so a DATA_DIR without the gateway's key is an error that
 * says where it looked, never a new key.
 */
export async function existingDevelopmentKey(dataDir: string): Promise<DevelopmentKey> {
  const file = developmentKeyFile(dataDir);
  if (!existsSync(file)) {
    throw new Error(
      `No gateway development key at ${file}. Start the gateway once with this DATA_DIR (npm start makes the key), ` +
        `or set DATA_DIR to the gateway's (now ${JSON.stringify(dataDir)}).`,
    );
  }
  return developmentKey(dataDir);
}

/** The development signing key of `npm start` (and `npm run token`, see existingDevelopmentKey), made once under DATA_DIR/keys. */
export async function developmentKey(dataDir: string): Promise<DevelopmentKey> {
  const file = developmentKeyFile(dataDir);
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

/** The development issuer, trusted for every agency (development and tests only). */
export function developmentIssuer(key: DevelopmentKey): TrustedIssuer {
  return { issuer: DEVELOPMENT_ISSUER, keys: developmentKeySet(key), agencies: 'any' };
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

