import { SIGNATURE_HEADER } from '../protocol/request-signing';
import { ANONYMOUS, expectData, startGraph, type RunningGraph } from './harness';

/**
 * Issue 5, item 5, through the gateway: every read of personal data is in the audit log with whose
 * data it returned; oversight reads it as Person.dataAccessLog; `npm run audit:verify` checks the chain.
 */
describe('audit of personal data access (issue 5)', () => {
  let graph: RunningGraph;
  type Page = { persons: { nodes: { id: string; travelDocuments: { number: string; issuingCountry: string }[]; applications: { id: string; number: string; applicant: { id: string }; payments: { code: string }[]; permit: { number: string } | null }[] }[] } };
  let page: Page['persons']['nodes'];

  beforeAll(async () => {
    graph = await startGraph({ persons: 20 });
    page = (
      expectData(
        await graph.query(
          `{ persons(first: 20) { nodes { id travelDocuments { number issuingCountry } applications { id number applicant { id } payments { code } permit { number } } } } }`,
        ),
      ) as Page
    ).persons.nodes;
  });
  afterAll(() => graph.stop());

  let sequence = 0;
  async function send(headers: Record<string, string>, query: string, variables?: Record<string, unknown>) {
    const requestId = `audit-test-${(sequence += 1)}`;
    const response = await graph.query(query, variables, { ...headers, 'x-request-id': requestId });
    return { requestId, response };
  }

  async function recordOf(requestId: string) {
    const rows = await graph.audit.db.query<{ person_ids: string[]; agency: string; purpose: string; fields: string[]; outcome: string }>(
      'test.audit-by-request',
      'select person_ids, agency, purpose, fields, outcome from audit_records where request_id = $1',
      [requestId],
    );
    return rows;
  }

  it('a mixed workload: every person whose data an answer held is in that request’s record', async () => {
    const withPayment = page.flatMap((person) => person.applications).find((application) => application.payments.length > 0)!;
    const withPermit = page.flatMap((person) => person.applications).find((application) => application.permit)!;
    const holder = page.find((person) => person.travelDocuments.length > 0)!;
    const admin = await graph.caller('administrator', 'OVERSIGHT');
    const border = await graph.caller('border-service', 'BORDER_CONTROL');
    const police = await graph.caller('police', 'PUBLIC_ORDER');
    const officer = await graph.caller('migration-officer', 'CASE_PROCESSING');
    const bank = await graph.caller('bank', 'PAYMENT_PROCESSING');
    const inspector = await graph.caller('employers-inspectorate', 'LABOUR_INSPECTION');

    // Each case: the request, and the persons whose data its answer holds (whether or not it asked for their ids).
    const cases: { requestId: string; expected: string[] }[] = [];
    const listed = await send(admin, `{ persons(first: 7) { nodes { id surname } } }`);
    cases.push({ requestId: listed.requestId, expected: listed.response.body.data.persons.nodes.map((p: { id: string }) => p.id) });

    const status = await send(border, `query($n: String!, $c: CountryCode!) { personByDocument(number: $n, country: $c) { legalStatus { outcome } } }`, {
      n: holder.travelDocuments[0].number,
      c: holder.travelDocuments[0].issuingCountry,
    });
    expect(status.response.body.errors).toBeUndefined();
    cases.push({ requestId: status.requestId, expected: [holder.id] });

    const application = await send(officer, `query($id: ID!) { application(id: $id) { status ground } }`, { id: withPayment.id });
    cases.push({ requestId: application.requestId, expected: [withPayment.applicant.id] });

    const payment = await send(bank, `query($c: String!) { paymentByCode(code: $c) { status amount { amount } } }`, { c: withPayment.payments[0].code });
    cases.push({ requestId: payment.requestId, expected: [withPayment.applicant.id] });

    const fines = await send(police, `query($id: ID!) { person(id: $id) { fines { offence } } }`, { id: holder.id });
    cases.push({ requestId: fines.requestId, expected: [holder.id] });

    const permit = await send(officer, `query($n: String!) { permitByNumber(number: $n) { kind validUntil } }`, { n: withPermit.permit!.number });
    cases.push({ requestId: permit.requestId, expected: [withPermit.applicant.id] });

    const work = await send(inspector, `{ persons(first: 5) { nodes { workAuthorization { outcome } } } }`);
    cases.push({ requestId: work.requestId, expected: page.slice(0, 5).map((p) => p.id) });

    const registered = await send(
      admin,
      `mutation { registerPerson(input: { givenName: "Leyla", surname: "Audit", birthDate: "1991-02-03", sex: FEMALE, citizenship: "GEO",
        travelDocument: { kind: PASSPORT, number: "GE7711223", issuingCountry: "GEO", issuedOn: "2022-01-01", expiresOn: "2032-01-01" } }) { givenName } }`,
    );
    expect(registered.response.body.errors).toBeUndefined();
    const [newcomer] = await graph.subgraphs.persons!.db.query<{ id: string }>('test.newcomer', "select id from persons where surname = 'Audit'");
    cases.push({ requestId: registered.requestId, expected: [newcomer.id] });

    // Writes whose answers name their person only through a fact or a submission's payload, the
    // caller selecting nothing of the person: recorded with the person all the same.
    const fact = await send(
      officer,
      `mutation($input: RecordPersonFactInput!) { recordPersonFact(input: $input) { id kind } }`,
      { input: { personId: holder.id, kind: 'WORK_PERMIT_EXEMPTION', ruleId: 'WP-EX-18', validFrom: '2026-01-05', established: true, sourceDocumentKind: 'REFUGEE_CERTIFICATE', sourceDocumentNumber: 'QC-AUDIT-1', idempotencyKey: 'audit-fact-1' } },
    );
    expect(fact.response.body.errors).toBeUndefined();
    cases.push({ requestId: fact.requestId, expected: [holder.id] });
    const submitted = await send(officer, `mutation($input: SubmitApplicationInput!) { submitApplication(input: $input) { outcome } }`, {
      input: { applicantId: holder.id, type: 'REGISTRATION_BY_PLACE_OF_STAY', channel: 'ELECTRONIC' },
    });
    expect(submitted.response.body.data.submitApplication.outcome).not.toBe('REJECTED');
    cases.push({ requestId: submitted.requestId, expected: [holder.id] });
    // Refused at intake (a residence application without its documents, TRP-DOC): no application to
    // link, yet the applicant's records were read; the record names the applicant of the input.
    // (Asked through a fragment on the mutation root, which the record follows as well.)
    const refusedAtIntake = await send(officer, `mutation($input: SubmitApplicationInput!) { ...Submit } fragment Submit on Mutation { submitApplication(input: $input) { outcome } }`, {
      input: { applicantId: holder.id, type: 'TEMPORARY_RESIDENCE', channel: 'ELECTRONIC', ground: 'EDUCATION', requestedDurationMonths: 12, documents: ['PASSPORT'] },
    });
    expect(refusedAtIntake.response.body.data.submitApplication.outcome).toBe('REJECTED');
    cases.push({ requestId: refusedAtIntake.requestId, expected: [holder.id] });

    // An id a caller makes up goes into no record: the audit log takes registry ids only, and one it
    // refused would fail the POST it shares with other requests' records. The write is refused as bad
    // input (not 503), and a read beside it is served.
    const [madeUp, beside] = await Promise.all([
      send(officer, `mutation($input: RecordPersonFactInput!) { recordPersonFact(input: $input) { id } }`, {
        input: { personId: 'not an id!', kind: 'WORK_PERMIT_EXEMPTION', ruleId: 'WP-EX-18', validFrom: '2026-01-05', established: true, idempotencyKey: 'audit-fact-made-up' },
      }),
      send(police, `query($id: ID!) { person(id: $id) { surname } }`, { id: holder.id }),
    ]);
    expect(madeUp.response.status).toBe(200);
    expect(madeUp.response.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(beside.response.status).toBe(200);

    // Many at once: batched writes lose nothing.
    const concurrent = await Promise.all(page.slice(0, 15).map((person) => send(police, `query($id: ID!) { person(id: $id) { surname } }`, { id: person.id })));
    concurrent.forEach((sent, index) => cases.push({ requestId: sent.requestId, expected: [page[index].id] }));

    // A write's intent is recorded before it runs (issue 18, item 5); its outcome record names the persons.
    expect((await recordOf(registered.requestId)).filter((record) => record.outcome === 'INTENT')).toEqual([expect.objectContaining({ person_ids: [], fields: expect.arrayContaining(['Mutation.registerPerson']) })]);
    for (const { requestId, expected } of cases) {
      // A registry that asks another on the way (the permits registry checks the person is on record) has records of its own.
      const records = (await recordOf(requestId)).filter((record) => record.outcome !== 'INTENT' && record.agency !== 'registry');
      expect({ requestId, records: records.length }).toEqual({ requestId, records: 1 });
      expect({ requestId, persons: records[0].person_ids }).toEqual({ requestId, persons: expect.arrayContaining(expected) });
      expect(records[0].outcome).toBe('SERVED');
    }

    // Public reads are not personal data: no record. The gateway's own keys never reach a client.
    const tracking = await send(ANONYMOUS, `query($n: String!) { applicationByNumber(number: $n) { status } }`, { n: withPayment.number });
    expect(await recordOf(tracking.requestId)).toEqual([]);
    expect(JSON.stringify([listed, status, application, payment, fines, permit, work, fact, submitted].map((sent) => sent.response.body))).not.toContain('_dmx');
    expect((await graph.audit.log.verify()).intact).toBe(true);
  });

  it('reads arriving together are each recorded once, with whose data each returned, however the gateway batches them', async () => {
    const admin = await graph.caller('administrator', 'OVERSIGHT');
    const appended = () => graph.audit.db.stats.byName.get('audit.append') ?? 0;
    const before = appended();
    // Three waves of concurrent reads: the gateway's group commit, and its wait for more records under load.
    const sent: { requestId: string; personId: string }[] = [];
    for (let wave = 0; wave < 3; wave += 1) {
      const wavesSent = await Promise.all(
        page.map(async (person) => {
          const { requestId, response } = await send(admin, `query($id: ID!) { person(id: $id) { surname } }`, { id: person.id });
          expectData(response);
          return { requestId, personId: person.id };
        }),
      );
      sent.push(...wavesSent);
    }
    for (const { requestId, personId } of sent) {
      const records = await recordOf(requestId);
      expect({ requestId, persons: records.map((record) => record.person_ids) }).toEqual({ requestId, persons: [[personId]] });
    }
    // Fewer appends than reads: records travelled together.
    expect(appended() - before).toBeLessThan(sent.length);
    expect((await graph.audit.log.verify()).intact).toBe(true);
  });

  it('an operation name of any length is recorded (cut to 200 characters), never failing the record', async () => {
    const name = `Q${'x'.repeat(400)}`;
    const { requestId, response } = await send(await graph.caller('police', 'PUBLIC_ORDER'), `query ${name}($id: ID!) { person(id: $id) { surname } }`, { id: page[1].id });
    expect(response.status).toBe(200);
    const [record] = await graph.audit.db.query<{ operation: string }>('test.audit-operation', 'select operation from audit_records where request_id = $1', [requestId]);
    expect(record.operation).toBe(name.slice(0, 200));
  });

  it('records a refused request (no purpose) with its outcome, and no person', async () => {
    const refused = await send(await graph.caller('police'), `query($id: ID!) { person(id: $id) { surname } }`, { id: page[0].id });
    expect(refused.response.status).toBe(400);
    expect(await recordOf(refused.requestId)).toEqual([expect.objectContaining({ person_ids: [], outcome: 'PURPOSE_REQUIRED', agency: 'police' })]);
  });

  it('oversight reads Person.dataAccessLog: who read, when, why; others may not', async () => {
    const person = page[3];
    await send(await graph.caller('police', 'CRIMINAL_INVESTIGATION', { subject: 'inspector-42' }), `query($id: ID!) { person(id: $id) { surname birthDate } }`, { id: person.id });
    const { response } = await send(
      await graph.caller('administrator', 'OVERSIGHT'),
      `query($id: ID!) { person(id: $id) { dataAccessLog(first: 10) { seq at agency subject purpose operation fields outcome requestId } } }`,
      { id: person.id },
    );
    const log = expectData(response).person.dataAccessLog as { agency: string; subject: string; purpose: string; fields: string[]; seq: number }[];
    expect(log[0]).toMatchObject({ agency: 'police', subject: 'inspector-42', purpose: 'CRIMINAL_INVESTIGATION', fields: ['Person.birthDate', 'Person.surname', 'Query.person'] });
    expect(log.map((record) => record.seq)).toEqual([...log.map((record) => record.seq)].sort((a, b) => b - a));

    const police = await send(await graph.caller('police', 'PUBLIC_ORDER'), `query($id: ID!) { person(id: $id) { dataAccessLog { seq } } }`, { id: person.id });
    expect(police.response.body).toMatchObject({ data: { person: { dataAccessLog: null } }, errors: [{ extensions: { code: 'FORBIDDEN', field: 'Person.dataAccessLog' } }] });
  });

  it('the audit log takes records from the gateway only, and only well-formed ones', async () => {
    const url = new URL('/audit/records', graph.subgraphs.audit!.url).toString();
    const forged = JSON.stringify({ entries: [{ agency: 'police', subject: 'x', purpose: 'PUBLIC_ORDER', operation: 'Q', fields: [], personIds: [], requestId: 'forged', outcome: 'SERVED' }] });
    const unsigned = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: forged });
    expect(unsigned.status).toBe(401);
    // Refused before its body is read: larger than a registry's GraphQL route takes (1 MiB), it is not 413 but 401.
    const large = await fetch(new URL('/graphql', graph.subgraphs.audit!.url), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: `{ __typename }`, pad: 'x'.repeat(2 * 2 ** 20) }) });
    expect(large.status).toBe(401);
    const malformed = JSON.stringify({ entries: [{ agency: 'police' }] });
    const signed = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', [SIGNATURE_HEADER]: graph.signAsGateway({ audience: 'audit', path: '/audit/records', body: malformed }) },
      body: malformed,
    });
    expect(signed.status).toBe(400);
    expect(await recordOf('forged')).toEqual([]);
  });

  it('no record, no answer: when the audit log cannot be written, personal data is refused with 503', async () => {
    await graph.subgraphs.audit!.app.close();
    const { response } = await send(await graph.caller('police', 'PUBLIC_ORDER'), `query($id: ID!) { person(id: $id) { surname } }`, { id: page[0].id });
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('5');
    expect(response.body).toEqual({ errors: [expect.objectContaining({ extensions: { code: 'AUDIT_UNAVAILABLE' } })] });
    // A refusal stands whether or not it can be recorded: nothing was read.
    const refused = await send(await graph.caller('police'), `query($id: ID!) { person(id: $id) { surname } }`, { id: page[0].id });
    expect([refused.response.status, refused.response.body.errors?.[0].extensions?.code]).toEqual([400, 'PURPOSE_REQUIRED']);
    const open = await graph.query(`{ rules(idPrefix: "STAY-01") { id } }`, undefined, ANONYMOUS);
    expect(open.body).toEqual({ data: { rules: [{ id: 'STAY-01' }] } });
  });
});

// `npm run audit:verify` (the chain, and its signed checkpoints): test/audit-verify.test.ts.
