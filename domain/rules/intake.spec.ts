import { checkApplicationIntake } from './intake';

const asOf = '2025-06-01';

describe('intake WP-01 WP-EX-01 a work permit application for an exempt person is rejected', () => {
  it('WP-EX-01 a permanent resident needs no work permit', () => {
    const decision = checkApplicationIntake(
      { type: 'WORK_PERMIT' },
      { citizenships: ['RUS'], lawfulBases: [{ kind: 'PERMANENT_RESIDENCE', validFrom: '2024-01-01', validUntil: null }] },
      asOf,
    );
    expect(decision.outcome).toBe('REJECTED');
    expect(decision.reasons[0]).toMatchObject({ ruleId: 'WP-01', detail: { exemptions: ['WP-EX-01'] } });
  });

  it('WP-EX-18 a claimed but unverified exemption sends the case to an officer', () => {
    const decision = checkApplicationIntake({ type: 'WORK_PERMIT_EXTENSION' }, { citizenships: ['RUS'], lawfulBases: [], workPermitExemptionClaims: [{ id: 'WP-EX-18' }] }, asOf);
    expect(decision.outcome).toBe('UNDETERMINED');
  });
});

describe('intake WP-02 a work permit for a visa-regime citizen without a work or business visa is rejected', () => {
  it.each([
    [['IND'], [], 'REJECTED'],
    [['IND'], [{ kind: 'VISA' as const, visaType: 'WORK' as const, validFrom: '2025-05-01', validUntil: '2025-09-01' }], 'ACCEPTED'],
    [['UZB'], [], 'ACCEPTED'],
  ])('WP-02 %j with %j: %s', (citizenships, lawfulBases, outcome) => {
    expect(checkApplicationIntake({ type: 'WORK_PERMIT' }, { citizenships, lawfulBases }, asOf).outcome).toBe(outcome);
  });
});

describe('intake PR-01 permanent residence without two years of temporary residence is rejected', () => {
  it.each([
    ['2023-06-02', 'REJECTED'],
    ['2023-06-01', 'ACCEPTED'],
  ])('PR-01 temporary residence since %s: %s', (validFrom, outcome) => {
    const person = {
      citizenships: ['IND'],
      lawfulBases: [],
      temporaryResidencePermits: [{ validFrom, validUntil: '2026-01-01', grantedAsFamilyMemberOf45_1_8To11: false }],
    };
    expect(checkApplicationIntake({ type: 'PERMANENT_RESIDENCE' }, person, asOf).outcome).toBe(outcome);
  });
});

describe('intake STAY-EXT-01 an extension of stay without a ground is rejected', () => {
  it('STAY-EXT-01 no ground', () => {
    expect(checkApplicationIntake({ type: 'TEMPORARY_STAY_EXTENSION' }, { citizenships: ['GEO'], lawfulBases: [] }, asOf).outcome).toBe('REJECTED');
  });
  it('STAY-EXT-01 with a ground', () => {
    const application = { type: 'TEMPORARY_STAY_EXTENSION' as const, stayExtension: { ground: 'URGENT_MEDICAL_TREATMENT' as const, evidence: [] } };
    expect(checkApplicationIntake(application, { citizenships: ['GEO'], lawfulBases: [] }, asOf).outcome).toBe('ACCEPTED');
  });
  it('other types have no intake rule', () => {
    const decision = checkApplicationIntake({ type: 'E_VISA' }, { citizenships: ['CHN'], lawfulBases: [] }, asOf);
    expect(decision.outcome).toBe('ACCEPTED');
    expect(decision.reasons[0].ruleId).toBe('VISA-02');
  });
});
