import { AggregateDisclosure } from '../../platform/aggregates';
import { demoRules } from '../../demo/demo-rules';
import { TimeBucket } from '../../platform/federation/time-bucket.type';
import { dayOfWeek } from '../../domain/rules/dates';
import { startSubgraphUnderTest, TEST_TODAY, type SubgraphUnderTest } from '../../platform/testing/subgraph-test-app';
import { periodStartOf, seriesPeriod } from '../../platform/time-series';
import { planWithoutSeqScan } from '../../platform/testing/query-plan';
import { applicationsSubgraph } from './app';
import { ApplicationStore } from './application.store';
import { discloseOverdue, discloseSubmittedApplications } from './application-statistics.type';
import { ApplicationChannel, ApplicationType, RegionalMigrationOffice } from './application.type';

/**
 * The dashboard's statistics of the applications registry (issue 23), each one SQL statement, checked
 * against the demo histories the database was seeded with; and what a caller who may only count is
 * given of them (issue 18, item 1).
 */
describe('applications statistics for the dashboard', () => {
  let subgraph: SubgraphUnderTest;
  beforeAll(async () => {
    subgraph = await startSubgraphUnderTest(applicationsSubgraph, 80);
  });
  afterAll(() => subgraph.close());

  /** The demo applications with the due date the registry was seeded with (CAL-01). */
  const applications = () =>
    subgraph.histories.flatMap((h) => h.applications).map((a) => ({ ...a, dueOn: demoRules.dueDate(a.type, a.submittedOn, a.processingWorkingDays) }));
  /** Runs a query, failing on any error, and says how many SQL statements it cost. */
  const measured = async (query: string, variables: Record<string, unknown> = {}) => {
    const before = subgraph.db.stats.total;
    const response = await subgraph.client.query(query, { variables });
    expect(response.errors).toBeUndefined();
    return { data: response.data, statements: subgraph.db.stats.total - before };
  };
  const COUNTING_ONLY = new AggregateDisclosure({ scopes: ['aggregates:read'] }, 10);

  describe('submittedApplications', () => {
    const SUBMITTED = `query($from: Date!, $to: Date!, $bucket: TimeBucket!) {
      submittedApplications(from: $from, to: $to, bucket: $bucket) { from to bucket series { periodStart type count } suppressedBelow } }`;

    it.each([
      ['weeks of the last quarter', '2026-08-03', TEST_TODAY, TimeBucket.WEEK],
      ['months of two years', '2024-11-03', TEST_TODAY, TimeBucket.MONTH],
      ['a range that starts and ends mid-week', '2026-01-01', '2026-03-31', TimeBucket.WEEK],
      ['a single day', TEST_TODAY, TEST_TODAY, TimeBucket.MONTH],
    ])('counts %s per type, equal to the histories, every period and type listed, in one statement', async (_name, from, to, bucket) => {
      const { data, statements } = await measured(SUBMITTED, { from, to, bucket });
      const period = seriesPeriod(from, to, bucket);
      const counted = applications().filter((a) => a.submittedOn >= period.from && a.submittedOn <= period.to);
      const series = period.periodStarts.flatMap((periodStart) =>
        Object.values(ApplicationType).map((type) => ({
          periodStart,
          type,
          count: counted.filter((a) => a.type === type && periodStartOf(a.submittedOn, bucket) === periodStart).length,
        })),
      );
      expect(data.submittedApplications).toEqual({ from: period.from, to: period.to, bucket, series, suppressedBelow: null });
      expect(statements).toBe(1);
      // Whole periods: weeks from Monday, months from the 1st; and every application of the range counted once.
      for (const row of series) expect(bucket === TimeBucket.WEEK ? dayOfWeek(row.periodStart) : Number(row.periodStart.slice(8))).toBe(1);
      expect(series.reduce((sum, row) => sum + row.count, 0)).toBe(counted.length);
    });

    it('has data to count in its ranges, so that no equality above holds as 0 = 0', () => {
      expect(applications().filter((a) => a.submittedOn >= '2024-11-01').length).toBeGreaterThan(100);
    });

    it('gives a caller who may only count no count under the threshold, and the others whole', async () => {
      const { data } = await measured(SUBMITTED, { from: '2024-11-03', to: TEST_TODAY, bucket: 'MONTH' });
      const disclosed = discloseSubmittedApplications(data.submittedApplications, COUNTING_ONLY);
      expect(disclosed.suppressedBelow).toBe(10);
      expect(disclosed.series).toEqual(data.submittedApplications.series.map((row: { count: number }) => ({ ...row, count: row.count >= 10 ? row.count : null })));
      expect(disclosed.series.some((row) => row.count === null)).toBe(true);
    });

    it.each([
      ['to before from', { from: TEST_TODAY, to: '2026-11-01', bucket: 'WEEK' }, 'to', /must not be before from/],
      ['more than two years', { from: '2024-01-01', to: TEST_TODAY, bucket: 'MONTH' }, 'to', /longer than two years/],
      ['a day before 1900', { from: '1899-06-01', to: '1900-01-01', bucket: 'MONTH' }, 'from', /1900-01-01 or later/],
    ])('refuses %s with BAD_USER_INPUT naming the argument, before any SQL', async (_name, variables, field, message) => {
      const before = subgraph.db.stats.total;
      const response = await subgraph.client.query(SUBMITTED, { variables });
      expect(response.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
      expect(response.errors?.[0].message).toMatch(message);
      expect(subgraph.db.stats.total - before).toBe(0);
    });

    it('reads the period from the index on the day submitted, not the whole table', async () => {
      const plan = await planWithoutSeqScan(subgraph.db, (db) => new ApplicationStore(db).submittedPerPeriod('2026-08-03', TEST_TODAY, 'week'));
      expect(plan).toContain('applications_submitted_idx');
    });
  });

  describe('overdue applications by office and by channel (CAL-01)', () => {
    const OVERDUE = `{ applicationStatistics { asOf overdue
      overdueByOffice { office count oldestSubmittedOn } overdueByChannel { channel count oldestSubmittedOn } } }`;
    const overdue = () =>
      applications().filter((a) => ['SUBMITTED', 'UNDER_REVIEW'].includes(a.status) && a.dueOn !== null && a.dueOn < TEST_TODAY);
    const group = (of: ReturnType<typeof overdue>) => ({
      count: of.length,
      oldestSubmittedOn: of.length ? of.map((a) => a.submittedOn).sort()[0] : null,
    });

    it('groups the overdue applications the histories imply, every office and channel listed, with the oldest, in two statements', async () => {
      const { data, statements } = await measured(OVERDUE);
      const expected = overdue();
      expect(expected.length).toBeGreaterThan(0);
      expect(data.applicationStatistics).toEqual({
        asOf: TEST_TODAY,
        overdue: expected.length,
        overdueByOffice: Object.values(RegionalMigrationOffice).map((office) => ({ office, ...group(expected.filter((a) => a.office === office)) })),
        overdueByChannel: Object.values(ApplicationChannel).map((channel) => ({ channel, ...group(expected.filter((a) => a.channel === channel)) })),
      });
      // The counts per status, and one statement for both groupings.
      expect(statements).toBe(2);
      expect(data.applicationStatistics.overdueByChannel.reduce((sum: number, row: { count: number }) => sum + row.count, 0)).toBe(expected.length);
    });

    it('costs no statement for the groupings when they are not asked', async () => {
      expect((await measured('{ applicationStatistics { open overdue } }')).statements).toBe(1);
    });

    it('withholds from a caller who may only count the oldest day with its count', async () => {
      const groups = [
        { channel: ApplicationChannel.ELECTRONIC, count: 12, oldestSubmittedOn: '2025-01-02' },
        { channel: ApplicationChannel.POST, count: 3, oldestSubmittedOn: '2025-02-03' },
        { channel: ApplicationChannel.CONSULATE, count: 0, oldestSubmittedOn: null },
      ];
      expect(discloseOverdue(groups, COUNTING_ONLY)).toEqual([
        { channel: 'ELECTRONIC', count: 12, oldestSubmittedOn: '2025-01-02' },
        { channel: 'POST', count: null, oldestSubmittedOn: null },
        { channel: 'CONSULATE', count: null, oldestSubmittedOn: null },
      ]);
      expect(discloseOverdue(groups, new AggregateDisclosure({ scopes: ['aggregates:read', 'applications:read'] }, 10))).toEqual(groups);
    });
  });
});
