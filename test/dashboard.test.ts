import { addDays } from '../subgraphs/shared/rules';
import { DashboardDocument } from './generated/operations';
import { expectData, startGraph, TODAY, type RunningGraph } from './harness';

/**
 * The dashboards' cross-registry view: one request to three registries for counts with no personal
 * data (aggregates:read), checked against the records themselves, read as the administrator.
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

  it('gives the internal dashboard counts from three registries in one request, equal to the records', async () => {
    // The committed operation (test/operations/dashboard.graphql), so it is in the safelist too.
    const response = await graph.query(DashboardDocument, { expiringWithinDays: 90 }, await graph.caller('internal-dashboard', 'STATISTICS'));
    const { applicationStatistics, permitStatistics, paymentStatistics } = expectData(response);
    const persons = await records();
    const applications = persons.flatMap((person) => person.applications);

    expect(applicationStatistics.asOf).toBe(TODAY);
    const awaiting = applications.filter((application) => ['SUBMITTED', 'UNDER_REVIEW'].includes(application.status));
    expect(applicationStatistics.open).toBe(awaiting.length);
    expect(applicationStatistics.overdue).toBe(awaiting.filter((application) => application.dueOn !== null && application.dueOn < TODAY).length);
    for (const { status, count } of applicationStatistics.byStatus) {
      expect(count).toBe(applications.filter((application) => application.status === status).length);
    }
    expect(applicationStatistics.byStatus.reduce((sum, row) => sum + row.count, 0)).toBe(applications.length);
    // The demo world has cases of each, so that no equality above holds as 0 = 0.
    expect([applications.length, awaiting.length, applicationStatistics.overdue].every((n) => n > 0)).toBe(true);

    const lastDay = addDays(TODAY, 89);
    const inForce = persons.flatMap((person) => person.permits).filter((permit) => permit.status !== 'REVOKED' && permit.validFrom <= TODAY && permit.validUntil >= TODAY);
    expect(permitStatistics).toMatchObject({ asOf: TODAY, expiringWithinDays: 90 });
    for (const { kind, inForce: counted, expiring } of permitStatistics.byKind) {
      const ofKind = inForce.filter((permit) => permit.kind === kind);
      expect([kind, counted, expiring]).toEqual([kind, ofKind.length, ofKind.filter((permit) => permit.validUntil <= lastDay).length]);
    }
    expect(permitStatistics.byKind.some((row) => row.expiring > 0)).toBe(true);

    const fines = persons.flatMap((person) => person.outstandingFines);
    const duties = applications.flatMap((application) => application.payments).filter((payment) => payment.status === 'UNPAID');
    expect(paymentStatistics).toEqual({
      outstandingFines: fines.length,
      outstandingFineAmounts: total(fines.map((fine) => fine.amount)),
      unpaidStateDuties: duties.length,
      unpaidStateDutyAmounts: total(duties.map((duty) => duty.amount)),
    });
    expect(fines.length * duties.length).toBeGreaterThan(0);
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

  it('refuses a window out of range with BAD_USER_INPUT, and the counts to an agency without aggregates:read', async () => {
    const dashboard = await graph.caller('internal-dashboard', 'STATISTICS');
    const refused = await graph.query('{ permitStatistics(expiringWithinDays: 0) { asOf } }', {}, dashboard);
    expect(refused.body.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(refused.body.errors?.[0].message).toMatch(/expiringWithinDays/);
    const border = await graph.query('{ applicationStatistics { open } paymentStatistics { outstandingFines } }', {}, await graph.caller('border-service', 'BORDER_CONTROL'));
    expect(border.body.errors?.map((error) => error.extensions?.code)).toEqual(['FORBIDDEN', 'FORBIDDEN']);
  });
});
