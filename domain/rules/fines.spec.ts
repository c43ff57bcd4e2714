import { FineFact, checkFineAmount, evaluateOutstandingFines, fineAmountRange, outstandingFines } from './fines';

const fine = (over: Partial<FineFact> = {}): FineFact => ({
  id: 'F-1',
  offence: 'OVERSTAY',
  imposedOn: '2025-01-10',
  amount: { amount: 300, currency: 'AZN' },
  paidOn: null,
  ...over,
});

describe('FINE-01 F3 overstaying, no registration, working without a permit, breaching the declared purpose: 300–400 AZN', () => {
  it.each(['STAY_WITHOUT_DOCUMENTS', 'STAY_WITHOUT_REGISTRATION', 'OVERSTAY', 'WORK_WITHOUT_PERMIT', 'BREACH_OF_DECLARED_PURPOSE'] as const)(
    'FINE-01 %s: 300–400 AZN',
    (offence) => {
      expect(fineAmountRange(offence, '2025-01-01').range).toEqual({ min: 300, max: 400, currency: 'AZN' });
    },
  );

  it('F3 a lost or damaged residence document: 30 AZN', () => {
    expect(fineAmountRange('LOST_OR_DAMAGED_RESIDENCE_DOCUMENT', '2025-01-01').range).toEqual({ min: 30, max: 30, currency: 'AZN' });
  });

  it.each([
    [299, 'OUTSIDE_RANGE'],
    [300, 'WITHIN_RANGE'],
    [400, 'WITHIN_RANGE'],
    [401, 'OUTSIDE_RANGE'],
  ] as const)('FINE-01 an amount of %d AZN is %s', (amount, outcome) => {
    expect(checkFineAmount(fine({ amount: { amount, currency: 'AZN' } }), '2025-01-01').outcome).toBe(outcome);
  });
});

describe('FINE-02 an unpaid fine is outstanding until paid', () => {
  it.each([
    ['2025-01-09', null, 0], // not yet imposed
    ['2025-01-10', null, 1],
    ['2025-02-01', '2025-02-01', 0], // paid that day
    ['2025-01-31', '2025-02-01', 1], // paid later
  ])('FINE-02 on %s with payment on %s: %d outstanding', (asOf, paidOn, count) => {
    expect(outstandingFines([fine({ paidOn })], asOf)).toHaveLength(count);
  });

  it('FINE-02 totals outstanding fines per currency', () => {
    const decision = evaluateOutstandingFines([fine(), fine({ id: 'F-2', amount: { amount: 30, currency: 'AZN' }, offence: 'LOST_OR_DAMAGED_RESIDENCE_DOCUMENT' })], '2025-03-01');
    expect(decision).toMatchObject({ outcome: 'OUTSTANDING', totalOutstanding: [{ amount: 330, currency: 'AZN' }] });
    expect(decision.reasons[0].ruleId).toBe('FINE-02');
  });
});
