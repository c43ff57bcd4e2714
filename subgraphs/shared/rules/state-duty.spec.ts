import { paymentAndTrackingTerms, stateDuty } from './state-duty';

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
