import { startSubgraphUnderTest, type SubgraphUnderTest } from '../../platform/testing/subgraph-test-app';
import { applicationsSubgraph } from './app';

describe('applications subgraph', () => {
  let subgraph: SubgraphUnderTest;
  beforeAll(async () => {
    subgraph = await startSubgraphUnderTest(applicationsSubgraph, 80);
  });
  afterAll(() => subgraph.close());

  const applications = () => subgraph.histories.flatMap((h) => h.applications);

  it('tracks an application by its public number (PAY-01), whatever the case of the input', async () => {
    const application = applications().find((a) => a.decidedOn !== null)!;
    const response = await subgraph.client.query(
      `query($n: String!) { applicationByNumber(number: $n) { id number type status submittedOn applicant { id }
         channel office ground requestedDurationMonths decision { outcome decidedOn note } } }`,
      { variables: { n: ` ${application.number.toLowerCase()} ` } },
    );
    expect(response.errors).toBeUndefined();
    expect(response.data.applicationByNumber).toEqual({
      id: application.id,
      number: application.number,
      type: application.type,
      status: application.status,
      submittedOn: application.submittedOn,
      applicant: { id: application.applicantId },
      channel: application.channel,
      office: application.office,
      ground: application.ground,
      requestedDurationMonths: application.requestedDurationMonths,
      decision: { outcome: application.status, decidedOn: application.decidedOn, note: application.decisionNote },
    });
  });

  it('computes the due date in working days at intake (WP-04, CAL-01): after submission, never on a weekend', async () => {
    const workPermits = applications().filter((a) => a.type === 'WORK_PERMIT' && a.submittedOn >= '2024-01-01');
    expect(workPermits.length).toBeGreaterThan(0);
    for (const application of workPermits) {
      const response = await subgraph.client.query(`query($n: String!) { applicationByNumber(number: $n) { dueOn } }`, {
        variables: { n: application.number },
      });
      const dueOn: string = response.data.applicationByNumber.dueOn;
      expect(dueOn > application.submittedOn).toBe(true);
      expect([0, 6]).not.toContain(new Date(`${dueOn}T00:00:00Z`).getUTCDay());
    }
  });

  it('lists a person’s applications through _entities, oldest first', async () => {
    const history = subgraph.histories.find((h) => h.applications.length > 1)!;
    const response = await subgraph.client.query(
      `query($r: [_Any!]!) { _entities(representations: $r) { ... on Person { id applications { number submittedOn } } } }`,
      { variables: { r: [{ __typename: 'Person', id: history.person.id }] } },
    );
    const listed = response.data._entities[0].applications;
    expect(listed.map((a: { number: string }) => a.number).sort()).toEqual(history.applications.map((a) => a.number).sort());
    const dates = listed.map((a: { submittedOn: string }) => a.submittedOn);
    expect([...dates].sort()).toEqual(dates);
  });

  it('refuses a malformed tracking number', async () => {
    const response = await subgraph.client.query('{ applicationByNumber(number: "WP 2025") { id } }');
    expect(response.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  });

  describe('the law as data', () => {
    it('lists the whole rules catalog with citations, and filters it by prefix', async () => {
      const all = await subgraph.client.query('{ rules { id title { az en } citation } }');
      const ids = all.data.rules.map((rule: { id: string }) => rule.id);
      for (const id of ['STAY-01', 'REG-02', 'WP-EX-21', 'PR-RF-16', 'CIT-05', 'CAL-01', 'F1']) expect(ids).toContain(id);
      for (const rule of all.data.rules) {
        expect(rule.citation.length).toBeGreaterThan(0);
        expect(rule.title.az.length).toBeGreaterThan(0);
      }
      const refusals = await subgraph.client.query('{ rules(idPrefix: "pr-rf") { id } }');
      expect(refusals.data.rules).toHaveLength(16);
    });

    it('shows a parameter with its seed value and the published practice (REG-02: 10 days, practice 15)', async () => {
      const response = await subgraph.client.query('{ rule(id: "REG-02") { id parameters { name value variant effectiveFrom citation } } }');
      const values = response.data.rule.parameters.map((p: { value: string; variant: string }) => [p.variant, JSON.parse(p.value)]);
      expect(values).toContainEqual(['SEED', 10]);
      expect(values).toContainEqual(['PUBLISHED_PRACTICE', 15]);
      const unknown = await subgraph.client.query('{ rule(id: "XX-99") { id } }');
      expect(unknown.data.rule).toBeNull();
    });

    it.each([
      ['WORK_PERMIT', 12, 20, 'FIXED', '1000.00', 'AZN', 'WP-06'],
      ['WORK_PERMIT', 3, 10, 'FIXED', '700.00', 'AZN', 'WP-06'],
      ['WORK_PERMIT', 6, 15, 'FIXED', '700.00', 'AZN', 'WP-06'],
      ['TEMPORARY_RESIDENCE', 12, 15, 'FIXED', '160.00', 'AZN', 'TRP-03'],
      ['TEMPORARY_RESIDENCE', 36, 20, 'FIXED', '360.00', 'AZN', 'TRP-03'],
      ['E_VISA', null, null, 'FIXED', '20.00', 'USD', 'VISA-02'],
    ])('quotes the state duty: %s for %s months in %s working days', async (type, months, days, outcome, amount, currency, ruleId) => {
      const response = await subgraph.client.query(
        `query($t: ApplicationType!, $m: Int, $d: Int) { stateDuty(applicationType: $t, durationMonths: $m, processingWorkingDays: $d) {
           outcome amount { amount currency } reasons { ruleId } } }`,
        { variables: { t: type, m: months, d: days } },
      );
      expect(response.errors).toBeUndefined();
      expect(response.data.stateDuty).toMatchObject({ outcome, amount: { amount, currency } });
      expect(response.data.stateDuty.reasons.map((r: { ruleId: string }) => r.ruleId)).toContain(ruleId);
    });

    it('gives the citizenship duty as the published range (CIT-05)', async () => {
      const response = await subgraph.client.query('{ stateDuty(applicationType: CITIZENSHIP_ADMISSION) { outcome amount { amount } range { min max currency } } }');
      expect(response.data.stateDuty).toEqual({ outcome: 'RANGE', amount: null, range: { min: '50.00', max: '1000.00', currency: 'AZN' } });
    });

    it.each([
      ['a processing time that is not a tier', 'stateDuty(applicationType: WORK_PERMIT, durationMonths: 12, processingWorkingDays: 12)', /WP-06/],
      ['a duration beyond the table', 'stateDuty(applicationType: WORK_PERMIT, durationMonths: 24, processingWorkingDays: 20)', /WP-06/],
      ['a duration of no months', 'stateDuty(applicationType: TEMPORARY_RESIDENCE, durationMonths: 0, processingWorkingDays: 20)', /durationMonths/],
    ])('refuses %s with BAD_USER_INPUT and the rule in the message', async (_name, field, message) => {
      const response = await subgraph.client.query(`{ ${field} { outcome } }`);
      expect(response.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
      expect(response.errors?.[0].message).toMatch(message);
    });

    it("states each application's duty as the payments registry bills it", async () => {
      let compared = 0;
      for (const history of subgraph.histories) {
        for (const payment of history.payments.filter((p) => p.purpose === 'STATE_DUTY')) {
          const application = history.applications.find((a) => a.id === payment.applicationId)!;
          const response = await subgraph.client.query(
            `query($n: String!) { applicationByNumber(number: $n) { stateDuty { outcome amount { amount currency } range { min max currency } } } }`,
            { variables: { n: application.number } },
          );
          const duty = response.data.applicationByNumber.stateDuty;
          if (duty.outcome === 'FIXED') {
            expect(duty.amount).toEqual({ amount: payment.amount, currency: payment.currency });
          } else {
            // PAY-04: an open amount is billed once an officer has assessed it: within the range where there is one.
            expect(application.status).toBe('ISSUED');
            expect(duty.outcome === 'UNKNOWN' || (Number(duty.range.min) <= Number(payment.amount) && Number(payment.amount) <= Number(duty.range.max))).toBe(true);
          }
          compared += 1;
        }
      }
      expect(compared).toBeGreaterThan(10);
    });
  });

  describe('Query.deadline: CAL-01 for any submission day the calendar covers', () => {
    const deadline = (variables: Record<string, unknown>) =>
      subgraph.client.query(
        `query($type: ApplicationType!, $on: Date!, $days: Int) { deadline(applicationType: $type, submittedOn: $on, processingWorkingDays: $days) {
           submittedOn dueOn processingWorkingDays reasons { ruleId } } }`,
        { variables },
      );

    it.each([
      // Novruz 2027: 22-24 March off, and its weekend days 20-21 March carried to 25-26 March.
      ['a work permit (WP-04) submitted just before Novruz', 'WORK_PERMIT', '2027-03-17', null, '2027-04-21', 20, 'WP-04'],
      ['an e-Visa (VISA-02) submitted the Friday before Novruz', 'E_VISA', '2027-03-19', null, '2027-03-31', 3, 'VISA-02'],
      // 8 November 2026 (Victory Day) is a Sunday: carried to Tuesday 10 November, after the Flag Day on the 9th.
      ['a work permit on the 10-day tier', 'WORK_PERMIT', '2026-11-02', 10, '2026-11-18', 10, 'WP-04'],
      ['a residence permit (TRP-03) across the new year', 'TEMPORARY_RESIDENCE', '2025-12-25', null, '2026-02-11', 30, 'TRP-03'],
    ])('%s', async (_name, type, on, days, dueOn, processingWorkingDays, ruleId) => {
      const response = await deadline({ type, on, days });
      expect(response.errors).toBeUndefined();
      expect(response.data.deadline).toEqual({ submittedOn: on, dueOn, processingWorkingDays, reasons: [{ ruleId }, { ruleId: 'CAL-01' }] });
    });

    it('gives no due date where the seeds set none', async () => {
      const response = await deadline({ type: 'CITIZENSHIP_ADMISSION', on: '2026-05-04' });
      expect(response.data.deadline).toMatchObject({ dueOn: null, processingWorkingDays: null, reasons: [{ ruleId: 'CAL-01' }] });
    });

    it.each([
      ['a day beyond the calendar\'s years', { type: 'WORK_PERMIT', on: '2031-01-10' }, 'submittedOn', /does not cover 2031 \(covers 2024, 2025, 2026, 2027\)/],
      ['a processing time that is not a tier', { type: 'WORK_PERMIT', on: '2026-11-02', days: 12 }, 'processingWorkingDays', /tiers: 10, 15, 20/],
      ['a processing time out of bounds', { type: 'E_VISA', on: '2026-11-02', days: 0 }, 'processingWorkingDays', /from 1 to 250/],
    ])('refuses %s with BAD_USER_INPUT naming the field', async (_name, variables, field, message) => {
      const response = await deadline(variables);
      expect(response.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
      expect(response.errors?.[0].message).toMatch(message);
    });
  });
});
