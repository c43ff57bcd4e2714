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
});
