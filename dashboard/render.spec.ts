import { moneyTexts, shownTotals } from './render';

describe('totals of money on the dashboard', () => {
  const azn = { amount: '1250.5', currency: 'AZN' };

  it('shows the totals given, each currency on its own line', () => {
    expect(moneyTexts(shownTotals([azn, { amount: '40', currency: 'USD' }], 31))).toEqual(['1,250.50 AZN', '40.00 USD']);
  });

  it('says "none" only when there is nothing to total', () => {
    expect(moneyTexts(shownTotals([], 0))).toEqual(['none']);
  });

  it('withholds the totals of a withheld count, and of a count whose every currency was left out', () => {
    expect(shownTotals(null, null)).toBeNull();
    // Ten payments in two currencies, each under the threshold of ten: no total is given, and that is not "none".
    expect(moneyTexts(shownTotals([], 10))).toEqual(['withheld']);
  });
});
