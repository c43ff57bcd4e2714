import { citizenshipFactsOf, exemptionClaimsOf, factsInForce, permanentResidenceFactsOf, type PersonFactRecord } from './person-facts';

const fact = (kind: string, ruleId: string | null, established: boolean, extra: Partial<PersonFactRecord> = {}): PersonFactRecord => ({
  kind,
  ruleId,
  established,
  amountAzn: null,
  businessTripDaysInYear: null,
  fieldSetByCabinet: null,
  spouseRegisteredAtResidence: null,
  validFrom: '2025-01-01',
  validUntil: null,
  ...extra,
});

describe('person facts as the rules read them', () => {
  it('keeps, per kind and rule, the last record whose validity covers the day', () => {
    const facts = [
      fact('PERMANENT_RESIDENCE_REFUSAL_GROUND', 'PR-RF-05', true),
      fact('PERMANENT_RESIDENCE_REFUSAL_GROUND', 'PR-RF-05', false, { validFrom: '2026-01-01' }),
      fact('LAWFUL_INCOME', 'CIT-01', true, { validUntil: '2025-06-30' }),
    ];
    expect(factsInForce(facts, '2025-03-01').map((f) => [f.ruleId, f.kind, f.established])).toEqual([
      ['PR-RF-05', 'PERMANENT_RESIDENCE_REFUSAL_GROUND', true],
      ['CIT-01', 'LAWFUL_INCOME', true],
    ]);
    // The correction from 2026 stands from its day; the income record ended in mid-2025.
    expect(factsInForce(facts, '2026-02-01').map((f) => [f.ruleId, f.established])).toEqual([['PR-RF-05', false]]);
  });

  it('gives the work permit rules the last record of each exemption with its dates (WP-EX-18, WP-EX-17, WP-EX-09)', () => {
    const claims = exemptionClaimsOf([
      fact('WORK_PERMIT_EXEMPTION', 'WP-EX-18', false),
      fact('WORK_PERMIT_EXEMPTION', 'WP-EX-18', true, { validFrom: '2026-02-01', validUntil: '2027-01-31' }),
      fact('WORK_PERMIT_EXEMPTION', 'WP-EX-17', true, { spouseRegisteredAtResidence: true }),
      fact('WORK_PERMIT_EXEMPTION', 'WP-EX-09', true, { businessTripDaysInYear: 40, fieldSetByCabinet: true }),
      fact('LAWFUL_INCOME', 'CIT-01', true),
    ]);
    expect(claims).toEqual([
      expect.objectContaining({ id: 'WP-EX-18', verified: true, validFrom: '2026-02-01', validUntil: '2027-01-31' }),
      expect.objectContaining({ id: 'WP-EX-17', verified: true, spouseRegisteredAtResidence: true }),
      expect.objectContaining({ id: 'WP-EX-09', verified: true, businessTripDaysInYear: 40, fieldSetByCabinet: true }),
    ]);
  });

  it('gives PR eligibility the ground asked about (PR-GR-02 with its amount) or the one established, and each refusal ground recorded', () => {
    const facts = [
      fact('PERMANENT_RESIDENCE_GROUND', 'PR-GR-07', false),
      fact('PERMANENT_RESIDENCE_GROUND', 'PR-GR-02', true, { amountAzn: 600000 }),
      fact('PERMANENT_RESIDENCE_REFUSAL_GROUND', 'PR-RF-14', true),
      fact('PERMANENT_RESIDENCE_REFUSAL_GROUND', 'PR-RF-01', false),
    ];
    expect(permanentResidenceFactsOf(facts, null, '2026-01-01')).toEqual({
      ground: { id: 'PR-GR-02', verified: true, amountAzn: 600000 },
      recordedRefusals: { 'PR-RF-14': true, 'PR-RF-01': false },
    });
    expect(permanentResidenceFactsOf(facts, 'PR-GR-07', '2026-01-01').ground).toEqual({ id: 'PR-GR-07', verified: false, amountAzn: null });
    // A ground asked about with nothing recorded: claimed, not verified.
    expect(permanentResidenceFactsOf(facts, 'PR-GR-01', '2026-01-01').ground).toEqual({ id: 'PR-GR-01', verified: null, amountAzn: null });
    expect(permanentResidenceFactsOf([], null, '2026-01-01')).toEqual({ ground: null, recordedRefusals: {} });
    // Withdrawals (PR-RF-07 sponsor, PR-RF-08 housing consent): from the day established; ruled out by a record that is not.
    expect(
      permanentResidenceFactsOf([fact('PERMANENT_RESIDENCE_REFUSAL_GROUND', 'PR-RF-07', true, { validFrom: '2025-10-01' }), fact('PERMANENT_RESIDENCE_REFUSAL_GROUND', 'PR-RF-08', false)], null, '2026-01-01'),
    ).toMatchObject({ sponsorWithdrawal: { withdrawnOn: '2025-10-01', replacementProvidedOn: null }, housingConsentWithdrawal: null });
  });

  it('gives CIT-01 its three conditions: true, false, or null where nothing is recorded', () => {
    expect(citizenshipFactsOf([fact('LAWFUL_INCOME', 'CIT-01', true), fact('STATE_LANGUAGE_KNOWLEDGE', 'CIT-01', false)], '2026-01-01')).toEqual({
      lawfulIncome: true,
      constitutionUndertaking: null,
      stateLanguageDocument: false,
    });
  });
});
