import { applicationChannels } from './intake';
import { TEMPORARY_RESIDENCE_GROUNDS, checkTemporaryResidenceTerm, continuousResidence, describeTemporaryResidenceGround } from './temporary-residence';

describe('TRP-01 temporary residence for up to 1 year, extendable up to 5 years (param: F2 lists up to 3 years)', () => {
  it.each([
    [12, 0, 'SEED', 'WITHIN_LIMITS'],
    [13, 0, 'SEED', 'EXCEEDS_LIMITS'],
    [12, 48, 'SEED', 'WITHIN_LIMITS'],
    [12, 49, 'SEED', 'EXCEEDS_LIMITS'],
    [36, 0, 'PUBLISHED_PRACTICE', 'WITHIN_LIMITS'],
    [36, 36, 'PUBLISHED_PRACTICE', 'EXCEEDS_LIMITS'],
  ] as const)('TRP-01 %d months after %d (%s): %s', (requestedMonths, previousMonths, variant, outcome) => {
    expect(checkTemporaryResidenceTerm({ requestedMonths, previousMonths }, '2025-01-01', variant).outcome).toBe(outcome);
  });
});

describe('TRP-02 grounds include family reunification, education, employment, investment', () => {
  it('TRP-02 the grounds are data', () => {
    expect(TEMPORARY_RESIDENCE_GROUNDS.map((g) => g.ground)).toEqual(['FAMILY_REUNIFICATION', 'EDUCATION', 'EMPLOYMENT', 'INVESTMENT', 'OTHER_LEGAL_GROUND']);
    expect(describeTemporaryResidenceGround('EDUCATION')).toMatchObject({ ruleId: 'TRP-02', detail: { ground: 'EDUCATION' } });
  });
});

describe('TRP-03 PR-01 continuous residence on permits', () => {
  it('chains permits that touch; a gap of one day breaks the run', () => {
    const touching = [
      { validFrom: '2023-01-01', validUntil: '2023-12-31' },
      { validFrom: '2024-01-01', validUntil: '2024-12-31' },
    ];
    expect(continuousResidence(touching, 2, '2024-06-01').since).toBe('2023-01-01');
    const gap = [touching[0], { validFrom: '2024-01-02', validUntil: '2024-12-31' }];
    expect(continuousResidence(gap, 2, '2024-06-01').since).toBe('2024-01-02');
  });
});

describe('TRP-CH WP-CH PR-CH applications: ASAN Xidmət, regional migration offices, electronically', () => {
  it.each([
    ['TEMPORARY_RESIDENCE', 'TRP-CH'],
    ['WORK_PERMIT', 'WP-CH'],
    ['PERMANENT_RESIDENCE', 'PR-CH'],
  ] as const)('%s channels cite %s', (type, ruleId) => {
    const channels = applicationChannels(type);
    expect(channels.channels).toEqual(['ASAN_XIDMET', 'REGIONAL_MIGRATION_OFFICE', 'ELECTRONIC']);
    expect(channels.reasons[0].ruleId).toBe(ruleId);
  });
});
