import { evaluateRegistrationRequirement, registrationTerms } from './registration';

const base = { entryDate: '2025-02-01', holdsResidencePermit: false, registrations: [] };

describe('REG-01 registration by place of stay is required for those who stay more than 15 days', () => {
  it.each([
    { asOf: '2025-02-15', day: 15, outcome: 'NOT_REQUIRED' },
    { asOf: '2025-02-16', day: 16, outcome: 'REQUIRED' },
  ])('REG-01 day $day of the stay: $outcome', ({ asOf, day, outcome }) => {
    const decision = evaluateRegistrationRequirement(base, asOf);
    expect(decision.outcome).toBe(outcome);
    expect(decision.stayDays).toBe(day);
  });

  it('REG-01 an intended stay of exactly 15 days needs no registration; 16 days does', () => {
    expect(evaluateRegistrationRequirement({ ...base, intendedDepartureDate: '2025-02-15' }, '2025-02-02').outcome).toBe('NOT_REQUIRED');
    expect(evaluateRegistrationRequirement({ ...base, intendedDepartureDate: '2025-02-16' }, '2025-02-02').outcome).toBe('REQUIRED');
  });

  it('REG-01 tells from which day registration becomes required', () => {
    expect(evaluateRegistrationRequirement(base, '2025-02-05').requiredFrom).toBe('2025-02-16');
  });

  it('REG-01 a residence permit holder is registered by place of residence instead', () => {
    expect(evaluateRegistrationRequirement({ ...base, holdsResidencePermit: true }, '2025-06-01').outcome).toBe('NOT_REQUIRED');
  });
});

describe('REG-02 registration must be done within 10 days after arriving (param: published practice 15)', () => {
  it('REG-02 the seed deadline is 10 calendar days after the arrival day, across a leap day', () => {
    const decision = evaluateRegistrationRequirement({ ...base, entryDate: '2024-02-25' }, '2024-03-20');
    expect(decision).toMatchObject({ outcome: 'REQUIRED', dueOn: '2024-03-06', overdue: true, registeredOn: null });
  });

  it('REG-02 the published-practice variant gives 15 days, only when asked for', () => {
    const decision = evaluateRegistrationRequirement({ ...base, intendedDepartureDate: '2025-03-30' }, '2025-02-12', 'PUBLISHED_PRACTICE');
    expect(decision.dueOn).toBe('2025-02-16');
    expect(decision.overdue).toBe(false);
  });

  it('REG-02 a registration within the deadline is not overdue; a late one is reported late', () => {
    const onTime = evaluateRegistrationRequirement({ ...base, registrations: [{ registeredOn: '2025-02-11' }] }, '2025-03-01');
    expect(onTime).toMatchObject({ registeredOn: '2025-02-11', overdue: false });
    const late = evaluateRegistrationRequirement({ ...base, registrations: [{ registeredOn: '2025-02-12' }] }, '2025-03-01');
    expect(late.reasons.some((r) => r.detail?.late === true)).toBe(true);
  });

  it('REG-02 a registration from an earlier stay does not count', () => {
    const decision = evaluateRegistrationRequirement({ ...base, registrations: [{ registeredOn: '2024-12-01' }] }, '2025-03-01');
    expect(decision).toMatchObject({ registeredOn: null, overdue: true });
  });
});

describe('REG-03 registration is free of charge, online or at a regional migration office', () => {
  it('REG-03 fee 0 AZN and two channels', () => {
    const terms = registrationTerms('2025-01-01');
    expect(terms.fee).toEqual({ amount: 0, currency: 'AZN' });
    expect(terms.channels).toEqual(['ONLINE', 'REGIONAL_MIGRATION_OFFICE']);
    expect(terms.reasons[0]).toMatchObject({ ruleId: 'REG-03', citation: 'S0' });
  });
});
