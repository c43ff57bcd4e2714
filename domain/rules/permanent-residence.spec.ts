import {
  PermanentResidenceFacts,
  RecordedRefusalId,
  daysAbroadPerPermitYear,
  evaluatePermanentResidenceEligibility,
} from './permanent-residence';
import { CrossingFact } from './stay';

const allClear: Record<RecordedRefusalId, boolean> = {
  'PR-RF-01': false, 'PR-RF-02': false, 'PR-RF-03': false, 'PR-RF-04': false, 'PR-RF-05': false, 'PR-RF-06': false,
  'PR-RF-09': false, 'PR-RF-11': false, 'PR-RF-12': false, 'PR-RF-13': false, 'PR-RF-14': false, 'PR-RF-15': false,
};

const eligible = (over: Partial<PermanentResidenceFacts> = {}): PermanentResidenceFacts => ({
  temporaryResidencePermits: [
    { validFrom: '2023-03-01', validUntil: '2024-02-29', grantedAsFamilyMemberOf45_1_8To11: false },
    { validFrom: '2024-03-01', validUntil: '2025-12-31', grantedAsFamilyMemberOf45_1_8To11: false },
  ],
  ground: { id: 'PR-GR-10', verified: true },
  recordedRefusals: allClear,
  sponsorWithdrawal: null,
  housingConsentWithdrawal: null,
  permanentPermit: null,
  crossings: [],
  fines: [],
  ...over,
});

describe('PR-01 eligible after at least 2 years of continuous lawful temporary residence', () => {
  it.each([
    ['2025-02-28', 'NOT_ELIGIBLE'],
    ['2025-03-01', 'ELIGIBLE'], // exactly two years after 1 March 2023
  ])('PR-01 on %s: %s', (asOf, outcome) => {
    const decision = evaluatePermanentResidenceEligibility(eligible(), asOf);
    expect(decision.outcome).toBe(outcome);
    expect(decision.continuousTemporaryResidence).toMatchObject({ since: '2023-03-01', completesOn: '2025-03-01' });
  });

  it('PR-01 from 29 February the two years complete on 28 February', () => {
    const permits = [{ validFrom: '2024-02-29', validUntil: '2026-12-31', grantedAsFamilyMemberOf45_1_8To11: false }];
    expect(evaluatePermanentResidenceEligibility(eligible({ temporaryResidencePermits: permits }), '2026-02-27').outcome).toBe('NOT_ELIGIBLE');
    expect(evaluatePermanentResidenceEligibility(eligible({ temporaryResidencePermits: permits }), '2026-02-28').outcome).toBe('ELIGIBLE');
  });

  it('PR-01 a gap between permits restarts the two years', () => {
    const permits = [
      { validFrom: '2022-01-01', validUntil: '2023-12-30', grantedAsFamilyMemberOf45_1_8To11: false },
      { validFrom: '2024-01-01', validUntil: '2025-12-31', grantedAsFamilyMemberOf45_1_8To11: false },
    ];
    const decision = evaluatePermanentResidenceEligibility(eligible({ temporaryResidencePermits: permits }), '2025-06-01');
    expect(decision).toMatchObject({ outcome: 'NOT_ELIGIBLE', failedRules: ['PR-01'] });
    expect(decision.continuousTemporaryResidence.completesOn).toBe('2026-01-01');
  });

  it('PR-01 except persons whose temporary permit was granted as family members of 45.1.8–45.1.11 holders', () => {
    const permits = [{ validFrom: '2022-01-01', validUntil: '2025-12-31', grantedAsFamilyMemberOf45_1_8To11: true }];
    expect(evaluatePermanentResidenceEligibility(eligible({ temporaryResidencePermits: permits }), '2025-06-01').failedRules).toEqual(['PR-01']);
    const unknown = [{ validFrom: '2022-01-01', validUntil: '2025-12-31' }];
    expect(evaluatePermanentResidenceEligibility(eligible({ temporaryResidencePermits: unknown }), '2025-06-01')).toMatchObject({
      outcome: 'UNDETERMINED',
      undeterminedRules: ['PR-01'],
    });
  });
});

