import { randomUUID } from 'node:crypto';
import { addDays } from '../domain/rules';
import { DashboardPresenceDocument, type DashboardPresenceQuery } from './generated/operations';
import { eventually, expectData, startGraph, TODAY, type RunningGraph } from './harness';
import { measureDashboard } from '../bench/dashboard.bench';

type Statistics = DashboardPresenceQuery['presenceStatistics'];

interface PersonStatus {
  id: string;
  citizenship: string | null;
  legalStatus: { outcome: string; overstayDays: number; registration: { overdue: boolean } | null } | null;
}

const BANDS = [
  { minDays: 1, maxDays: 30 },
  { minDays: 31, maxDays: 90 },
  { minDays: 91, maxDays: 180 },
  { minDays: 181, maxDays: 365 },
  { minDays: 366, maxDays: null },
];

/** The presence statistics as evaluating `legalStatus` for every person gives them (every count whole). */
function expectedFrom(persons: readonly PersonStatus[]) {
  const present = persons.filter((person) => person.legalStatus!.outcome !== 'NOT_PRESENT');
  const overstaying = present.filter((person) => person.legalStatus!.outcome === 'UNLAWFUL');
  const byCitizenship = (group: readonly PersonStatus[]) => {
    const counts = new Map<string | null, number>();
    for (const person of group) counts.set(person.citizenship, (counts.get(person.citizenship) ?? 0) + 1);
    return [...counts].map(([citizenship, count]) => ({ citizenship, count })).sort((a, b) => b.count - a.count || (a.citizenship ?? '').localeCompare(b.citizenship ?? ''));
  };
  return {
    present: present.length,
    presentByCitizenship: byCitizenship(present),
    overstaying: overstaying.length,
    overstayingByCitizenship: byCitizenship(overstaying),
    overstayingByLength: BANDS.map((band) => ({
      ...band,
      count: overstaying.filter(({ legalStatus }) => legalStatus!.overstayDays >= band.minDays && (band.maxDays === null || legalStatus!.overstayDays <= band.maxDays)).length,
    })),
    registrationOverdue: present.filter((person) => person.legalStatus!.registration?.overdue).length,
  };
}

/**
 * The presence statistics (issue 23): counted from the status the permits registry keeps per person,
 * they equal what evaluating `legalStatus` for every person gives, today and on a later day, and follow
 * a recorded crossing or permit within the refresher's pause.
 */
