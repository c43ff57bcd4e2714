import {
  ExemptionClaim,
  WORK_PERMIT_EXEMPTIONS,
  WorkAuthorizationFacts,
  WorkPermitExemptionId,
  checkWorkPermitTerm,
  evaluateExemption,
  evaluateWorkAuthorization,
  evaluateWorkPermitVisaRequirement,
  workPermitProcessingTiers,
} from './work-permit';

const asOf = '2025-06-01';
const person = (over: Partial<WorkAuthorizationFacts> = {}): WorkAuthorizationFacts => ({
  citizenships: ['IND'],
  lawfulBases: [],
  workPermits: [],
  exemptionClaims: [],
  ...over,
});

describe('WP-01 a foreigner or stateless person needs a work permit to work, unless an exemption applies', () => {
  it('WP-01 a valid work permit authorises work', () => {
    const decision = evaluateWorkAuthorization(person({ workPermits: [{ validFrom: '2025-01-01', validUntil: '2025-12-31', reference: 'WP-1' }] }), asOf);
    expect(decision).toMatchObject({ outcome: 'AUTHORIZED', authorizedBy: { kind: 'WORK_PERMIT', validUntil: '2025-12-31' } });
  });

  it('WP-01 an expired or revoked permit does not', () => {
    expect(evaluateWorkAuthorization(person({ workPermits: [{ validFrom: '2024-01-01', validUntil: '2025-05-31' }] }), asOf).outcome).toBe('NOT_AUTHORIZED');
    expect(evaluateWorkAuthorization(person({ workPermits: [{ validFrom: '2025-01-01', validUntil: '2025-12-31', revokedOn: '2025-06-01' }] }), asOf).outcome).toBe('NOT_AUTHORIZED');
  });

  it('WP-01 work of at most 90 days a year without a business-trip exemption is UNDETERMINED (S0 and S1 differ)', () => {
    expect(evaluateWorkAuthorization(person({ workDaysInYear: 90 }), asOf).outcome).toBe('UNDETERMINED');
    expect(evaluateWorkAuthorization(person({ workDaysInYear: 91 }), asOf).outcome).toBe('NOT_AUTHORIZED');
  });
});

describe('WP-EX-01..21 no work permit is needed (Migration Code list quoted by S1)', () => {
  it('has 21 exemptions as data with both languages', () => {
    expect(WORK_PERMIT_EXEMPTIONS).toHaveLength(21);
    for (const exemption of WORK_PERMIT_EXEMPTIONS) {
      expect(exemption.text.az.length).toBeGreaterThan(3);
      expect(exemption.text.en.length).toBeGreaterThan(3);
    }
  });

  it('WP-EX-01 holders of a permanent residence permit', () => {
    const decision = evaluateWorkAuthorization(person({ lawfulBases: [{ kind: 'PERMANENT_RESIDENCE', validFrom: '2023-01-01', validUntil: '2028-01-01' }] }), asOf);
    expect(decision).toMatchObject({ outcome: 'AUTHORIZED', authorizedBy: { kind: 'EXEMPTION', exemptionId: 'WP-EX-01' } });
  });

  // Every exemption decided from a verified recorded fact.
  it.each<WorkPermitExemptionId>([
    'WP-EX-02', 'WP-EX-03', 'WP-EX-04', 'WP-EX-05', 'WP-EX-06', 'WP-EX-07', 'WP-EX-08', 'WP-EX-10',
    'WP-EX-11', 'WP-EX-12', 'WP-EX-13', 'WP-EX-14', 'WP-EX-15', 'WP-EX-16', 'WP-EX-18', 'WP-EX-19',
    'WP-EX-20', 'WP-EX-21',
  ])('%s applies when verified, is undetermined when only claimed, and not when refuted', (id) => {
    const with_ = (claim: Partial<ExemptionClaim>) => ({ lawfulBases: [], exemptionClaims: [{ id, ...claim }] });
    expect(evaluateExemption(id, with_({ verified: true }), asOf).outcome).toBe('APPLIES');
    expect(evaluateExemption(id, with_({}), asOf).outcome).toBe('UNDETERMINED');
    expect(evaluateExemption(id, with_({ verified: false }), asOf).outcome).toBe('DOES_NOT_APPLY');
    expect(evaluateExemption(id, with_({ verified: true, validUntil: '2025-05-31' }), asOf).outcome).toBe('DOES_NOT_APPLY');
    expect(evaluateWorkAuthorization(person({ exemptionClaims: [{ id, verified: true }] }), asOf).authorizedBy).toEqual({ kind: 'EXEMPTION', exemptionId: id });
  });

  it.each([
    [90, true, 'APPLIES'],
    [91, true, 'DOES_NOT_APPLY'],
    [30, false, 'DOES_NOT_APPLY'],
    [null, true, 'UNDETERMINED'],
  ] as const)('WP-EX-09 business trip of %s days a year in a Cabinet field (%s): %s', (days, field, outcome) => {
    const facts = { lawfulBases: [], exemptionClaims: [{ id: 'WP-EX-09' as const, businessTripDaysInYear: days, fieldSetByCabinet: field }] };
    expect(evaluateExemption('WP-EX-09', facts, asOf).outcome).toBe(outcome);
  });

  it.each([
    [true, true, 'APPLIES'],
    [true, false, 'DOES_NOT_APPLY'],
    [true, null, 'UNDETERMINED'],
  ] as const)('WP-EX-17 spouse of a citizen (married %s, citizen registered at residence %s): %s', (verified, registered, outcome) => {
    const facts = { lawfulBases: [], exemptionClaims: [{ id: 'WP-EX-17' as const, verified, spouseRegisteredAtResidence: registered }] };
    expect(evaluateExemption('WP-EX-17', facts, asOf).outcome).toBe(outcome);
  });
});

