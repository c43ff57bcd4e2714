import { AggregateDisclosure } from '../../platform/aggregates';
import { Currency } from '../../platform/federation/money.type';
import { TimeBucket } from '../../platform/federation/time-bucket.type';
import { daysBetween } from '../../domain/rules/dates';
import { startSubgraphUnderTest, TEST_TODAY, type SubgraphUnderTest } from '../../platform/testing/subgraph-test-app';
import { periodStartOf, seriesPeriod } from '../../platform/time-series';
import { planWithoutSeqScan } from '../../platform/testing/query-plan';
import { paymentsSubgraph } from './app';
import { PaymentStore } from './payment.store';
import { discloseFinesByAge, disclosePaymentsByChannel, disclosePaymentStatistics, type OwedTotals } from './payment-statistics.type';
import { FINE_AGE_GROUPS } from './payment.service';
import { PaymentChannel } from './payment.type';

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

/**
 * The dashboard's statistics of the payments registry (issue 23), each one SQL statement, checked
 * against the demo histories the database was seeded with.
 */
describe('payments statistics for the dashboard', () => {
  let subgraph: SubgraphUnderTest;
  beforeAll(async () => {
    subgraph = await startSubgraphUnderTest(paymentsSubgraph, 80);
  });
  afterAll(() => subgraph.close());

  const payments = () => subgraph.histories.flatMap((h) => h.payments);
  /** Totals per currency, as the registry states them: exact to the cent, currencies in order. */
  const totals = (of: { amount: string; currency: string }[]) =>
    [...new Set(of.map((p) => p.currency))].sort().map((currency) => ({
      amount: (of.filter((p) => p.currency === currency).reduce((cents, p) => cents + Math.round(Number(p.amount) * 100), 0) / 100).toFixed(2),
      currency,
    }));
  const measured = async (query: string, variables: Record<string, unknown> = {}) => {
    const before = subgraph.db.stats.total;
    const response = await subgraph.client.query(query, { variables });
    expect(response.errors).toBeUndefined();
    return { data: response.data, statements: subgraph.db.stats.total - before };
  };

  it('groups the outstanding fines by age as the histories imply, every group listed, in one statement', async () => {
    const { data, statements } = await measured('{ paymentStatistics { asOf outstandingFines outstandingFinesByAge { minDays maxDays count amounts { amount currency } } } }');
    const issuedOn = new Map(subgraph.histories.flatMap((h) => h.fines).map((fine) => [fine.id, fine.issuedOn]));
    const outstanding = payments().filter((p) => p.purpose === 'FINE' && p.status !== 'PAID');
    const age = (p: (typeof outstanding)[number]) => Math.max(0, daysBetween(issuedOn.get(p.fineId!)!, TEST_TODAY));
    const byAge = FINE_AGE_GROUPS.map(({ minDays, maxDays }) => {
      const of = outstanding.filter((p) => age(p) >= minDays && (maxDays === null || age(p) <= maxDays));
      return { minDays, maxDays, count: of.length, amounts: totals(of) };
    });
    expect(data.paymentStatistics).toEqual({ asOf: TEST_TODAY, outstandingFines: outstanding.length, outstandingFinesByAge: byAge });
    expect(byAge.map((group) => [group.minDays, group.maxDays])).toEqual([[0, 30], [31, 90], [91, 365], [366, null]]);
    // The outstanding fines, and the one statement of the age groups.
    expect(statements).toBe(2);
    expect(byAge.filter((group) => group.count > 0).length).toBeGreaterThan(1);
  });

  const BY_CHANNEL = `query($from: Date!, $to: Date!, $bucket: TimeBucket!) {
    paymentsByChannel(from: $from, to: $to, bucket: $bucket) { from to bucket series { periodStart channel count amounts { amount currency } } suppressedBelow } }`;

  it.each([
    ['weeks of the last quarter', '2026-08-03', TEST_TODAY, TimeBucket.WEEK],
    ['months of two years', '2024-11-03', TEST_TODAY, TimeBucket.MONTH],
    ['a single week', TEST_TODAY, TEST_TODAY, TimeBucket.WEEK],
  ])('counts the payments of %s per channel, equal to the histories, every period and channel listed, in one statement', async (_name, from, to, bucket) => {
    const { data, statements } = await measured(BY_CHANNEL, { from, to, bucket });
    const period = seriesPeriod(from, to, bucket);
    const paid = payments().filter((p) => p.status === 'PAID' && p.paidOn! >= period.from && p.paidOn! <= period.to);
    const series = period.periodStarts.flatMap((periodStart) =>
      Object.values(PaymentChannel).map((channel) => {
        const of = paid.filter((p) => p.channel === channel && periodStartOf(p.paidOn!, bucket) === periodStart);
        return { periodStart, channel, count: of.length, amounts: totals(of) };
      }),
    );
    expect(data.paymentsByChannel).toEqual({ from: period.from, to: period.to, bucket, series, suppressedBelow: null });
    expect(statements).toBe(1);
    expect(series.reduce((sum, row) => sum + row.count, 0)).toBe(paid.length);
  });

  it('reads the period from the index on the day paid, not the whole table', async () => {
    const plan = await planWithoutSeqScan(subgraph.db, (db) => new PaymentStore(db).paidPerPeriodAndChannel('2026-08-03', TEST_TODAY, 'week'));
    expect(plan).toContain('payments_paid_idx');
  });

  it('has payments in its ranges, so that no equality above holds as 0 = 0', () => {
    expect(payments().filter((p) => p.status === 'PAID' && p.paidOn! >= '2026-08-03').length).toBeGreaterThan(10);
  });

  it.each([
    ['to before from', { from: TEST_TODAY, to: '2026-10-01', bucket: 'WEEK' }, 'to', /must not be before from/],
    ['more than two years', { from: '2020-01-01', to: TEST_TODAY, bucket: 'MONTH' }, 'to', /longer than two years/],
  ])('refuses %s with BAD_USER_INPUT naming the argument, before any SQL', async (_name, variables, field, message) => {
    const before = subgraph.db.stats.total;
    const response = await subgraph.client.query(BY_CHANNEL, { variables });
    expect(response.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
    expect(response.errors?.[0].message).toMatch(message);
    expect(subgraph.db.stats.total - before).toBe(0);
  });

  describe('as a caller who may only count is given them', () => {
    const COUNTING_ONLY = new AggregateDisclosure({ scopes: ['aggregates:read'] }, 10);
    const group = (count: number, azn: number, usd = 0) => ({
      count,
      amounts: [
        ...(azn ? [{ amount: `${azn * 100}.00`, currency: Currency.AZN, count: azn }] : []),
        ...(usd ? [{ amount: `${usd * 50}.00`, currency: Currency.USD, count: usd }] : []),
      ],
    });

    it.each([
      ['a group at the threshold, whole', group(10, 10), { count: 10, amounts: [{ amount: '1000.00', currency: 'AZN' }] }],
      ['a group under it, withheld with its totals', group(9, 9), { count: null, amounts: null }],
      ['an empty group, withheld', group(0, 0), { count: null, amounts: null }],
      ['a currency paid fewer times than the threshold, left out', group(13, 12, 1), { count: 13, amounts: [{ amount: '1200.00', currency: 'AZN' }] }],
    ])('fines by age: %s', (_name, counted, shown) => {
      expect(discloseFinesByAge([{ minDays: 0, maxDays: 30, ...counted }], COUNTING_ONLY)).toEqual([{ minDays: 0, maxDays: 30, ...shown }]);
    });

    it('payments by channel: the same, with the threshold stated', () => {
      const disclosed = disclosePaymentsByChannel(
        { from: '2026-11-02', to: '2026-11-08', bucket: TimeBucket.WEEK, series: [{ periodStart: '2026-11-02', channel: PaymentChannel.ONLINE, ...group(11, 10, 1) }] },
        COUNTING_ONLY,
      );
      expect(disclosed).toEqual({
        from: '2026-11-02',
        to: '2026-11-08',
        bucket: 'WEEK',
        series: [{ periodStart: '2026-11-02', channel: 'ONLINE', count: 11, amounts: [{ amount: '1000.00', currency: 'AZN' }] }],
        suppressedBelow: 10,
      });
    });
  });
});