describe('PR-GR-01..10 grounds for permanent residence', () => {
  it.each(['PR-GR-01', 'PR-GR-05', 'PR-GR-06', 'PR-GR-07', 'PR-GR-08', 'PR-GR-09', 'PR-GR-10'] as const)(
    '%s is established when verified and undetermined when not',
    (id) => {
      expect(evaluatePermanentResidenceEligibility(eligible({ ground: { id, verified: true } }), '2025-06-01').outcome).toBe('ELIGIBLE');
      expect(evaluatePermanentResidenceEligibility(eligible({ ground: { id } }), '2025-06-01').undeterminedRules).toEqual([id]);
      expect(evaluatePermanentResidenceEligibility(eligible({ ground: { id, verified: false } }), '2025-06-01').failedRules).toEqual([id]);
    },
  );

  it.each([
    ['PR-GR-02', 500_000, 'ELIGIBLE'],
    ['PR-GR-02', 499_999, 'NOT_ELIGIBLE'],
    ['PR-GR-03', 100_000, 'ELIGIBLE'],
    ['PR-GR-03', 99_999, 'NOT_ELIGIBLE'],
    ['PR-GR-04', 100_000, 'ELIGIBLE'],
    ['PR-GR-04', 50_000, 'NOT_ELIGIBLE'],
    ['PR-GR-04', null, 'UNDETERMINED'],
  ] as const)('%s with %s manat: %s', (id, amountAzn, outcome) => {
    expect(evaluatePermanentResidenceEligibility(eligible({ ground: { id, amountAzn } }), '2025-06-01').outcome).toBe(outcome);
  });

  it('no ground claimed is not eligible', () => {
    expect(evaluatePermanentResidenceEligibility(eligible({ ground: null }), '2025-06-01').outcome).toBe('NOT_ELIGIBLE');
  });
});

describe('PR-RF-01..16 refusal or non-extension of permanent residence', () => {
  it.each<RecordedRefusalId>([
    'PR-RF-01', 'PR-RF-02', 'PR-RF-03', 'PR-RF-04', 'PR-RF-05', 'PR-RF-06', 'PR-RF-09',
    'PR-RF-11', 'PR-RF-12', 'PR-RF-13', 'PR-RF-14', 'PR-RF-15',
  ])('%s refuses when the fact is recorded true and is UNDETERMINED when unknown', (id) => {
    const refused = evaluatePermanentResidenceEligibility(eligible({ recordedRefusals: { ...allClear, [id]: true } }), '2025-06-01');
    expect(refused).toMatchObject({ outcome: 'NOT_ELIGIBLE', failedRules: [id] });
    const unknown = evaluatePermanentResidenceEligibility(eligible({ recordedRefusals: { ...allClear, [id]: null } }), '2025-06-01');
    expect(unknown).toMatchObject({ outcome: 'UNDETERMINED', undeterminedRules: [id] });
  });

  it('PR-RF-02 does not apply to spouses of citizens', () => {
    const facts = eligible({ recordedRefusals: { ...allClear, 'PR-RF-02': true }, spouseOfCitizen: true });
    expect(evaluatePermanentResidenceEligibility(facts, '2025-06-01').outcome).toBe('ELIGIBLE');
  });

  it('PR-RF-06 does not apply when a close relative (citizen or PR holder) takes on the support', () => {
    const facts = eligible({ recordedRefusals: { ...allClear, 'PR-RF-06': true }, supportUndertakenByCloseRelative: true });
    expect(evaluatePermanentResidenceEligibility(facts, '2025-06-01').outcome).toBe('ELIGIBLE');
  });

  it.each([
    // Withdrawal on Tue 18 Mar 2025: 10 working days end on 10 Apr 2025 (20-26 Mar Novruz, 31 Mar-1 Apr Ramazan off).
    ['PR-RF-07', { withdrawnOn: '2025-03-18', replacementProvidedOn: null }, '2025-04-10', 'UNDETERMINED'],
    ['PR-RF-07', { withdrawnOn: '2025-03-18', replacementProvidedOn: null }, '2025-04-11', 'NOT_ELIGIBLE'],
    ['PR-RF-07', { withdrawnOn: '2025-03-18', replacementProvidedOn: '2025-04-10' }, '2025-06-01', 'ELIGIBLE'],
    ['PR-RF-08', { withdrawnOn: '2025-03-18', replacementProvidedOn: '2025-04-11' }, '2025-06-01', 'NOT_ELIGIBLE'],
  ] as const)('%s sponsor/housing withdrawal %j evaluated on %s: %s', (id, withdrawal, asOf, outcome) => {
    const facts = eligible(id === 'PR-RF-07' ? { sponsorWithdrawal: withdrawal } : { housingConsentWithdrawal: withdrawal });
    expect(evaluatePermanentResidenceEligibility(facts, asOf).outcome).toBe(outcome);
  });

  it('PR-RF-07 PR-RF-08 unknown withdrawals are UNDETERMINED', () => {
    const facts = eligible({ sponsorWithdrawal: undefined, housingConsentWithdrawal: undefined });
    expect(evaluatePermanentResidenceEligibility(facts, '2025-06-01').undeterminedRules).toEqual(['PR-RF-07', 'PR-RF-08']);
  });

  it('PR-RF-16 an unpaid fine for breaking the rules of stay and residence refuses; a paid one does not', () => {
    const unpaid = { offence: 'OVERSTAY' as const, imposedOn: '2025-01-10', amount: { amount: 300, currency: 'AZN' as const }, paidOn: null };
    expect(evaluatePermanentResidenceEligibility(eligible({ fines: [unpaid] }), '2025-06-01').failedRules).toEqual(['PR-RF-16']);
    expect(evaluatePermanentResidenceEligibility(eligible({ fines: [{ ...unpaid, paidOn: '2025-02-01' }] }), '2025-06-01').outcome).toBe('ELIGIBLE');
    expect(evaluatePermanentResidenceEligibility(eligible({ fines: undefined }), '2025-06-01').undeterminedRules).toEqual(['PR-RF-16']);
  });
});