describe('presence statistics from the maintained presence status', () => {
  let graph: RunningGraph;
  let now = new Date(`${TODAY}T09:00:00+04:00`);
  const dashboard = async () => graph.caller('internal-dashboard', 'STATISTICS');

  beforeAll(async () => {
    // Every count whole (threshold 1), so that each one is compared, not only those over 10.
    graph = await startGraph({ persons: 100, presence: { intervalMs: 100 }, clock: () => now, aggregateMinCount: 1 });
    // Seeding four registries and filling the status takes a while on a busy machine.
  }, 600_000);
  afterAll(() => graph?.stop());

  async function statistics(): Promise<Statistics> {
    return expectData(await graph.query(DashboardPresenceDocument, {}, await dashboard())).presenceStatistics;
  }

  /** The statistics once the status has taken in everything recorded before `since` (a pass that began after it has ended). */
  async function statisticsAfter(since: Date): Promise<Statistics> {
    return eventually(async () => {
      const answer = await statistics();
      return new Date(answer.statusAsOf) > since ? answer : null;
    }, 'the presence status to catch up', 60_000);
  }

  async function everyPerson(): Promise<PersonStatus[]> {
    const found: PersonStatus[] = [];
    let after: string | null = null;
    do {
      const { persons }: { persons: { nodes: PersonStatus[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } } } = expectData(
        await graph.query(
          `query($after: String) { persons(first: 50, after: $after) {
            nodes { id citizenship legalStatus { outcome overstayDays registration { overdue } } }
            pageInfo { hasNextPage endCursor } } }`,
          { after },
        ),
      );
      found.push(...persons.nodes);
      after = persons.pageInfo.hasNextPage ? persons.pageInfo.endCursor : null;
    } while (after);
    return found;
  }

  const counted = ({ asOf: _asOf, statusAsOf: _statusAsOf, suppressedBelow: _suppressedBelow, ...counts }: Statistics) => counts;

  it('equals evaluating legalStatus for every person of the demo world, today', async () => {
    const answer = await statisticsAfter(new Date(0));
    const persons = await everyPerson();
    expect(answer.asOf).toBe(TODAY);
    expect(answer.suppressedBelow).toBe(1);
    expect(counted(answer)).toEqual(expectedFrom(persons));
    // The demo world has present, overstaying and overdue persons, or the comparison would prove little.
    expect(answer.present).toBeGreaterThan(10);
    expect(answer.overstaying).toBeGreaterThan(0);
    expect(answer.registrationOverdue).toBeGreaterThan(0);
  });

  it('costs the same two SQL statements whatever the number of persons', async () => {
    const permits = graph.subgraphs.permits!.db;
    const refresher = /^(presence\.(markDue|feedState|takeFeedPage|claimChanged|releaseClaims|saveSummaries)|permits\.byHolderIds)$/;
    const before = new Map(permits.stats.byName);
    await statistics();
    const sent = [...permits.stats.byName].filter(([name, count]) => !refresher.test(name) && count > (before.get(name) ?? 0)).map(([name, count]) => [name, count - (before.get(name) ?? 0)]);
    expect(Object.fromEntries(sent)).toEqual({ 'presence.counts': 1, 'presence.statusAsOf': 1 });
  });

  it("gives the benchmark's measurement of the dashboard page (bench/dashboard.bench.ts) every request of the page answered whole", async () => {
    const result = await measureDashboard(graph.gatewayUrl, await dashboard(), 100, { requests: 5, now: new Date(`${TODAY}T09:00:00+04:00`) });
    expect(result.present).toBe((await statistics()).present);
    expect(result.range).toEqual({ from: addDays(TODAY, -83), to: TODAY, bucket: 'WEEK' });
    expect(result.operations.map(({ name, requests }) => [name, requests])).toEqual([
      ['DashboardApplications', 5], ['DashboardPermits', 5], ['DashboardPayments', 5], ['DashboardPresence', 5],
    ]);
    expect(result.page).toMatchObject({ name: 'the page (4 requests at once)', requests: 5 });
    for (const timed of [...result.operations, result.page]) expect(timed.p99Ms).toBeLessThanOrEqual(timed.maxMs);
  });

  it('follows a recorded crossing and a recorded permit within a refresher pass', async () => {
    const persons = await everyPerson();
    const before = await statisticsAfter(new Date());
    // A visa-bound person arrives today: present, and without a visa unlawfully so.
    const visitor = persons.find((person) => person.legalStatus!.outcome === 'NOT_PRESENT' && person.citizenship === 'IND') ?? persons.find((person) => person.legalStatus!.outcome === 'NOT_PRESENT')!;
    expectData(
      await graph.query(`mutation($input: BorderCrossingInput!) { recordBorderCrossing(input: $input) { id } }`, {
        input: { id: randomUUID(), personId: visitor.id, direction: 'ENTRY', date: TODAY, checkpoint: 'GYD_HEYDAR_ALIYEV_AIRPORT' },
      }),
    );
    const arrived = await statisticsAfter(new Date());
    expect(arrived.present).toBe(before.present! + 1);
    expect(counted(arrived)).toEqual(expectedFrom(await everyPerson()));

    // A person overstaying gets a temporary residence permit from today: lawful again.
    const overstayer = (await everyPerson()).find((person) => person.legalStatus!.outcome === 'UNLAWFUL')!;
    expectData(
      await graph.query(`mutation($input: HistoricalPermitInput!) { recordHistoricalPermit(input: $input) { id } }`, {
        input: {
          holderId: overstayer.id, kind: 'TEMPORARY_RESIDENCE_PERMIT', issuedOn: TODAY, validFrom: TODAY, validUntil: addDays(TODAY, 364),
          sourceDocumentKind: 'PERMIT_COPY', sourceDocumentNumber: 'TEST-1', idempotencyKey: `presence-test-${overstayer.id}`,
        },
      }),
    );
    const lawful = await statisticsAfter(new Date());
    expect(lawful.overstaying).toBe(arrived.overstaying! - 1);
    expect(counted(lawful)).toEqual(expectedFrom(await everyPerson()));
  });

  it('equals legalStatus again on a later day with nothing recorded meanwhile (the summaries that fell due evaluated again)', async () => {
    const later = addDays(TODAY, 45);
    const moved = new Date();
    now = new Date(`${later}T09:00:00+04:00`);
    const answer = await statisticsAfter(moved);
    expect(answer.asOf).toBe(later);
    expect(counted(answer)).toEqual(expectedFrom(await everyPerson()));
  });
});
