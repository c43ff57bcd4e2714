import { startSubgraphUnderTest, type SubgraphUnderTest } from '../shared/testing/subgraph-test-app';
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
          const response = await subgraph.client.query(`query($n: String!) { applicationByNumber(number: $n) { stateDuty { outcome amount { amount currency } } } }`, {
            variables: { n: application.number },
          });
          expect(response.data.applicationByNumber.stateDuty).toEqual({ outcome: 'FIXED', amount: { amount: payment.amount, currency: payment.currency } });
          compared += 1;
        }
      }
      expect(compared).toBeGreaterThan(10);
    });
  });
});
