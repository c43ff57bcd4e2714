import { addDays } from '../domain/rules';
import { DashboardDocument } from './generated/operations';
import { expectData, startGraph, TODAY, type RunningGraph } from './harness';

/**
 * The dashboards' cross-registry view: one request to three registries for counts with no personal
 * data (aggregates:read), checked against the records themselves, read as the administrator. A count
 * under AGGREGATE_MIN_COUNT (10) is withheld from the dashboard (issue 18, item 1; test/aggregates.test.ts).
 */
describe('dashboard statistics across the registries', () => {
  let graph: RunningGraph;
  beforeAll(async () => {
    graph = await startGraph({ persons: 40 });
  });
  afterAll(() => graph.stop());

  type Records = {
    persons: {
      totalCount: number;
      nodes: {
        applications: { status: string; dueOn: string | null; payments: { status: string; amount: { amount: string; currency: string } }[] }[];
        permits: { kind: string; validFrom: string; validUntil: string; status: string }[];
        outstandingFines: { amount: { amount: string; currency: string } }[];
      }[];
    };
  };

  /** Every record of the demo world, through the graph, as the administrator. */
  async function records(): Promise<Records['persons']['nodes']> {
    const { persons } = expectData(
      await graph.query(`{ persons(first: 100) { totalCount nodes {
        applications { status dueOn payments { status amount { amount currency } } }
        permits { kind validFrom validUntil status }
        outstandingFines { amount { amount currency } } } } }`),
    ) as Records;
    expect(persons.nodes).toHaveLength(persons.totalCount);
    return persons.nodes;
  }

  const total = (amounts: { amount: string; currency: string }[]) =>
    Object.entries(
      amounts.reduce<Record<string, number>>((sums, { amount, currency }) => ({ ...sums, [currency]: (sums[currency] ?? 0) + Math.round(Number(amount) * 100) }), {}),
    )
      .sort()
      .map(([currency, cents]) => ({ amount: (cents / 100).toFixed(2), currency }));

  /** Counts as the dashboard is given them: whole from the threshold up, withheld (null) under it. */
  const THRESHOLD = 10;
  const shown = (count: number) => (count >= THRESHOLD ? count : null);
  /** Totals per currency as the dashboard is given them: none when the count is withheld, and no currency totalling fewer than the threshold. */
  const shownTotal = (amounts: { amount: string; currency: string }[]) =>
    shown(amounts.length) === null ? null : total(amounts.filter((amount) => amounts.filter((other) => other.currency === amount.currency).length >= THRESHOLD));

  it('gives the internal dashboard counts from three registries in one request, equal to the records, none under the threshold', async () => {
    // The committed operation (test/operations/dashboard.graphql), so it is in the safelist too.
    const response = await graph.query(DashboardDocument, { expiringWithinDays: 90 }, await graph.caller('internal-dashboard', 'STATISTICS'));
    const { applicationStatistics, permitStatistics, paymentStatistics } = expectData(response);
    // The administrator may read the records, so it gets every count whole.
    const whole = expectData(await graph.query(DashboardDocument, { expiringWithinDays: 90 }));
    const persons = await records();
    const applications = persons.flatMap((person) => person.applications);

    expect(applicationStatistics.asOf).toBe(TODAY);
    const awaiting = applications.filter((application) => ['SUBMITTED', 'UNDER_REVIEW'].includes(application.status));
    const overdue = awaiting.filter((application) => application.dueOn !== null && application.dueOn < TODAY).length;
    const byStatus = whole.applicationStatistics.byStatus.map(({ status }) => ({ status, count: applications.filter((application) => application.status === status).length }));
    expect(whole.applicationStatistics).toEqual({ asOf: TODAY, open: awaiting.length, overdue, byStatus, suppressedBelow: null });
    expect(byStatus.reduce((sum, row) => sum + row.count, 0)).toBe(applications.length);
    expect(applicationStatistics).toEqual({
      asOf: TODAY,
      open: shown(awaiting.length),
      overdue: shown(overdue),
      byStatus: byStatus.map(({ status, count }) => ({ status, count: shown(count) })),
      suppressedBelow: THRESHOLD,
    });
    // The demo world has cases of each, so that no equality above holds as 0 = 0.
    expect([applications.length, awaiting.length, overdue].every((n) => n > 0)).toBe(true);

    const lastDay = addDays(TODAY, 89);
    const inForce = persons.flatMap((person) => person.permits).filter((permit) => permit.status !== 'REVOKED' && permit.validFrom <= TODAY && permit.validUntil >= TODAY);
    const byKind = whole.permitStatistics.byKind.map(({ kind }) => {
      const ofKind = inForce.filter((permit) => permit.kind === kind);
      return { kind, inForce: ofKind.length, expiring: ofKind.filter((permit) => permit.validUntil <= lastDay).length };
    });
    expect(whole.permitStatistics).toEqual({ asOf: TODAY, expiringWithinDays: 90, byKind, suppressedBelow: null });
    expect(byKind.some((row) => row.expiring > 0)).toBe(true);
    expect(permitStatistics).toEqual({
      asOf: TODAY,
      expiringWithinDays: 90,
      byKind: byKind.map(({ kind, inForce: counted, expiring }) => ({ kind, inForce: shown(counted), expiring: shown(expiring) })),
      suppressedBelow: THRESHOLD,
    });

    const fines = persons.flatMap((person) => person.outstandingFines);
    const duties = applications.flatMap((application) => application.payments).filter((payment) => payment.status === 'UNPAID');
    expect(whole.paymentStatistics).toEqual({
      outstandingFines: fines.length,
      outstandingFineAmounts: total(fines.map((fine) => fine.amount)),
      unpaidStateDuties: duties.length,
      unpaidStateDutyAmounts: total(duties.map((duty) => duty.amount)),
      suppressedBelow: null,
    });
    expect(fines.length * duties.length).toBeGreaterThan(0);
    expect(paymentStatistics).toEqual({
      outstandingFines: shown(fines.length),
      outstandingFineAmounts: shownTotal(fines.map((fine) => fine.amount)),
      unpaidStateDuties: shown(duties.length),
      unpaidStateDutyAmounts: shownTotal(duties.map((duty) => duty.amount)),
      suppressedBelow: THRESHOLD,
    });
  });

  it('costs one SQL statement per registry asked (and the audit record), whatever the data; asked again with nothing written, the audit record only', async () => {
    const dashboard = await graph.caller('internal-dashboard', 'STATISTICS');
    const cost = async () => {
      const before = graph.statementCount();
      expectData(await graph.query(DashboardDocument, {}, dashboard));
      return graph.statementCount() - before;
    };
    await cost();
    await graph.writeInEveryRegistry();
    expect(await cost()).toBe(3 + 1);
    expect(await cost()).toBe(1);
  });

  it('follows a new application: one more awaiting a decision', async () => {
    const dashboard = await graph.caller('internal-dashboard', 'STATISTICS');
    const open = async () => (expectData(await graph.query('{ applicationStatistics { open } }', {}, dashboard)) as any).applicationStatistics.open;
    const before = await open();
    const { persons } = expectData(await graph.query('{ persons(first: 1) { nodes { id } } }')) as any;
    const submitted = expectData(
      await graph.query(`mutation($input: SubmitApplicationInput!) { submitApplication(input: $input) { outcome } }`, {
        input: { applicantId: persons.nodes[0].id, type: 'REGISTRATION_BY_PLACE_OF_STAY', channel: 'ELECTRONIC' },
      }),
    ) as any;
    expect(submitted.submitApplication.outcome).not.toBe('REJECTED');
    expect(await open()).toBe(before + 1);
  });

  it('refuses the dashboard without a purpose as reading counts, not personal data (issue 19, item 6)', async () => {
    const { status, body } = await graph.query(DashboardDocument, { expiringWithinDays: 90 }, await graph.caller('internal-dashboard'));
    expect(status).toBe(400);
    expect(body.data).toBeUndefined();
    expect(body.errors).toEqual([
      {
        message: 'Counts over the registries (no personal data) are read for a declared purpose: send the x-dmx-purpose header with one of STATISTICS.',
        extensions: { code: 'PURPOSE_REQUIRED' },
      },
    ]);
  });

  it('refuses a window out of range with BAD_USER_INPUT, and the counts to an agency without aggregates:read', async () => {
    const dashboard = await graph.caller('internal-dashboard', 'STATISTICS');
    const refused = await graph.query('{ permitStatistics(expiringWithinDays: 0) { asOf } }', {}, dashboard);
    expect(refused.body.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(refused.body.errors?.[0].message).toMatch(/expiringWithinDays/);
    const border = await graph.query('{ applicationStatistics { open } paymentStatistics { outstandingFines } }', {}, await graph.caller('border-service', 'BORDER_CONTROL'));
    expect(border.body.errors?.map((error) => error.extensions?.code)).toEqual(['FORBIDDEN', 'FORBIDDEN']);
  });
});
