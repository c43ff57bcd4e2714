import type { Scope } from '../../../protocol/access';
import { ALL_REGISTRY_SCOPES, REGISTRY_PURPOSE } from '../../../protocol/registry-token';

/**
 * The agencies that call the graph, with the scopes their legal purpose allows and the purposes they
 * may declare (in the x-dmx-purpose header). Data, so that onboarding an agency is a change of data.
 * Which field needs which scope is declared in the subgraph schemas (`@requiresScopes`).
 */
export interface AgencyProfile {
  name: { az: string; en: string };
  scopes: readonly Scope[];
  purposes: readonly string[];
  /** The registries themselves: accepted only from tokens a registry signs with its own key (registry-token.ts), never from an agency's key. */
  internal?: boolean;
}

/** True for a registry's own call (verified claims of an internal profile): exempt from the safelist and from waiting for an admission slot. */
export function isRegistryCall(claims: { agency: string } | null): boolean {
  return Boolean(claims && AGENCIES[claims.agency]?.internal);
}

/**
 * By the agency a token names: a table without a prototype, so that a name every object has
 * (`constructor`, `__proto__`) names no profile.
 */
export const AGENCIES: Readonly<Record<string, AgencyProfile>> = profiles({
  'border-service': {
    name: { az: 'Dövlət Sərhəd Xidməti', en: 'State Border Service' },
    scopes: ['persons:read', 'permits:read', 'status:read', 'crossings:write'],
    purposes: ['BORDER_CONTROL'],
  },
  police: {
    name: { az: 'Polis', en: 'Police' },
    scopes: ['persons:read', 'permits:read', 'status:read', 'fines:read', 'fines:write'],
    purposes: ['PUBLIC_ORDER', 'CRIMINAL_INVESTIGATION'],
  },
  'employers-inspectorate': {
    name: { az: 'Dövlət Əmək Müfəttişliyi', en: "Employers' inspectorate (State Labour Inspection)" },
    scopes: ['persons:read', 'permits:read', 'status:read'],
    purposes: ['LABOUR_INSPECTION'],
  },
  bank: {
    name: { az: 'Bank', en: 'Bank' },
    scopes: ['payments:read', 'payments:write'],
    purposes: ['PAYMENT_PROCESSING'],
  },
  'internal-dashboard': {
    name: { az: 'Daxili hesabat paneli', en: 'Internal dashboard' },
    scopes: ['aggregates:read'],
    purposes: ['STATISTICS'],
  },
  'migration-officer': {
    name: { az: 'Miqrasiya əməkdaşı', en: 'Migration officer' },
    scopes: [
      'persons:read', 'persons:write', 'applications:read', 'applications:write', 'payments:read',
      'permits:read', 'permits:write', 'status:read', 'fines:read', 'fines:write',
    ],
    purposes: ['CASE_PROCESSING'],
  },
  administrator: {
    name: { az: 'Administrator', en: 'Administrator' },
    scopes: [
      'persons:read', 'persons:write', 'applications:read', 'applications:write', 'payments:read', 'payments:write',
      'permits:read', 'permits:write', 'status:read', 'fines:read', 'fines:write', 'aggregates:read', 'audit:read',
      'crossings:write', 'duties:write', 'operations:admin',
    ],
    purposes: ['OVERSIGHT', 'ADMINISTRATION'],
  },
  registry: {
    name: { az: 'Reyestr', en: 'A registry of the Service (registry to registry)' },
    scopes: ALL_REGISTRY_SCOPES,
    purposes: [REGISTRY_PURPOSE],
    internal: true,
  },
});

/** The agencies that call with tokens of their own issuers: every profile but the registries' own. */
export const CALLING_AGENCIES: readonly string[] = Object.keys(AGENCIES).filter((agency) => !AGENCIES[agency].internal);

function profiles(table: Record<string, AgencyProfile>): Readonly<Record<string, AgencyProfile>> {
  return Object.freeze(Object.assign(Object.create(null) as Record<string, AgencyProfile>, table));
}
