import { AggregateDisclosure } from '../../platform/aggregates';
import { addDays } from '../../domain/rules/dates';
import { startSubgraphUnderTest, TEST_TODAY, type SubgraphUnderTest } from '../../platform/testing/subgraph-test-app';
import { permitsSubgraph } from './app';
import { disclosePermitExpiry } from './permit-statistics.type';
import { PermitKind } from './permit.type';

/**
 * The dashboard's expiry windows of the permits registry (issue 23): per kind, the permits in force
 * today that end within each of several windows, in one SQL statement, checked against the demo
 * histories; and what a caller who may only count is given of them (issue 18, item 1).
 */
describe('permits statistics: expiring within windows', () => {
  let subgraph: SubgraphUnderTest;
  beforeAll(async () => {
    subgraph = await startSubgraphUnderTest(permitsSubgraph, 80);
  });
  afterAll(() => subgraph.close());

  const EXPIRING = `query($days: [Int!]!) { permitStatistics { asOf byKind { kind inForce } expiringWithin(days: $days) { withinDays kind count } } }`;
  const inForce = () =>
    subgraph.histories.flatMap((h) => h.permits).filter((p) => p.revokedOn === null && p.validFrom <= TEST_TODAY && p.validUntil >= TEST_TODAY);

  it.each([
    ['the page’s 30, 60 and 90 days', [30, 60, 90]],
    ['windows asked in any order', [365, 7]],
    ['today alone', [1]],
  ])('counts %s per kind, equal to the histories, in one statement besides the counts in force', async (_name, days) => {
    const before = subgraph.db.stats.total;
    const response = await subgraph.client.query(EXPIRING, { variables: { days } });
    expect(response.errors).toBeUndefined();
    expect(subgraph.db.stats.total - before).toBe(2);
    const expected = [...days].sort((a, b) => a - b).flatMap((withinDays) =>
      Object.values(PermitKind).map((kind) => ({
        withinDays,
        kind,
        count: inForce().filter((p) => p.kind === kind && p.validUntil <= addDays(TEST_TODAY, withinDays - 1)).length,
      })),
    );
    expect(response.data.permitStatistics.expiringWithin).toEqual(expected);
    // A window is a share of what is in force, and a wider one holds the narrower.
    for (const row of expected) {
      const ofKind = response.data.permitStatistics.byKind.find((kind: { kind: string }) => kind.kind === row.kind);
      expect(row.count).toBeLessThanOrEqual(ofKind.inForce);
    }
  });

  it('has permits ending in the page’s windows, so that no equality above holds as 0 = 0', () => {
    expect(inForce().filter((p) => p.validUntil <= addDays(TEST_TODAY, 89)).length).toBeGreaterThan(0);
  });

  it('defaults to the next 30, 60 and 90 days, and costs nothing when not asked', async () => {
    const response = await subgraph.client.query('{ permitStatistics { expiringWithin { withinDays } } }');
    expect([...new Set(response.data.permitStatistics.expiringWithin.map((row: { withinDays: number }) => row.withinDays))]).toEqual([30, 60, 90]);
    const before = subgraph.db.stats.total;
    await subgraph.client.query('{ permitStatistics { byKind { inForce } } }');
    expect(subgraph.db.stats.total - before).toBe(1);
  });

  it.each([
    ['no window', []],
    ['a window of 0 days', [0, 30]],
    ['a window over a year', [30, 367]],
    ['a window twice', [30, 30]],
    ['too many windows', [1, 2, 3, 4, 5, 6, 7]],
  ])('refuses %s with BAD_USER_INPUT naming days', async (_name, days) => {
    const response = await subgraph.client.query(EXPIRING, { variables: { days } });
    expect(response.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'days' });
    expect(response.errors?.[0].message).toMatch(/^days: /);
  });

  it('gives a caller who may only count no count under the threshold', () => {
    const counts = [
      { withinDays: 30, kind: PermitKind.WORK_PERMIT, count: 9 },
      { withinDays: 60, kind: PermitKind.WORK_PERMIT, count: 10 },
    ];
    expect(disclosePermitExpiry(counts, new AggregateDisclosure({ scopes: ['aggregates:read'] }, 10))).toEqual([
      { withinDays: 30, kind: 'WORK_PERMIT', count: null },
      { withinDays: 60, kind: 'WORK_PERMIT', count: 10 },
    ]);
    expect(disclosePermitExpiry(counts, new AggregateDisclosure({ scopes: ['permits:read'] }, 10))).toEqual(counts);
  });
});