describe('PR-RF-10 more than 180 days in total outside Azerbaijan within any one year counted from the permit issue', () => {
  const exit = (date: string): CrossingFact => ({ direction: 'EXIT', date });
  const entry = (date: string): CrossingFact => ({ direction: 'ENTRY', date });
  // Exit 1 Mar 2023, back 29 Aug 2023: 2 Mar..28 Aug = 180 whole days abroad; back 30 Aug: 181.
  const extension = (crossings: CrossingFact[], groundArticle: string | null = '45.1.5') =>
    eligible({ permanentPermit: { issuedOn: '2023-01-01', groundArticle }, crossings });

  it.each([
    ['2023-08-29', 180, 'ELIGIBLE'],
    ['2023-08-30', 181, 'NOT_ELIGIBLE'],
  ])('PR-RF-10 back on %s: %d days abroad, %s', (back, days, outcome) => {
    const crossings = [exit('2023-03-01'), entry(back)];
    expect(daysAbroadPerPermitYear(crossings, '2023-01-01', '2024-06-01').years[0].daysAbroad).toBe(days);
    expect(evaluatePermanentResidenceEligibility(extension(crossings), '2024-06-01').outcome).toBe(outcome);
  });

  it('PR-RF-10 counts each permit year separately: two trips of 100 days in different years do not add up', () => {
    const crossings = [exit('2023-09-01'), entry('2023-12-10'), exit('2024-01-05'), entry('2024-04-15')];
    const { years } = daysAbroadPerPermitYear(crossings, '2023-01-01', '2024-12-31');
    expect(years.map((y) => [y.yearFrom, y.yearUntil, y.daysAbroad])).toEqual([
      ['2023-01-01', '2023-12-31', 99],
      ['2024-01-01', '2024-12-31', 100],
    ]);
  });

  it.each(['45.1.2', '45.1.7'])('PR-RF-10 does not apply to permits under %s', (article) => {
    const crossings = [exit('2023-02-01'), entry('2023-12-01')];
    const decision = evaluatePermanentResidenceEligibility(extension(crossings, article), '2024-06-01');
    expect(decision.outcome).toBe('ELIGIBLE');
    expect(decision.checks.find((c) => c.ruleId === 'PR-RF-10')?.result).toBe('NOT_APPLICABLE');
  });

  it.each([
    // The article not recorded: more than 180 days might be exempt (45.1.2, 45.1.7), so it is not known;
    // 180 or fewer can never be this refusal, whatever the article.
    ['2023-10-01', 'UNKNOWN'],
    ['2023-08-30', 'UNKNOWN'],
    ['2023-08-29', 'PASS'],
    ['2023-07-30', 'PASS'],
  ])('PR-RF-10 with the permit\'s article not recorded, back on %s: %s', (back, result) => {
    const facts = eligible({ permanentPermit: { issuedOn: '2023-01-01' }, crossings: [exit('2023-03-01'), entry(back)] });
    const decision = evaluatePermanentResidenceEligibility(facts, '2024-06-01');
    const check = decision.checks.find((c) => c.ruleId === 'PR-RF-10');
    expect(check?.result).toBe(result);
    expect(decision.failedRules).not.toContain('PR-RF-10');
    if (result === 'UNKNOWN') expect(decision.reasons.find((r) => r.ruleId === 'PR-RF-10')?.message.en).toMatch(/45\.1\.2 and 45\.1\.7 are exempt/);
  });

  it('PR-RF-10 the current permit year is counted up to the evaluation date, across 29 February', () => {
    const { years } = daysAbroadPerPermitYear([exit('2024-02-01')], '2023-06-01', '2024-03-31');
    expect(years).toEqual([{ yearFrom: '2023-06-01', yearUntil: '2024-03-31', daysAbroad: 59 }]); // 2 Feb..31 Mar 2024
  });
});
