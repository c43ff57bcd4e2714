import { stateDuty } from './state-duty';
import {
  CitizenshipAdmissionFacts,
  citizenshipChannels,
  evaluateCitizenshipEligibility,
  evaluateCitizenshipRestoration,
  evaluateCitizenshipTermination,
} from './citizenship';

const admission = (over: Partial<CitizenshipAdmissionFacts> = {}): CitizenshipAdmissionFacts => ({
  permanentResidencePermits: [{ validFrom: '2020-02-29', validUntil: '2030-01-01' }],
  lawfulIncome: true,
  constitutionUndertaking: true,
  stateLanguageDocument: true,
  ...over,
});

describe('CIT-01 admission: 5 years of continuous lawful permanent residence counted from the day the permit was granted', () => {
  it.each([
    ['2025-02-27', 'NOT_ELIGIBLE'],
    ['2025-02-28', 'ELIGIBLE'], // five years from 29 Feb 2020 end on 28 Feb 2025
  ])('CIT-01 granted 2020-02-29, on %s: %s', (asOf, outcome) => {
    const decision = evaluateCitizenshipEligibility(admission(), asOf);
    expect(decision.outcome).toBe(outcome);
    expect(decision.continuousPermanentResidence.completesOn).toBe('2025-02-28');
  });

  it('CIT-01 exactly five years from an ordinary grant day', () => {
    const facts = admission({ permanentResidencePermits: [{ validFrom: '2019-06-15', validUntil: null }] });
    expect(evaluateCitizenshipEligibility(facts, '2024-06-14').outcome).toBe('NOT_ELIGIBLE');
    expect(evaluateCitizenshipEligibility(facts, '2024-06-15').outcome).toBe('ELIGIBLE');
  });

  it('CIT-01 renewals without a gap keep the count; a revoked permit breaks it', () => {
    const renewed = admission({
      permanentResidencePermits: [
        { validFrom: '2018-01-10', validUntil: '2023-01-09' },
        { validFrom: '2023-01-10', validUntil: '2028-01-09' },
      ],
    });
    expect(evaluateCitizenshipEligibility(renewed, '2023-06-01').outcome).toBe('ELIGIBLE');
    const revoked = admission({ permanentResidencePermits: [{ validFrom: '2018-01-10', validUntil: '2028-01-09', revokedOn: '2023-01-01' }] });
    expect(evaluateCitizenshipEligibility(revoked, '2023-06-01').outcome).toBe('NOT_ELIGIBLE');
  });

  it.each([
    ['lawfulIncome', false, 'NOT_ELIGIBLE'],
    ['constitutionUndertaking', null, 'UNDETERMINED'],
    ['stateLanguageDocument', undefined, 'UNDETERMINED'],
    ['stateLanguageDocument', false, 'NOT_ELIGIBLE'],
  ] as const)('CIT-01 %s = %s: %s', (field, value, outcome) => {
    expect(evaluateCitizenshipEligibility(admission({ [field]: value }), '2026-01-01').outcome).toBe(outcome);
  });

  it('CIT-01 states that origin, race, sex, religion and beliefs are not facts of the decision', () => {
    const texts = evaluateCitizenshipEligibility(admission(), '2026-01-01').reasons.map((r) => r.message.en);
    expect(texts.some((t) => /race/.test(t) && /religion/.test(t))).toBe(true);
  });
});

describe('CIT-02 restoration for former citizens, subject to article 14 part two of the Law on Citizenship', () => {
  it.each([
    [true, false, 'ELIGIBLE'],
    [true, true, 'NOT_ELIGIBLE'],
    [false, false, 'NOT_ELIGIBLE'],
    [true, null, 'UNDETERMINED'],
  ] as const)('CIT-02 former citizen %s, restriction %s: %s', (formerCitizen, restriction, outcome) => {
    expect(evaluateCitizenshipRestoration({ formerCitizen, article14Part2RestrictionApplies: restriction }).outcome).toBe(outcome);
  });
});

describe('CIT-03 termination: renunciation, loss, international treaties, other grounds of the law', () => {
  it.each([
    [{ ground: 'RENUNCIATION', ownApplication: true, holdsOtherCitizenship: true }, 'GROUNDED'],
    [{ ground: 'RENUNCIATION', ownApplication: true, holdsOtherCitizenship: false, assuranceOfOtherCitizenship: true }, 'GROUNDED'],
    [{ ground: 'RENUNCIATION', ownApplication: true, holdsOtherCitizenship: false, assuranceOfOtherCitizenship: false }, 'NOT_GROUNDED'],
    [{ ground: 'RENUNCIATION', ownApplication: false, holdsOtherCitizenship: true }, 'NOT_GROUNDED'],
    [{ ground: 'RENUNCIATION', holdsOtherCitizenship: true }, 'UNDETERMINED'],
    [{ ground: 'LOSS' }, 'GROUNDED'],
    [{ ground: 'INTERNATIONAL_TREATY' }, 'GROUNDED'],
    [{ ground: 'OTHER_LEGAL_GROUND' }, 'GROUNDED'],
  ] as const)('CIT-03 %j: %s', (facts, outcome) => {
    expect(evaluateCitizenshipTermination(facts).outcome).toBe(outcome);
  });
});

describe('CIT-04 channels: residents apply to the Service, residents abroad through missions to the Ministry of Foreign Affairs', () => {
  it('CIT-04 residents of Azerbaijan', () => {
    expect(citizenshipChannels(true)).toMatchObject({ addressee: 'STATE_MIGRATION_SERVICE', channels: ['REGIONAL_MIGRATION_OFFICE', 'ASAN_XIDMET', 'POST', 'ELECTRONIC'] });
  });
  it('CIT-04 residents abroad', () => {
    expect(citizenshipChannels(false)).toMatchObject({ addressee: 'MINISTRY_OF_FOREIGN_AFFAIRS', channels: ['DIPLOMATIC_MISSION_OR_CONSULATE'] });
  });
});

describe('CIT-05 state duty 50–1000 AZN depending on type and reason', () => {
  it('CIT-05 is a range, not a guess', () => {
    expect(stateDuty('CITIZENSHIP_ADMISSION', null, null, '2025-01-01').range).toEqual({ min: 50, max: 1000, currency: 'AZN' });
  });
});
