import { AggregateDisclosure } from '../../platform/aggregates';
import { Currency } from '../../platform/federation/money.type';
import { disclosePaymentStatistics, type OwedTotals } from './payment-statistics.type';

describe('payment statistics as a caller may see them (issue 18, item 1)', () => {
  const totals: OwedTotals = {
    outstandingFines: 13,
    outstandingFineAmounts: [
      { amount: '4200.00', currency: Currency.AZN, count: 12 },
      { amount: '300.00', currency: Currency.USD, count: 1 },
    ],
    unpaidStateDuties: 4,
    unpaidStateDutyAmounts: [{ amount: '160.00', currency: Currency.AZN, count: 4 }],
  };

  it('gives a caller who may only count no count under the threshold, no total of a withheld count, and no currency over a few payments', () => {
    expect(disclosePaymentStatistics(totals, new AggregateDisclosure({ scopes: ['aggregates:read'] }, 10))).toEqual({
      outstandingFines: 13,
      outstandingFineAmounts: [{ amount: '4200.00', currency: 'AZN' }],
      unpaidStateDuties: null,
      unpaidStateDutyAmounts: null,
      suppressedBelow: 10,
    });
  });

  it('gives a reader of fines and payments everything, without the counts behind the totals', () => {
    expect(disclosePaymentStatistics(totals, new AggregateDisclosure({ scopes: ['aggregates:read', 'payments:read', 'fines:read'] }, 10))).toEqual({
      outstandingFines: 13,
      outstandingFineAmounts: [
        { amount: '4200.00', currency: 'AZN' },
        { amount: '300.00', currency: 'USD' },
      ],
      unpaidStateDuties: 4,
      unpaidStateDutyAmounts: [{ amount: '160.00', currency: 'AZN' }],
      suppressedBelow: null,
    });
  });
});
