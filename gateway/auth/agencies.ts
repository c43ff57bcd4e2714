/**
 * The agencies that call the graph, with the scopes their legal purpose allows and the purposes they
 * may declare. Data, so that onboarding an agency is a change of data. Scopes are carried in every
 * request now; field-level enforcement comes with the authorization work (issue 5, item 2).
 */
export interface AgencyProfile {
  name: { az: string; en: string };
  scopes: readonly string[];
  purposes: readonly string[];
}

export const AGENCIES: Readonly<Record<string, AgencyProfile>> = {
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
    ],
    purposes: ['OVERSIGHT', 'ADMINISTRATION'],
  },
};
