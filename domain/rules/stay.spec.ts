import { CrossingFact, LawfulBasisFact, StayFacts, deriveStayPeriods, evaluateLegalStatus, evaluateStayPeriods } from './stay';

const entry = (date: string): CrossingFact => ({ direction: 'ENTRY', date });
const exit = (date: string): CrossingFact => ({ direction: 'EXIT', date });

describe('STAY-02 a stay period runs from an entry crossing to the next exit crossing; an open period runs to the evaluation date', () => {
  it.each([
    {
      name: 'closed period, both ends counted',
      crossings: [entry('2025-01-10'), exit('2025-01-20')],
      asOf: '2025-02-01',
      expected: [{ entryDate: '2025-01-10', exitDate: '2025-01-20', endDate: '2025-01-20', days: 11, open: false }],
    },
    {
      name: 'same-day entry and exit is one day',
      crossings: [entry('2025-03-05'), exit('2025-03-05')],
      asOf: '2025-03-05',
      expected: [{ entryDate: '2025-03-05', exitDate: '2025-03-05', endDate: '2025-03-05', days: 1, open: false }],
    },
    {
      name: 'open period runs to asOf',
      crossings: [entry('2025-01-01')],
      asOf: '2025-01-31',
      expected: [{ entryDate: '2025-01-01', exitDate: null, endDate: '2025-01-31', days: 31, open: true }],
    },
    {
      name: 'crossings after asOf are ignored',
      crossings: [entry('2025-01-01'), exit('2025-02-10')],
      asOf: '2025-01-10',
      expected: [{ entryDate: '2025-01-01', exitDate: null, endDate: '2025-01-10', days: 10, open: true }],
    },
    {
      name: 'leap year: 28 Feb to 1 Mar 2024 is 3 days',
      crossings: [entry('2024-02-28'), exit('2024-03-01')],
      asOf: '2024-12-31',
      expected: [{ entryDate: '2024-02-28', exitDate: '2024-03-01', endDate: '2024-03-01', days: 3, open: false }],
    },
  ])('STAY-02 $name', ({ crossings, asOf, expected }) => {
    expect(deriveStayPeriods(crossings, asOf)).toEqual(expected);
  });

  it('STAY-02 input order does not matter', () => {
    const ordered = [entry('2025-01-01'), exit('2025-01-05'), entry('2025-02-01'), exit('2025-02-03')];
    const shuffled = [ordered[3], ordered[0], ordered[2], ordered[1]];
    expect(deriveStayPeriods(shuffled, '2025-03-01')).toEqual(deriveStayPeriods(ordered, '2025-03-01'));
    expect(deriveStayPeriods(shuffled, '2025-03-01').map((p) => p.days)).toEqual([5, 3]);
  });

  it('STAY-02 a person inside who exits and re-enters on the same day: the first stay closes and a new one opens', () => {
    const periods = deriveStayPeriods([entry('2025-01-01'), entry('2025-01-10'), exit('2025-01-10')], '2025-01-15');
    expect(periods).toEqual([
      { entryDate: '2025-01-01', exitDate: '2025-01-10', endDate: '2025-01-10', days: 10, open: false },
      { entryDate: '2025-01-10', exitDate: null, endDate: '2025-01-15', days: 6, open: true },
    ]);
  });

  it('STAY-02 a person outside who enters and leaves on the same day makes a one-day stay', () => {
    const periods = deriveStayPeriods([exit('2025-01-10'), entry('2025-01-10'), entry('2024-12-01'), exit('2024-12-05')], '2025-01-15');
    expect(periods.map((p) => [p.entryDate, p.exitDate, p.days])).toEqual([
      ['2024-12-01', '2024-12-05', 5],
      ['2025-01-10', '2025-01-10', 1],
    ]);
  });

  it('STAY-02 an exit with no recorded entry gives a period with entryDate null and an anomaly', () => {
    expect(deriveStayPeriods([exit('2025-01-10'), entry('2025-02-01')], '2025-02-02')).toEqual([
      { entryDate: null, exitDate: '2025-01-10', endDate: '2025-01-10', days: 1, open: false, anomaly: 'EXIT_WITHOUT_ENTRY' },
      { entryDate: '2025-02-01', exitDate: null, endDate: '2025-02-02', days: 2, open: true },
    ]);
  });

  it('STAY-02 two entries in a row: the earlier stay is closed the day before the second entry, flagged', () => {
    expect(deriveStayPeriods([entry('2025-01-01'), entry('2025-01-20'), exit('2025-01-25')], '2025-02-01')).toEqual([
      { entryDate: '2025-01-01', exitDate: null, endDate: '2025-01-19', days: 19, open: false, anomaly: 'ENTRY_WITHOUT_EXIT' },
      { entryDate: '2025-01-20', exitDate: '2025-01-25', endDate: '2025-01-25', days: 6, open: false },
    ]);
  });

  it('STAY-02 a duplicated crossing record is ignored', () => {
    expect(deriveStayPeriods([entry('2025-01-01'), entry('2025-01-01'), exit('2025-01-03')], '2025-01-05')).toEqual([
      { entryDate: '2025-01-01', exitDate: '2025-01-03', endDate: '2025-01-03', days: 3, open: false },
    ]);
  });

  it('STAY-02 rejects a malformed date', () => {
    expect(() => deriveStayPeriods([entry('2025-02-30')], '2025-03-01')).toThrow(/calendar date/);
    expect(() => deriveStayPeriods([], '01/03/2025')).toThrow(/ISO/);
  });
});

