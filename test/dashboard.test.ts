import { addDays, daysBetween } from '../domain/rules';
import { periodStartOf, seriesPeriod } from '../platform/time-series';
import { TimeBucket } from '../platform/federation/time-bucket.type';
import { DashboardApplicationsDocument, DashboardDocument, DashboardPaymentsDocument, DashboardPermitsDocument } from './generated/operations';
import { KIT_VARIABLES, operationKit } from './operation-kit';
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

  describe('the views of the dashboard page, one committed operation per registry (issue 23)', () => {
    /** The three committed operations of the page, with the variables of the partner kit. */
    const VIEWS = ['DashboardApplications', 'DashboardPermits', 'DashboardPayments'];
    /** A committed operation's text, as the page sends it (and the safelist holds it). */
    const textOf = (name: string) => operationKit().find((operation) => operation.name === name)!.text;
    const variablesOf = (name: string) => KIT_VARIABLES[name];
    /** A withheld count nulls every count under the threshold, and what goes with it. */
    const shownRow = <Row extends { count: number }>(row: Row, withheld: Partial<Record<keyof Row, null>> = {}) =>
      row.count >= THRESHOLD ? row : { ...row, count: null, ...withheld };

    it.each(VIEWS)('%s runs as the internal dashboard with purpose STATISTICS: no error, no FORBIDDEN, no personal data', async (name) => {
      const response = await graph.query(textOf(name), variablesOf(name), await graph.caller('internal-dashboard', 'STATISTICS'));
      expect({ status: response.status, errors: response.body.errors ?? [] }).toEqual({ status: 200, errors: [] });
      const answer = JSON.stringify(response.body.data);
      // Nothing that names a person, an application or a payment: ids, names, numbers, codes.
      const { persons } = expectData(
        await graph.query('{ persons(first: 100) { nodes { id surname givenName applications { id number payments { id code } } outstandingFines { id paymentCode } } } }'),
      ) as any;
      const identifiers: string[] = persons.nodes.flatMap((person: any) => [
        person.id, person.surname, person.givenName,
        ...person.applications.flatMap((application: any) => [application.id, application.number, ...application.payments.flatMap((payment: any) => [payment.id, payment.code])]),
        ...person.outstandingFines.flatMap((fine: any) => [fine.id, fine.paymentCode]),
      ]);
      expect(identifiers.length).toBeGreaterThan(100);
      expect(identifiers.filter((identifier) => identifier.length > 3 && answer.includes(`"${identifier}"`))).toEqual([]);
    });

    it('gives the applications views as the records imply, whole to a reader and withheld under the threshold to the dashboard', async () => {
      const { from, to, bucket } = variablesOf('DashboardApplications') as { from: string; to: string; bucket: TimeBucket };
      const dashboard = expectData(await graph.query(DashboardApplicationsDocument, { from, to, bucket }, await graph.caller('internal-dashboard', 'STATISTICS')));
      const whole = expectData(await graph.query(DashboardApplicationsDocument, { from, to, bucket }));
      const { persons } = expectData(
        await graph.query('{ persons(first: 100) { nodes { applications { type channel office status submittedOn dueOn } } } }'),
      ) as any;
      const applications: { type: string; channel: string; office: string | null; status: string; submittedOn: string; dueOn: string | null }[] =
        persons.nodes.flatMap((person: any) => person.applications);

      const period = seriesPeriod(from, to, bucket);
      const series = period.periodStarts.flatMap((periodStart) =>
        [...new Set(whole.submittedApplications.series.map((row) => row.type))].map((type) => ({
          periodStart,
          type,
          count: applications.filter((a) => a.type === type && a.submittedOn >= period.from && a.submittedOn <= period.to && periodStartOf(a.submittedOn, bucket) === periodStart).length,
        })),
      );
      expect(whole.submittedApplications).toEqual({ from: period.from, to: period.to, bucket, series, suppressedBelow: null });
      expect(series.some((row) => row.count > 0)).toBe(true);
      expect(dashboard.submittedApplications).toEqual({ ...whole.submittedApplications, series: series.map((row) => shownRow(row)), suppressedBelow: THRESHOLD });

      const overdue = applications.filter((a) => ['SUBMITTED', 'UNDER_REVIEW'].includes(a.status) && a.dueOn !== null && a.dueOn < TODAY);
      const group = (of: typeof overdue) => ({ count: of.length, oldestSubmittedOn: of.map((a) => a.submittedOn).sort()[0] ?? null });
      const byOffice = whole.applicationStatistics.overdueByOffice.map(({ office }) => ({ office, ...group(overdue.filter((a) => a.office === office)) }));
      const byChannel = whole.applicationStatistics.overdueByChannel.map(({ channel }) => ({ channel, ...group(overdue.filter((a) => a.channel === channel)) }));
      expect(whole.applicationStatistics).toMatchObject({ overdue: overdue.length, overdueByOffice: byOffice, overdueByChannel: byChannel });
      expect(byChannel.reduce((sum, row) => sum + row.count, 0)).toBe(overdue.length);
      expect(dashboard.applicationStatistics).toMatchObject({
        overdueByOffice: byOffice.map((row) => shownRow(row, { oldestSubmittedOn: null })),
        overdueByChannel: byChannel.map((row) => shownRow(row, { oldestSubmittedOn: null })),
        suppressedBelow: THRESHOLD,
      });
    });

    it('gives the permits views as the records imply: ending within 30, 60 and 90 days per kind', async () => {
      const dashboard = expectData(await graph.query(DashboardPermitsDocument, {}, await graph.caller('internal-dashboard', 'STATISTICS')));
      const whole = expectData(await graph.query(DashboardPermitsDocument, {}));
      const { persons } = expectData(await graph.query('{ persons(first: 100) { nodes { permits { kind validFrom validUntil status } } } }')) as any;
      const inForce = persons.nodes
        .flatMap((person: any) => person.permits)
        .filter((permit: any) => permit.status !== 'REVOKED' && permit.validFrom <= TODAY && permit.validUntil >= TODAY);
      const expiring = [30, 60, 90].flatMap((withinDays) =>
        whole.permitStatistics.byKind.map(({ kind }) => ({
          withinDays,
          kind,
          count: inForce.filter((permit: any) => permit.kind === kind && permit.validUntil <= addDays(TODAY, withinDays - 1)).length,
        })),
      );
      expect(whole.permitStatistics.expiringWithin).toEqual(expiring);
      expect(expiring.some((row) => row.count > 0)).toBe(true);
      expect(dashboard.permitStatistics).toEqual({
        asOf: TODAY,
        byKind: whole.permitStatistics.byKind.map((row) => ({ kind: row.kind, inForce: shown(row.inForce!) })),
        expiringWithin: expiring.map((row) => shownRow(row)),
        suppressedBelow: THRESHOLD,
      });
    });

    it('gives the payments views as the records imply: fines by age, and payments per channel withheld as their counts are', async () => {
      const variables = variablesOf('DashboardPayments') as { from: string; to: string; bucket: TimeBucket };
      const dashboard = expectData(await graph.query(DashboardPaymentsDocument, variables, await graph.caller('internal-dashboard', 'STATISTICS')));
      const whole = expectData(await graph.query(DashboardPaymentsDocument, variables));
      const { persons } = expectData(await graph.query('{ persons(first: 100) { nodes { outstandingFines { issuedOn amount { amount currency } } } } }')) as any;
      const fines: { issuedOn: string; amount: { amount: string; currency: string } }[] = persons.nodes.flatMap((person: any) => person.outstandingFines);
      const age = (fine: (typeof fines)[number]) => Math.max(0, daysBetween(fine.issuedOn, TODAY));
      const groups = whole.paymentStatistics.outstandingFinesByAge.map(({ minDays, maxDays }) => ({
        minDays,
        maxDays,
        amounts: fines.filter((fine) => age(fine) >= minDays && (maxDays === null || age(fine) <= maxDays)).map((fine) => fine.amount),
      }));
      const byAge = groups.map(({ minDays, maxDays, amounts }) => ({ minDays, maxDays, count: amounts.length, amounts: total(amounts) }));
      expect(whole.paymentStatistics).toMatchObject({ asOf: TODAY, outstandingFines: fines.length, outstandingFinesByAge: byAge });
      expect(byAge.map((row) => [row.minDays, row.maxDays])).toEqual([[0, 30], [31, 90], [91, 365], [366, null]]);
      expect(dashboard.paymentStatistics.outstandingFinesByAge).toEqual(
        groups.map(({ minDays, maxDays, amounts }) => ({ minDays, maxDays, count: shown(amounts.length), amounts: shownTotal(amounts) })),
      );
      const paid = whole.paymentsByChannel.series;
      expect(paid.reduce((sum, row) => sum + row.count!, 0)).toBeGreaterThan(0);
      expect(dashboard.paymentsByChannel).toEqual({
        ...whole.paymentsByChannel,
        series: paid.map((row) => (row.count! >= THRESHOLD ? row : { ...row, count: null, amounts: null })),
        suppressedBelow: THRESHOLD,
      });
    });

    it.each([
      ['DashboardApplications', 3],
      ['DashboardPermits', 2],
      ['DashboardPayments', 3],
    ])('%s costs %i SQL statements in its registry (and the audit record), whatever the data', async (name, statements) => {
      const dashboard = await graph.caller('internal-dashboard', 'STATISTICS');
      const cost = async () => {
        const before = graph.statementCount();
        expectData(await graph.query(textOf(name), variablesOf(name), dashboard));
        return graph.statementCount() - before;
      };
      await graph.writeInEveryRegistry();
      expect(await cost()).toBe(statements + 1);
    });

    it.each([
      ['to before from', '{ submittedApplications(from: "2026-11-02", to: "2026-11-01") { from } }', 'to', /to \(2026-11-01\) must not be before from/],
      ['a range over two years', '{ paymentsByChannel(from: "2024-01-01", to: "2026-11-01", bucket: MONTH) { from } }', 'to', /longer than two years/],
      ['an expiry window of 0 days', '{ permitStatistics { expiringWithin(days: [0]) { count } } }', 'days', /^days: /],
    ])('refuses %s with BAD_USER_INPUT naming the argument', async (_name, query, field, message) => {
      const { body } = await graph.query(query, {}, await graph.caller('internal-dashboard', 'STATISTICS'));
      expect(body.errors?.[0]).toMatchObject({ extensions: expect.objectContaining({ code: 'BAD_USER_INPUT', field }) });
      expect(body.errors?.[0].message).toMatch(message);
    });

    it('refuses a bucket that is no TimeBucket, and the series to an agency without aggregates:read', async () => {
      const day = await graph.query('{ submittedApplications(from: "2026-11-02", to: "2026-11-02", bucket: DAY) { from } }', {}, await graph.caller('internal-dashboard', 'STATISTICS'));
      expect(day.body.errors?.[0].extensions?.code).toMatch(/BAD_USER_INPUT|GRAPHQL_VALIDATION_FAILED/);
      expect(day.body.errors?.[0].message).toMatch(/TimeBucket/);
      const border = await graph.query(
        '{ submittedApplications(from: "2026-11-02", to: "2026-11-02") { from } paymentsByChannel(from: "2026-11-02", to: "2026-11-02") { from } }',
        {},
        await graph.caller('border-service', 'BORDER_CONTROL'),
      );
      expect(border.body.errors?.map((error) => error.extensions?.code)).toEqual(['FORBIDDEN', 'FORBIDDEN']);
    });
  });
});
