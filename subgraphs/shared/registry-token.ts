import { SignJWT } from 'jose';
import type { Scope } from './access';

/** Every token the gateway accepts names this audience. */
export const AUDIENCE = 'dmx-registries-graph';
/** The issuer of the tokens a registry makes for its own calls through the graph. */
export const REGISTRY_ISSUER = 'dmx-registry';
export const REGISTRY_ALGORITHM = 'HS256';
/** What a registry may do through the graph: the applications registry reads the applicant's records at intake and delivers its outbox. */
export const REGISTRY_SCOPES: readonly Scope[] = ['persons:read', 'permits:read', 'permits:write', 'duties:write'];
/** The purpose a registry declares for its reads. */
export const REGISTRY_PURPOSE = 'CASE_PROCESSING';

/**
 * A registry's token for its own calls through the graph, signed with the key the registries share
 * with the gateway (the subgraph signing key), short-lived. The gateway accepts it only under the
 * `registry` profile, and checks and audits these calls like any agency's.
 */
export function mintRegistryToken(registryKey: string, registry: string, ttlSeconds = 300): Promise<string> {
  return new SignJWT({ agency: 'registry', scope: REGISTRY_SCOPES.join(' ') })
    .setProtectedHeader({ alg: REGISTRY_ALGORITHM })
    .setIssuer(REGISTRY_ISSUER)
    .setAudience(AUDIENCE)
    .setSubject(registry)
    .setIssuedAt()
    .setExpirationTime(`${ttlSeconds}s`)
    .sign(new TextEncoder().encode(registryKey));
}
