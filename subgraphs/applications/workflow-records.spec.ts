import { CLAIMS_HEADER, encodeClaims } from '../shared/context';
import { DATABASE_TARGETS, EVERY_SCOPE, startSubgraphUnderTest, TEST_TODAY, type SubgraphUnderTest } from '../shared/testing/subgraph-test-app';
import { applicationsSubgraph } from './app';


const OFFICER = 'Rashad Huseynov';
const STEP = (mutation: string, extra = '') =>
  `mutation($id: ID!) { ${mutation}(id: $id, officer: "${OFFICER}"${extra}) { status decision { outcome note } history { toStatus actor } } }`;

describe.each(DATABASE_TARGETS)('application workflow on %s (issue 4)', (_kind, serverUrl) => {
  let subgraph: SubgraphUnderTest;
  beforeAll(async () => {
    subgraph = await startSubgraphUnderTest(applicationsSubgraph, 120, { serverUrl });
  });
  afterAll(() => subgraph.close());

  /** A demo application still waiting for review that no other test has used (with a duration, when a permit is to be issued). */
  const used = new Set<string>();
  const submitted = (withDuration = false) => {
    const application = subgraph.histories
      .flatMap((h) => h.applications)
      .find((a) => a.status === 'SUBMITTED' && !used.has(a.id) && (!withDuration || a.requestedDurationMonths));
    if (!application) throw new Error('the demo world has no unused submitted application left');
    used.add(application.id);
    return application;
  };
  const run = (query: string, id: string) => subgraph.client.query(query, { variables: { id } });
  const count = async (sql: string, params: unknown[]) => (await subgraph.db.query<{ n: number }>('test.count', `select count(*)::int as n from ${sql}`, params))[0].n;

  it('lets exactly one of 50 racing steps through, records it once, and refuses the rest with INVALID_TRANSITION', async () => {
    const application = submitted(true);
    for (const mutation of ['takeApplicationForReview', 'approveApplication', 'issueApplication']) {
      const answers = await Promise.all(Array.from({ length: 50 }, () => run(STEP(mutation), application.id)));
      const through = answers.filter((answer) => !answer.errors);
      expect(through).toHaveLength(1);
      for (const answer of answers.filter((a) => a.errors)) expect(answer.errors![0].extensions?.code).toBe('INVALID_TRANSITION');
    }
    const events = await subgraph.db.query<{ toStatus: string }>(
      'test.events',
      `select to_status as "toStatus" from application_events where application_id = $1 order by id`,
      [application.id],
    );
    expect(events.map((event) => event.toStatus)).toEqual(['SUBMITTED', 'UNDER_REVIEW', 'APPROVED', 'ISSUED']);
    // Issued once: one message for the permits registry.
    expect(await count(`outbox where application_id = $1 and kind = 'RECORD_ISSUED_PERMIT'`, [application.id])).toBe(1);
    const [message] = await subgraph.db.query<{ payload: Record<string, unknown> }>('test.outbox', `select payload from outbox where application_id = $1`, [application.id]);
    expect(message.payload).toMatchObject({ applicationId: application.id, holderId: application.applicantId, validFrom: TEST_TODAY });
  });

  it('records who refused and why, and refuses a rejection without reasons', async () => {
    const application = submitted();
    await run(STEP('takeApplicationForReview'), application.id);
    const bare = await subgraph.client.query(`mutation($id: ID!) { rejectApplication(id: $id, officer: "${OFFICER}", reasons: " ") { status } }`, { variables: { id: application.id } });
    expect(bare.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'note' });
    const rejected = await subgraph.client.query(
      `mutation($id: ID!) { rejectApplication(id: $id, officer: "${OFFICER}", reasons: "Employment contract unsigned (WP-03).") { status decision { outcome decidedOn note } history { toStatus actor } } }`,
      { variables: { id: application.id } },
    );
    expect(rejected.data.rejectApplication).toMatchObject({
      status: 'REJECTED',
      decision: { outcome: 'REJECTED', decidedOn: TEST_TODAY, note: 'Employment contract unsigned (WP-03).' },
    });
    // The verified caller is recorded, not a name in the (deprecated) officer argument.
    expect(rejected.data.rejectApplication.history.at(-1)).toEqual({ toStatus: 'REJECTED', actor: `${EVERY_SCOPE.agency}:${EVERY_SCOPE.subject}` });
  });

  it.each([
    ['withdraw an issued application', 'withdrawApplication', '(id: $id)'],
    ['approve an issued application', 'approveApplication', `(id: $id, officer: "${OFFICER}")`],
  ])('refuses to %s', async (_name, mutation, args) => {
    const issued = subgraph.histories.flatMap((h) => h.applications).find((a) => a.status === 'ISSUED')!;
    const response = await subgraph.client.query(`mutation($id: ID!) { ${mutation}${args} { status } }`, { variables: { id: issued.id } });
    expect(response.errors?.[0].extensions?.code).toBe('INVALID_TRANSITION');
    expect(response.errors?.[0].message).toMatch(/ISSUED/);
  });

  it.each([
    ['a caller without applications:write', `mutation($id: ID!) { takeApplicationForReview(id: $id) { status } }`, 'FORBIDDEN', ['applications:read']],
    ['an unknown application', `mutation { takeApplicationForReview(id: "00000000-0000-4000-8000-0000000000aa") { status } }`, 'NOT_FOUND', undefined],
    ['a malformed id', `mutation { takeApplicationForReview(id: "WP-1") { status } }`, 'BAD_USER_INPUT', undefined],
  ])('refuses a step with %s', async (_name, query, code, scopes) => {
    const application = submitted();
    const before = await count(`application_events where application_id = $1`, [application.id]);
    // The subgraph checks the forwarded claims itself (here a caller who may read but not write).
    const headers = scopes ? { [CLAIMS_HEADER]: encodeClaims({ agency: 'migration-officer', subject: 'reader', scopes }) } : undefined;
    const response = await subgraph.client.query(query, { variables: { id: application.id }, ...(headers ? { headers } : {}) });
    expect(response.errors?.[0].extensions?.code).toBe(code);
    expect(await count(`application_events where application_id = $1`, [application.id])).toBe(before);
  });

  it('lets the applicant withdraw before a decision', async () => {
    const application = submitted();
    const response = await subgraph.client.query(`mutation($id: ID!) { withdrawApplication(id: $id, note: "Found another job") { status history { toStatus actor note } } }`, {
      variables: { id: application.id },
    });
    expect(response.data.withdrawApplication.status).toBe('WITHDRAWN');
    expect(response.data.withdrawApplication.history.at(-1)).toEqual({ toStatus: 'WITHDRAWN', actor: `${EVERY_SCOPE.agency}:${EVERY_SCOPE.subject}`, note: 'Found another job' });
  });
});
