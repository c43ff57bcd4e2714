import { checkDutyAssessment, checkDutyBeforeIssue, MAX_ASSESSED_DUTY_AZN, paymentAndTrackingTerms, stateDuty, withAssessment, type DutyPayment } from './state-duty';

const asOf = '2025-01-15';

describe('WP-06 F1 work permit state duty by processing time and duration (AZN)', () => {
  it.each([
    [3, 10, 700], [6, 10, 900], [12, 10, 1400],
    [3, 15, 500], [6, 15, 700], [12, 15, 1200],
    [3, 20, 350], [6, 20, 600], [12, 20, 1000],
    [1, 20, 350], [4, 20, 600], [7, 20, 1000],
  ])('F1 up to %d months, %d working days: %d AZN', (months, workingDays, amount) => {
    expect(stateDuty('WORK_PERMIT', months, workingDays, asOf)).toMatchObject({ outcome: 'FIXED', amount: { amount, currency: 'AZN' } });
  });

  it('WP-06 an extension pays the same table', () => {
    expect(stateDuty('WORK_PERMIT_EXTENSION', 6, 15, asOf).amount).toEqual({ amount: 700, currency: 'AZN' });
  });

  it.each([
    [6, 12, /tiers are 10, 15, 20/],
    [24, 20, /longest column is up to 12 months/],
    [0, 20, /positive/],
    [6, null, /unknown working days/],
  ])('WP-06 an impossible combination (%s months, %s working days) is an ERROR decision', (months, workingDays, message) => {
    const decision = stateDuty('WORK_PERMIT', months, workingDays, asOf);
    expect(decision.outcome).toBe('ERROR');
    expect(decision.amount).toBeNull();
    expect(decision.reasons[0].message.en).toMatch(message);
  });
});

describe('TRP-03 F2 temporary residence permit state duty for adults (AZN)', () => {
  it.each([
    [3, 15, 40], [6, 15, 80], [12, 15, 160], [18, 15, 240], [24, 15, 320], [30, 15, 400], [36, 15, 480],
    [3, 20, 30], [6, 20, 60], [12, 20, 120], [18, 20, 180], [24, 20, 240], [30, 20, 300], [36, 20, 360],
  ])('F2 up to %d months, %d working days: %d AZN', (months, workingDays, amount) => {
    expect(stateDuty('TEMPORARY_RESIDENCE', months, workingDays, asOf).amount).toEqual({ amount, currency: 'AZN' });
  });

  it('TRP-03 the S0 deadline of 30 working days has no F2 figure: ERROR, not a guess', () => {
    expect(stateDuty('TEMPORARY_RESIDENCE', 12, 30, asOf).outcome).toBe('ERROR');
    expect(stateDuty('TEMPORARY_RESIDENCE_EXTENSION', 37, 20, asOf).outcome).toBe('ERROR');
  });
});

describe('VISA-02 e-Visa fee 20 USD; CIT-05 citizenship duty 50–1000 AZN; REG-03 free', () => {
  it('VISA-02 e-Visa 20 USD', () => {
    expect(stateDuty('E_VISA', null, null, asOf)).toMatchObject({ outcome: 'FIXED', amount: { amount: 20, currency: 'USD' } });
    expect(stateDuty('E_VISA', null, 1, asOf).outcome).toBe('ERROR');
  });

  it.each(['CITIZENSHIP_ADMISSION', 'CITIZENSHIP_RESTORATION', 'CITIZENSHIP_TERMINATION'] as const)('CIT-05 %s is a range 50–1000 AZN', (type) => {
    expect(stateDuty(type, null, null, asOf)).toMatchObject({ outcome: 'RANGE', amount: null, range: { min: 50, max: 1000, currency: 'AZN' } });
  });

  it('REG-03 registration by place of stay is free', () => {
    expect(stateDuty('REGISTRATION_BY_PLACE_OF_STAY', null, null, asOf)).toMatchObject({ outcome: 'FREE', amount: { amount: 0, currency: 'AZN' } });
  });

  it('TRP-03 permanent residence: only the S0 range 40–200 AZN', () => {
    expect(stateDuty('PERMANENT_RESIDENCE', 60, null, asOf)).toMatchObject({ outcome: 'RANGE', range: { min: 40, max: 200 } });
  });

  it('a stay extension has no amount in the data', () => {
    expect(stateDuty('TEMPORARY_STAY_EXTENSION', null, null, asOf).outcome).toBe('UNKNOWN');
  });
});

describe('PAY-01 PAY-02 PAY-03 tracking, payment codes and payment channels', () => {
  it('PAY-03 online, bank branches, expressPay and ASAN payment terminals', () => {
    const terms = paymentAndTrackingTerms();
    expect(terms.channels).toEqual(['ONLINE_SERVICE_SITE', 'BANK_BRANCH', 'EXPRESSPAY_TERMINAL', 'ASAN_PAYMENT_TERMINAL']);
    expect(terms.reasons.map((r) => r.ruleId)).toEqual(['PAY-01', 'PAY-02', 'PAY-03']);
  });
});

