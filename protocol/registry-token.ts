import type { KeyObject } from 'node:crypto';
import { SignJWT, type JWTVerifyGetKey } from 'jose';
import type { Scope } from './access';

/** Every token the gateway accepts names this audience. */
export const AUDIENCE = 'dmx-registries-graph';
/** The issuer of the tokens a registry makes for its own calls through the graph. */
export const REGISTRY_ISSUER = 'dmx-registry';
/** Ed25519: agencies' tokens are ES256, so the algorithm alone tells a registry's token from an agency's. */
export const REGISTRY_ALGORITHM = 'EdDSA';
/** What a registry may do through the graph: the applications registry reads the applicant's records at intake and delivers its outbox. */
export const REGISTRY_SCOPES: readonly Scope[] = ['persons:read', 'permits:read', 'permits:write', 'duties:write'];
/** Scopes one registry holds besides the common ones: the permits registry follows the persons whose stay facts changed. */
const OWN_REGISTRY_SCOPES: Readonly<Partial<Record<string, readonly Scope[]>>> = { permits: ['stay-facts:read'] };
/** Every scope some registry may hold (the `registry` profile's ceiling). */
export const ALL_REGISTRY_SCOPES: readonly Scope[] = [...REGISTRY_SCOPES, ...Object.values(OWN_REGISTRY_SCOPES).flatMap((scopes) => scopes ?? [])];

/** The scopes of the registry `registry`: the common ones and its own. */
export function registryScopes(registry: string): readonly Scope[] {
  return [...REGISTRY_SCOPES, ...((Object.hasOwn(OWN_REGISTRY_SCOPES, registry) && OWN_REGISTRY_SCOPES[registry]) || [])];
}
/** The purpose a registry declares for its reads. */
export const REGISTRY_PURPOSE = 'CASE_PROCESSING';

/**
 * A registry's token for its own calls through the graph, signed with that registry's own Ed25519
 * key (REGISTRY_PRIVATE_KEY) and naming it twice, as subject and as key id; short-lived. The gateway
 * checks it with that registry's public key, accepts it only under the `registry` profile, and checks
 * and audits these calls like any agency's. No registry holds a key the gateway signs with.
 */
export function mintRegistryToken(registryKey: KeyObject, registry: string, ttlSeconds = 300): Promise<string> {
  return new SignJWT({ agency: 'registry', scope: registryScopes(registry).join(' ') })
    .setProtectedHeader({ alg: REGISTRY_ALGORITHM, kid: registry })
    .setIssuer(REGISTRY_ISSUER)
    .setAudience(AUDIENCE)
    .setSubject(registry)
    .setIssuedAt()
    .setExpirationTime(`${ttlSeconds}s`)
    .sign(registryKey);
}

/**
 * The gateway's keys for registry tokens: the public key of the registry the token names (its key id),
 * for a token whose subject is that same registry. A registry without a configured key cannot call
 * the graph; one registry's key cannot make another's token.
 */
export function registryTokenKeys(publicKeys: Readonly<Partial<Record<string, KeyObject>>>): JWTVerifyGetKey {
  return (header, token) => {
    const registry = header.kid;
    const key = registry !== undefined && Object.hasOwn(publicKeys, registry) ? publicKeys[registry] : undefined;
    if (!key) throw new Error('no key for this registry');
    // The payload as sent (base64url), not yet checked: the signature checked next covers it.
    const encoded = typeof token.payload === 'string' ? token.payload : Buffer.from(token.payload).toString('utf8');
    const { sub } = JSON.parse(Buffer.from(encoded, 'base64url').toString('utf8')) as { sub?: unknown };
    if (sub !== registry) throw new Error('the token names another registry than its key');
    return key;
  };
}
