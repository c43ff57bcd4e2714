import { CLAIMS_HEADER } from '../../protocol/headers';
import { encodeClaims } from '../../protocol/claims';
import { GraphClientError, type GraphClient } from '../../platform/graph-client';
import { DATABASE_TARGETS, EVERY_SCOPE, startSubgraphUnderTest, TEST_TODAY, type SubgraphUnderTest } from '../../platform/testing/subgraph-test-app';
import { applicationsSubgraph } from './app';

/**
 * The payments registry as the graph shows it to the workflow (PAY-04): each application's state duty
 * payments by its number. An application not listed has a paid duty; `down` makes the graph unreachable.
 */
class PaymentsSeenThroughTheGraph implements GraphClient {
  readonly duties = new Map<string, { code: string; purpose: string; status: string }[]>();
  down = false;
  asked = 0;
  constructor(private readonly idOf: (number: string) => Promise<string | null>) {}
  async query<Data>(_operation: string, variables: Record<string, unknown>): Promise<Data> {
    this.asked += 1;
    if (this.down) throw new GraphClientError('The graph at http://127.0.0.1:1/ could not answer: HTTP 503');
    const number = variables.number as string;
    const id = await this.idOf(number);
    const payments = this.duties.get(number) ?? [{ code: '000000000018', purpose: 'STATE_DUTY', status: 'PAID' }];
    return { applicationByNumber: id ? { id, payments } : null } as Data;
  }
}


const OFFICER = 'Rashad Huseynov';
const STEP = (mutation: string, extra = '') =>
  `mutation($id: ID!) { ${mutation}(id: $id, officer: "${OFFICER}"${extra}) { status decision { outcome note } history { toStatus actor } } }`;