describe('PAY-04 a permit or document is issued only once its state duty is paid', () => {
  const workPermit = stateDuty('WORK_PERMIT', 12, 20, asOf);
  const citizenship = stateDuty('CITIZENSHIP_ADMISSION', null, null, asOf);
  const registration = stateDuty('REGISTRATION_BY_PLACE_OF_STAY', null, null, asOf);
  const stayExtension = stateDuty('TEMPORARY_STAY_EXTENSION', 1, null, asOf);
  const payment = (status: DutyPayment['status'], code = '000000000018'): DutyPayment => ({ code, status });

  it.each([
    ['a paid duty', workPermit, [payment('PAID')], 'PAID', /is paid \(payment code 000000000018\)/],
    ['a paid duty after a cancelled one', workPermit, [payment('CANCELLED', '000000000026'), payment('PAID')], 'PAID', /is paid/],
    ['an unpaid duty, naming its code', workPermit, [payment('UNPAID')], 'NOT_PAID', /payable by payment code 000000000018/],
    ['only a cancelled duty', workPermit, [payment('CANCELLED')], 'NOT_PAID', /not been billed yet/],
    ['a fixed duty not billed yet', workPermit, [], 'NOT_PAID', /not been billed yet/],
    ['a ranged duty (CIT-05) not assessed', citizenship, [], 'NOT_PAID', /assessStateDuty/],
    ['a duty with no amount in the data, not assessed', stayExtension, [], 'NOT_PAID', /assessStateDuty/],
    ['an assessed ranged duty, paid', citizenship, [payment('PAID')], 'PAID', /is paid/],
  ])('%s: %s', (_name, duty, payments, outcome, message) => {
    const decision = checkDutyBeforeIssue(duty, payments as DutyPayment[]);
    expect(decision.outcome).toBe(outcome);
    expect(decision.reasons[0].ruleId).toBe('PAY-04');
    expect(decision.reasons[0].message.en).toMatch(message);
    expect(decision.reasons[0].message.az.length).toBeGreaterThan(0);
  });

  it('PAY-04 with REG-03: a duty-free registration needs no payment', () => {
    const decision = checkDutyBeforeIssue(registration, []);
    expect(decision.outcome).toBe('NOT_DUE');
    expect(decision.reasons.map((r) => r.ruleId)).toEqual(['PAY-04', 'REG-03']);
  });

  it.each([
    ['CIT-05 at the bottom of the range', citizenship, 50, 'AZN', 'ACCEPTED'],
    ['CIT-05 at the top of the range', citizenship, 1000, 'AZN', 'ACCEPTED'],
    ['CIT-05 below the range', citizenship, 49.99, 'AZN', 'REFUSED'],
    ['CIT-05 above the range', citizenship, 1000.01, 'AZN', 'REFUSED'],
    ['CIT-05 in another currency', citizenship, 100, 'USD', 'REFUSED'],
    ['TRP-03 S0 range for permanent residence', stateDuty('PERMANENT_RESIDENCE', null, null, asOf), 200, 'AZN', 'ACCEPTED'],
    ['TRP-03 S0 range for permanent residence, above it', stateDuty('PERMANENT_RESIDENCE', null, null, asOf), 201, 'AZN', 'REFUSED'],
    ['no amount in the data, positive', stayExtension, 25, 'AZN', 'ACCEPTED'],
    ['no amount in the data, zero', stayExtension, 0, 'AZN', 'REFUSED'],
    ['no amount in the data, beyond the bound', stayExtension, MAX_ASSESSED_DUTY_AZN + 1, 'AZN', 'REFUSED'],
    ['more than two decimals', citizenship, 100.005, 'AZN', 'REFUSED'],
    ['a fixed duty (WP-06) is never assessed by hand', workPermit, 1000, 'AZN', 'REFUSED'],
    ['a free registration (REG-03) is never assessed', registration, 10, 'AZN', 'REFUSED'],
  ] as const)('PAY-04 assessment: %s', (_name, duty, amount, currency, outcome) => {
    const decision = checkDutyAssessment(duty, { amount, currency });
    expect(decision.outcome).toBe(outcome);
    expect(decision.reasons[0].ruleId).toBe('PAY-04');
  });

  it.each([
    ['CIT-05 range', citizenship, 150, 'CIT-05'],
    ['TRP-03 S0 range for permanent residence', stateDuty('PERMANENT_RESIDENCE', null, null, asOf), 40, 'TRP-03'],
    ['no amount in the data (stay extension)', stayExtension, 25, 'STAY-PAND'],
  ] as const)('PAY-04 an assessed duty is the amount the officer set: %s', (_name, duty, amount, tableRule) => {
    const decision = withAssessment(duty, { amount: { amount, currency: 'AZN' }, assessedOn: '2025-02-03' });
    expect(decision).toMatchObject({ outcome: 'ASSESSED', amount: { amount, currency: 'AZN' }, range: duty.range });
    expect(decision.reasons.map((r) => r.ruleId)).toEqual(['PAY-04', tableRule]);
    expect(decision.reasons[0].message.en).toBe(`State duty ${amount.toFixed(2)} AZN, assessed by an officer on 2025-02-03 where the tables give no fixed amount.`);
    expect(decision.reasons[0].message.az).toMatch(new RegExp(`^Dövlət rüsumu ${amount.toFixed(2)} AZN: .*2025-02-03`));
  });

  it('PAY-04 without an assessment, or for a duty the tables fix or waive, the tables answer', () => {
    expect(withAssessment(citizenship, null)).toBe(citizenship);
    const assessment = { amount: { amount: 100, currency: 'AZN' as const }, assessedOn: asOf };
    expect(withAssessment(workPermit, assessment)).toBe(workPermit);
    expect(withAssessment(registration, assessment)).toBe(registration);
  });
});