describe('WP-02 citizens of visa-regime countries need a work visa or a business-trip visa to apply', () => {
  it.each([
    [['RUS'], [], 'NOT_APPLICABLE'],
    [['IND'], [], 'MISSING'],
    [['IND'], [{ kind: 'VISA' as const, visaType: 'WORK' as const, validFrom: '2025-05-01', validUntil: '2025-08-01' }], 'SATISFIED'],
    [['IND'], [{ kind: 'VISA' as const, visaType: 'BUSINESS' as const, validFrom: '2025-05-01', validUntil: '2025-08-01' }], 'SATISFIED'],
    [['IND'], [{ kind: 'VISA' as const, visaType: 'TOURIST' as const, validFrom: '2025-05-01', validUntil: '2025-08-01' }], 'MISSING'],
    [[], [], 'MISSING'],
  ])('WP-02 %j with %j: %s', (citizenships, bases, outcome) => {
    expect(evaluateWorkPermitVisaRequirement(citizenships, bases, asOf).outcome).toBe(outcome);
  });
});

describe('WP-04 issued within 20 working days; faster tiers of 15 and 10 working days cost more', () => {
  it('WP-04 tiers', () => {
    expect(workPermitProcessingTiers(asOf)).toMatchObject({ standard: 20, tiers: [10, 15, 20] });
  });
});

describe('WP-05 at most 2 years at a time, 5 years in total (param: published practice 1 year each time)', () => {
  it.each([
    [24, 0, 'SEED', 'WITHIN_LIMITS'],
    [25, 0, 'SEED', 'EXCEEDS_LIMITS'],
    [24, 36, 'SEED', 'WITHIN_LIMITS'],
    [24, 37, 'SEED', 'EXCEEDS_LIMITS'],
    [12, 0, 'PUBLISHED_PRACTICE', 'WITHIN_LIMITS'],
    [13, 0, 'PUBLISHED_PRACTICE', 'EXCEEDS_LIMITS'],
  ] as const)('WP-05 %d months after %d months (%s): %s', (requestedMonths, previousMonths, variant, outcome) => {
    expect(checkWorkPermitTerm({ requestedMonths, previousMonths }, asOf, variant).outcome).toBe(outcome);
  });
});