const visaFreeFacts = (crossings: CrossingFact[], lawfulBases: LawfulBasisFact[] = []): StayFacts => ({
  citizenships: ['GEO'],
  crossings,
  lawfulBases,
});

describe('STAY-01 visa-free temporary stay lasts at most 90 days; with a visa the visa validity applies', () => {
  it.each([
    { asOf: '2025-03-31', day: 90, outcome: 'LAWFUL', overstay: 0 },
    { asOf: '2025-04-01', day: 91, outcome: 'UNLAWFUL', overstay: 1 },
  ])('STAY-01 day $day of a visa-free stay is $outcome', ({ asOf, outcome, overstay }) => {
    // 1 Jan 2025 + 89 days = 31 Mar 2025 (day 90).
    const status = evaluateLegalStatus(visaFreeFacts([entry('2025-01-01')]), asOf);
    expect(status.outcome).toBe(outcome);
    expect(status.overstayDays).toBe(overstay);
    expect(status.currentPeriod?.days).toBe(overstay === 0 ? 90 : 91);
  });

  it('STAY-01 lawful until day 90 of a visa-free stay, across a leap day', () => {
    const status = evaluateLegalStatus(visaFreeFacts([entry('2024-01-15')]), '2024-02-29');
    expect(status.basis).toBe('VISA_FREE');
    expect(status.lawfulUntil).toBe('2024-04-13'); // 17 + 29 + 31 + 13 = 90 days
  });

  it('STAY-01 a citizen of a visa-regime country has no visa-free allowance', () => {
    const status = evaluateLegalStatus({ citizenships: ['IND'], crossings: [entry('2025-01-01')], lawfulBases: [] }, '2025-01-01');
    expect(status.outcome).toBe('UNLAWFUL');
    expect(status.overstayDays).toBe(1);
  });

  it('STAY-01 with a visa, its validity applies', () => {
    const facts: StayFacts = {
      citizenships: ['IND'],
      crossings: [entry('2025-05-01')],
      lawfulBases: [{ kind: 'VISA', visaType: 'TOURIST', validFrom: '2025-04-20', validUntil: '2025-06-19' }],
    };
    const lawful = evaluateLegalStatus(facts, '2025-06-19');
    expect(lawful).toMatchObject({ outcome: 'LAWFUL', basis: 'VISA', lawfulUntil: '2025-06-19', overstayDays: 0 });
    const after = evaluateLegalStatus(facts, '2025-06-25');
    expect(after).toMatchObject({ outcome: 'UNLAWFUL', basis: null, overstayDays: 6 });
  });

  it('STAY-01 VISA-02 an e-Visa covers one entry for at most 30 days', () => {
    const facts: StayFacts = {
      citizenships: ['CHN'],
      crossings: [entry('2025-07-01'), exit('2025-07-05'), entry('2025-07-10')],
      lawfulBases: [{ kind: 'E_VISA', validFrom: '2025-06-25', validUntil: '2025-09-22' }],
    };
    const periods = evaluateStayPeriods(facts, '2025-07-12');
    expect(periods.map((p) => [p.outcome, p.lawfulDays, p.unlawfulDays])).toEqual([
      ['LAWFUL', 5, 0],
      ['OVERSTAY', 0, 3], // single entry: the second entry is not covered
    ]);
    const thirty = evaluateStayPeriods({ ...facts, crossings: [entry('2025-07-01')] }, '2025-07-31');
    expect(thirty[0]).toMatchObject({ lawfulDays: 30, unlawfulDays: 1, firstUnlawfulDate: '2025-07-31' });
  });
});