describe.each(DATABASE_TARGETS)('application workflow on %s (issue 4)', (_kind, serverUrl) => {
  let subgraph: SubgraphUnderTest;
  const payments = new PaymentsSeenThroughTheGraph(async (number) => {
    const rows = await subgraph.db.query<{ id: string }>('test.idByNumber', 'select id from applications where number = $1', [number]);
    return rows[0]?.id ?? null;
  });
  beforeAll(async () => {
    subgraph = await startSubgraphUnderTest(applicationsSubgraph, 120, { serverUrl, graph: payments });
  });
  afterAll(() => subgraph.close());

  /** A demo application still waiting for review that no other test has used (with a duration, when a permit is to be issued). */
  const used = new Set<string>();
  const submitted = (withDuration = false, types?: readonly string[], statuses: readonly string[] = ['SUBMITTED']) => {
    const application = subgraph.histories
      .flatMap((h) => h.applications)
      .find((a) => statuses.includes(a.status) && !used.has(a.id) && (!withDuration || a.requestedDurationMonths) && (!types || types.includes(a.type)));
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

  describe('PAY-04: nothing is issued before its state duty is paid', () => {
    const FIXED_DUTY = ['WORK_PERMIT', 'WORK_PERMIT_EXTENSION', 'TEMPORARY_RESIDENCE', 'TEMPORARY_RESIDENCE_EXTENSION'];
    const OPEN = ['SUBMITTED', 'UNDER_REVIEW', 'APPROVED'];
    /** An open demo application of one of `types`, brought to APPROVED. */
    const approved = async (types: readonly string[], withDuration = true) => {
      const application = submitted(withDuration, types, OPEN);
      const steps = { SUBMITTED: ['takeApplicationForReview', 'approveApplication'], UNDER_REVIEW: ['approveApplication'], APPROVED: [] }[application.status as 'SUBMITTED'];
      for (const mutation of steps) expect((await run(STEP(mutation), application.id)).errors).toBeUndefined();
      return application;
    };
    const written = async (id: string) =>
      (await count(`application_events where application_id = $1`, [id])) * 100 + (await count(`outbox where application_id = $1`, [id]));

    it('refuses to issue with an unpaid duty, naming its payment code, and writes nothing; issues once it is paid', async () => {
      const application = await approved(FIXED_DUTY);
      payments.duties.set(application.number, [{ code: '000000160010', purpose: 'STATE_DUTY', status: 'UNPAID' }]);
      const before = await written(application.id);
      const refused = await run(STEP('issueApplication'), application.id);
      expect(refused.errors?.[0].extensions).toMatchObject({ code: 'DUTY_NOT_PAID', ruleId: 'PAY-04' });
      expect(refused.errors?.[0].message).toMatch(/payment code 000000160010/);
      expect((refused.errors?.[0].extensions?.reasons as { message: { az: string } }[])[0].message.az).toMatch(/000000160010/);
      expect(await written(application.id)).toBe(before);

      payments.duties.set(application.number, [{ code: '000000160010', purpose: 'STATE_DUTY', status: 'PAID' }]);
      expect((await run(STEP('issueApplication'), application.id)).data.issueApplication.status).toBe('ISSUED');
    });

    it('refuses while the duty is not billed yet, or only a fine is paid', async () => {
      const application = await approved(FIXED_DUTY);
      payments.duties.set(application.number, [{ code: '000000170019', purpose: 'FINE', status: 'PAID' }]);
      const refused = await run(STEP('issueApplication'), application.id);
      expect(refused.errors?.[0].extensions?.code).toBe('DUTY_NOT_PAID');
      expect(refused.errors?.[0].message).toMatch(/not been billed yet/);
    });

    it('fails closed with SUBGRAPH_UNAVAILABLE when the payments registry cannot be asked, and writes nothing', async () => {
      const application = await approved(FIXED_DUTY);
      const before = await written(application.id);
      payments.down = true;
      try {
        const refused = await run(STEP('issueApplication'), application.id);
        expect(refused.errors?.[0].extensions?.code).toBe('SUBGRAPH_UNAVAILABLE');
        expect(refused.errors?.[0].message).toMatch(/nothing was issued/);
      } finally {
        payments.down = false;
      }
      expect(await written(application.id)).toBe(before);
    });

    it('says INVALID_TRANSITION, not DUTY_NOT_PAID, for a step the state does not allow, without asking the payments registry', async () => {
      const application = submitted(true, FIXED_DUTY, ['SUBMITTED', 'UNDER_REVIEW']);
      payments.duties.set(application.number, [{ code: '000000180018', purpose: 'STATE_DUTY', status: 'UNPAID' }]);
      const asked = payments.asked;
      expect((await run(STEP('issueApplication'), application.id)).errors?.[0].extensions?.code).toBe('INVALID_TRANSITION');
      expect(payments.asked).toBe(asked);
    });

    it('assesses a ranged duty once (CIT-05, TRP-03), bills it through the outbox, and issues once it is paid', async () => {
      const application = await approved(['CITIZENSHIP_ADMISSION', 'CITIZENSHIP_RESTORATION', 'CITIZENSHIP_TERMINATION', 'PERMANENT_RESIDENCE'], false);
      const range = application.type === 'PERMANENT_RESIDENCE' ? { below: '39.99', within: '150.00', other: '160.00' } : { below: '49.99', within: '150.00', other: '160.00' };
      const assess = (amount: string) =>
        subgraph.client.query(`mutation($id: ID!, $amount: String!) { assessStateDuty(id: $id, amount: $amount, note: "Reason of the application") { status history { toStatus note actor } stateDuty { outcome amount { amount currency } range { min } reasons { ruleId } } } }`, {
          variables: { id: application.id, amount },
        });
      payments.duties.set(application.number, []);
      expect((await run(STEP('issueApplication'), application.id)).errors?.[0].message).toMatch(/assessStateDuty/);

      expect((await assess(range.below)).errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'amount' });
      expect((await assess('12,5')).errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'amount' });
      const assessed = (await assess(range.within)).data.assessStateDuty;
      expect(assessed.history.at(-1)).toEqual({ toStatus: 'APPROVED', note: 'Reason of the application', actor: `${EVERY_SCOPE.agency}:${EVERY_SCOPE.subject}` });
      // Application.stateDuty is the assessed amount from now on, within the range the tables give.
      expect(assessed.stateDuty).toEqual({
        outcome: 'ASSESSED',
        amount: { amount: range.within, currency: 'AZN' },
        range: { min: application.type === 'PERMANENT_RESIDENCE' ? '40.00' : '50.00' },
        reasons: [{ ruleId: 'PAY-04' }, { ruleId: application.type === 'PERMANENT_RESIDENCE' ? 'TRP-03' : 'CIT-05' }],
      });
      // The same assessment again changes nothing; another amount is refused.
      expect((await assess(range.within)).errors).toBeUndefined();
      const other = await assess(range.other);
      expect(other.errors?.[0].extensions?.code).toBe('INVALID_TRANSITION');
      expect(other.errors?.[0].message).toContain(`already set at ${range.within} AZN`);
      const [stored] = await subgraph.db.query<{ assessed: string; on: string }>('test.assessed', `select assessed_duty::text as assessed, duty_assessed_on as on from applications where id = $1`, [application.id]);
      expect(stored.assessed).toBe(range.within);
      const bills = await subgraph.db.query<{ payload: Record<string, unknown> }>('test.bill', `select payload from outbox where application_id = $1 and kind = 'CREATE_STATE_DUTY'`, [application.id]);
      expect(bills).toHaveLength(1);
      expect(bills[0].payload).toMatchObject({ applicationId: application.id, personId: application.applicantId, amount: range.within, currency: 'AZN' });

      payments.duties.set(application.number, [{ code: '000000190017', purpose: 'STATE_DUTY', status: 'PAID' }]);
      // A permanent residence permit is issued with its last day; a citizenship decision issues no permit.
      const validity = application.type === 'PERMANENT_RESIDENCE' ? ', validUntil: "2031-11-01"' : '';
      expect((await run(STEP('issueApplication', validity), application.id)).data.issueApplication.status).toBe('ISSUED');
    });

    it('refuses to assess a duty the tables fix (WP-06, TRP-03 F2)', async () => {
      const application = submitted(true, FIXED_DUTY, OPEN);
      const response = await subgraph.client.query(`mutation($id: ID!) { assessStateDuty(id: $id, amount: "100.00") { status } }`, { variables: { id: application.id } });
      expect(response.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'amount' });
      expect(response.errors?.[0].message).toMatch(/set by the tables/);
    });
  });
});