describe('STAY-03 overstay: days present beyond the lawful basis are unlawful days', () => {
  it('STAY-03 counts unlawful days per period and in total', () => {
    const facts = visaFreeFacts([entry('2024-01-01'), exit('2024-04-09'), entry('2025-01-01')]);
    // 2024 is a leap year: 1 Jan..9 Apr = 31+29+31+9 = 100 days, 10 unlawful.
    const periods = evaluateStayPeriods(facts, '2025-01-10');
    expect(periods.map((p) => [p.period.days, p.lawfulDays, p.unlawfulDays, p.firstUnlawfulDate])).toEqual([
      [100, 90, 10, '2024-03-31'],
      [10, 10, 0, null],
    ]);
    const status = evaluateLegalStatus(facts, '2025-01-10');
    expect(status).toMatchObject({ outcome: 'LAWFUL', overstayDays: 0, totalOverstayDays: 10 });
  });

  it('STAY-03 STAY-EXT an extension of stay continues the visa-free allowance without a gap', () => {
    const facts = visaFreeFacts([entry('2025-01-01')], [{ kind: 'STAY_EXTENSION', validFrom: '2025-04-01', validUntil: '2025-05-15' }]);
    const status = evaluateLegalStatus(facts, '2025-04-20');
    expect(status).toMatchObject({ outcome: 'LAWFUL', basis: 'STAY_EXTENSION', lawfulUntil: '2025-05-15' });
    expect(status.periods[0].bases).toEqual(['VISA_FREE', 'STAY_EXTENSION']);
  });

  it('STAY-03 a work permit alone is not a basis of stay', () => {
    const facts: StayFacts = {
      citizenships: ['IND'],
      crossings: [entry('2025-01-01')],
      lawfulBases: [{ kind: 'WORK_PERMIT', validFrom: '2024-12-01', validUntil: '2025-12-01' }],
    };
    const status = evaluateLegalStatus(facts, '2025-01-05');
    expect(status.outcome).toBe('UNLAWFUL');
    expect(status.reasons.map((r) => r.message.en).join(' ')).toMatch(/work permit .* not itself a basis of stay/);
  });

  it('STAY-03 a temporary residence permit covers its dates; a revoked permit stops covering on revocation', () => {
    const trp: LawfulBasisFact = { kind: 'TEMPORARY_RESIDENCE', validFrom: '2024-06-01', validUntil: '2025-05-31', revokedOn: '2025-03-01' };
    const facts: StayFacts = { citizenships: ['IND'], crossings: [entry('2024-06-10')], lawfulBases: [trp] };
    expect(evaluateLegalStatus(facts, '2025-02-28')).toMatchObject({ outcome: 'LAWFUL', basis: 'TEMPORARY_RESIDENCE', lawfulUntil: '2025-02-28' });
    expect(evaluateLegalStatus(facts, '2025-03-02')).toMatchObject({ outcome: 'UNLAWFUL', overstayDays: 2 });
  });

  it('STAY-03 a permanent residence permit without expiry gives no end date', () => {
    const facts: StayFacts = {
      citizenships: [],
      crossings: [entry('2025-01-01')],
      lawfulBases: [{ kind: 'PERMANENT_RESIDENCE', validFrom: '2020-01-01', validUntil: null }],
    };
    expect(evaluateLegalStatus(facts, '2025-06-01')).toMatchObject({ outcome: 'LAWFUL', basis: 'PERMANENT_RESIDENCE', lawfulUntil: null });
  });

  it('STAY-03 the stay before an exit without recorded entry is UNDETERMINED, not lawful by default', () => {
    const periods = evaluateStayPeriods(visaFreeFacts([exit('2025-01-10')]), '2025-01-20');
    expect(periods[0].outcome).toBe('UNDETERMINED');
  });

  it('STAY-03 not present when the last crossing is an exit', () => {
    const status = evaluateLegalStatus(visaFreeFacts([entry('2025-01-01'), exit('2025-01-05')]), '2025-02-01');
    expect(status).toMatchObject({ outcome: 'NOT_PRESENT', currentPeriod: null, registration: null });
  });

  it('STAY-PAND a pandemic automatic extension recorded by the Service covers its dates', () => {
    const facts = visaFreeFacts(
      [entry('2020-01-10')],
      [{ kind: 'PANDEMIC_AUTO_EXTENSION', validFrom: '2020-04-09', validUntil: '2020-09-30' }],
    );
    const status = evaluateLegalStatus(facts, '2020-08-01');
    expect(status).toMatchObject({ outcome: 'LAWFUL', basis: 'PANDEMIC_AUTO_EXTENSION', lawfulUntil: '2020-09-30' });
    expect(status.reasons.some((r) => r.ruleId === 'STAY-PAND')).toBe(true);
  });
});

describe('STAY-01 REG-01 REG-02 legal status reports whether registration by place of stay is required and by when', () => {
  it.each([
    { asOf: '2025-01-15', stayDay: 15, outcome: 'NOT_REQUIRED', dueOn: null },
    { asOf: '2025-01-16', stayDay: 16, outcome: 'REQUIRED', dueOn: '2025-01-11' },
  ])('REG-01 on day $stayDay of the stay registration is $outcome', ({ asOf, outcome, dueOn }) => {
    const status = evaluateLegalStatus(visaFreeFacts([entry('2025-01-01')]), asOf);
    expect(status.registration).toMatchObject({ outcome, dueOn });
  });

  it('REG-02 an intended stay of more than 15 days requires registration within 10 days of arrival', () => {
    const status = evaluateLegalStatus({ ...visaFreeFacts([entry('2025-01-01')]), intendedDepartureDate: '2025-02-01' }, '2025-01-03');
    expect(status.registration).toMatchObject({ outcome: 'REQUIRED', dueOn: '2025-01-11', overdue: false });
  });
});
