import { luhnCheckDigit } from '../domain/facts/payment-codes';
import {
  ApplicationByNumberDocument,
  PaymentByCodeDocument,
  PersonByDocumentDocument,
  PersonPictureDocument,
  PersonsWithRelationsDocument,
} from './generated/operations';
import { expectData, startGraph, type GraphQLResponse, type RunningGraph } from './harness';

const UNKNOWN_ID = '00000000-0000-4000-8000-000000000000';

describe('the federated graph, end to end through the gateway', () => {
  let graph: RunningGraph;
  let ids: string[];
  beforeAll(async () => {
    graph = await startGraph({ persons: 120 });
    const page = await graph.query('{ persons(first: 1000) { totalCount nodes { id } } }');
    ids = page.body.data.persons.nodes.map((node: { id: string }) => node.id);
  });
  afterAll(() => graph.stop());

  it('answers a person with data from all four registries in one request', async () => {
    const seen = { permits: 0, fines: 0, applications: 0, stays: 0, duties: 0 };
    for (const id of ids) {
      const person = expectData(await graph.query(PersonPictureDocument, { id })).person!;
      expect(person.id).toBe(id);
      for (const application of person.applications!) expect(application.applicant!.id).toBe(id);
      seen.permits += person.permits!.length;
      seen.fines += person.outstandingFines!.length;
      seen.applications += person.applications!.length;
      seen.stays += person.stayPeriods!.length;
      seen.duties += person.applications!.reduce((sum, a) => sum + a.payments!.length, 0);
    }
    for (const count of Object.values(seen)) expect(count).toBeGreaterThan(0);
  });

  it('answers the legal status through @requires, consistent with the stays and the permits', async () => {
    const outcomes = new Set<string>();
    for (const id of ids) {
      const person = expectData(await graph.query(PersonPictureDocument, { id })).person!;
      const status = person.legalStatus!;
      outcomes.add(status.outcome);
      const open = person.stayPeriods!.find((stay) => stay.open);
      expect(status.outcome === 'NOT_PRESENT').toBe(open === undefined);
      if (open) expect(status.overstayDays).toBe(open.unlawfulDays);
      // Unlawful today means at least today is an overstay day; lawful today means a basis (earlier
      // days of the same stay may still have been unlawful).
      if (status.outcome === 'UNLAWFUL') expect(status.overstayDays).toBeGreaterThan(0);
      if (status.outcome === 'LAWFUL') expect(status.basis).not.toBeNull();
      expect(status.totalOverstayDays).toBe(person.stayPeriods!.reduce((sum, stay) => sum + stay.unlawfulDays, 0));
      if (status.basis === 'PERMANENT_RESIDENCE') {
        // A work permit in force authorizes first; without one, permanent residence exempts (WP-EX-01).
        const authorization = person.workAuthorization!;
        expect(authorization.outcome).toBe('AUTHORIZED');
        if (!authorization.workPermit) expect(authorization.exemption).toEqual({ id: 'WP-EX-01' });
      }
      if (person.workAuthorization!.workPermit) {
        expect(person.permits!.map((permit) => permit.number)).toContain(person.workAuthorization!.workPermit.number);
      }
      for (const reason of status.reasons) expect(reason.ruleId).toMatch(/^[A-Z]+(-[A-Z0-9]+)+$/);
    }
    expect(outcomes).toEqual(new Set(['LAWFUL', 'UNLAWFUL', 'NOT_PRESENT']));
  });

  it('publishes the law behind the answers: the rules catalog and the state duty tables', async () => {
    const data = expectData(
      await graph.query(`{
        rules(idPrefix: "STAY") { id citation parameters { name value } }
        duty: stateDuty(applicationType: WORK_PERMIT, durationMonths: 6, processingWorkingDays: 20) { outcome amount { amount currency } }
      }`),
    );
    expect(data.rules.map((rule: { id: string }) => rule.id)).toContain('STAY-01');
    const stay01 = data.rules.find((rule: { id: string }) => rule.id === 'STAY-01');
    expect(stay01.parameters).toContainEqual({ name: 'STAY_VISA_FREE_MAX_DAYS', value: '90' });
    expect(data.duty).toEqual({ outcome: 'FIXED', amount: { amount: '600.00', currency: 'AZN' } });
  });

  it('submits an application through the gateway, checked against the applicant’s records in the other registries', async () => {
    // A person present on a visa-free allowance with no permits can apply for a work permit.
    const candidates = expectData(await graph.query('{ persons(first: 200, filter: { citizenship: "RUS" }) { nodes { id permits { kind } } } }'));
    const applicant = candidates.persons.nodes.find((p: { permits: unknown[] }) => p.permits.length === 0);
    expect(applicant).toBeDefined();
    const submit = (type: string, extra: object) =>
      graph.query(
        `mutation($input: SubmitApplicationInput!) { submitApplication(input: $input) { outcome reasons { ruleId } application { number status dueOn } } }`,
        { input: { applicantId: applicant.id, type, channel: 'ELECTRONIC', ...extra } },
      );
    const accepted = expectData(
      await submit('WORK_PERMIT', {
        requestedDurationMonths: 6,
        documents: ['PASSPORT', 'PHOTO', 'MEDICAL_CERTIFICATE', 'EMPLOYMENT_CONTRACT', 'NO_CRIMINAL_RECORD_CERTIFICATE'],
      }),
    ).submitApplication;
    expect(accepted.outcome).toBe('ACCEPTED');
    const listed = expectData(await graph.query(`query($id: ID!) { person(id: $id) { applications { number stateDuty { amount { amount } } } } }`, { id: applicant.id }));
    expect(listed.person.applications!).toContainEqual({ number: accepted.application.number, stateDuty: { amount: { amount: '600.00' } } });

    // One year of temporary residence is not two (PR-01): read from the permits registry, rejected.
    const rejected = expectData(await submit('PERMANENT_RESIDENCE', { ground: 'FAMILY_OF_RESIDENT' })).submitApplication;
    expect(rejected).toMatchObject({ outcome: 'REJECTED', application: null });
    expect(rejected.reasons.map((r: { ruleId: string }) => r.ruleId)).toContain('PR-01');
  });

  it('gives null for an unknown id and the same person by travel document', async () => {
    expect((await graph.query(PersonPictureDocument, { id: UNKNOWN_ID })).body).toEqual({ data: { person: null } });
    const document = expectData(await graph.query(PersonPictureDocument, { id: ids[0] })).person!.travelDocuments.at(-1)!;
    const byDocument = await graph.query(PersonByDocumentDocument, {
      country: document.issuingCountry,
      number: document.number.toLowerCase(),
    });
    expect(expectData(byDocument).personByDocument).toEqual({ id: ids[0] });
    const unknown = await graph.query('{ personByDocument(country: "TUR", number: "ZZ99999999") { id } }');
    expect(unknown.body).toEqual({ data: { personByDocument: null } });
  });

  it('tracks an application by number and a duty by payment code, across registries', async () => {
    let checked = 0;
    for (const id of ids.slice(0, 40)) {
      const { person } = expectData(await graph.query(PersonPictureDocument, { id }));
      for (const application of person!.applications!) {
        const tracked = await graph.query(ApplicationByNumberDocument, { number: application.number });
        expect(expectData(tracked).applicationByNumber).toMatchObject({ id: application.id, status: application.status, applicant: { id } });
        for (const payment of application.payments!) {
          const paid = await graph.query(PaymentByCodeDocument, { code: payment.code });
          expect(expectData(paid).paymentByCode).toMatchObject({
            code: payment.code,
            status: payment.status,
            purpose: 'STATE_DUTY',
            application: { id: application.id, number: application.number },
            payer: { id },
          });
          checked += 1;
        }
      }
    }
    expect(checked).toBeGreaterThan(0);
  });

  it('pages through all persons with cursors, each exactly once, in a stable order', async () => {
    const seen: string[] = [];
    let after: string | null = null;
    let pages = 0;
    for (;;) {
      const response: GraphQLResponse<any> = await graph.query(
        'query($after: String) { persons(first: 7, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id } } } }',
        { after },
      );
      const connection = response.body.data.persons;
      expect(connection.totalCount).toBe(ids.length);
      seen.push(...connection.edges.map((edge: { node: { id: string } }) => edge.node.id));
      pages += 1;
      if (!connection.pageInfo.hasNextPage) break;
      after = connection.pageInfo.endCursor;
    }
    expect(pages).toBe(Math.ceil(ids.length / 7));
    expect(seen).toEqual(ids);
    expect([...seen].sort()).toEqual(seen);
  });

  it('finds persons by the start of their surname, whatever its case', async () => {
    const all = expectData(await graph.query('{ persons(first: 1000) { nodes { surname } } }')).persons.nodes as { surname: string }[];
    const prefix = all[0].surname.slice(0, 3);
    const expected = all.filter((p) => p.surname.toLowerCase().startsWith(prefix.toLowerCase())).length;
    const found = expectData(await graph.query('query($p: String) { persons(first: 1000, filter: { surnamePrefix: $p }) { totalCount } }', { p: prefix.toUpperCase() }));
    expect(found.persons.totalCount).toBe(expected);
  });

  it('filters persons by citizenship and statelessness', async () => {
    const stateless = await graph.query('{ persons(first: 1000, filter: { stateless: true }) { totalCount nodes { citizenship stateless } } }');
    const citizens = await graph.query('{ persons(first: 1000, filter: { stateless: false }) { totalCount } }');
    expect(stateless.body.data.persons.totalCount + citizens.body.data.persons.totalCount).toBe(ids.length);
    for (const node of stateless.body.data.persons.nodes) expect(node).toEqual({ citizenship: null, stateless: true });
    const russians = await graph.query('{ persons(first: 1000, filter: { citizenship: "RUS" }) { nodes { citizenship } } }');
    expect(russians.body.data.persons.nodes.length).toBeGreaterThan(0);
    for (const node of russians.body.data.persons.nodes) expect(node.citizenship).toBe('RUS');
  });

  it('costs the same number of SQL statements and fetches for 1 person as for 50, with all four relations', async () => {
    // The one-person page must reach every nested level, so it starts at a person who has applications
    // and permits issued on them; the 50-person page starts at the same person (50 full pictures of
    // every relation are about as many as the cost limit lets one request ask).
    const window = await graph.query(
      'query { persons(first: 20) { edges { cursor node { id applications { id } permits { application { id } } } } } }',
    );
    const edges = window.body.data.persons.edges;
    const rich = edges.findIndex(
      (edge: { node: { applications: unknown[]; permits: { application: unknown }[] } }) =>
        edge.node.applications.length > 0 && edge.node.permits.some((permit) => permit.application),
    );
    expect(rich).toBeGreaterThanOrEqual(0);
    const after = rich === 0 ? null : edges[rich - 1].cursor;

    const registries = ['persons', 'applications', 'payments', 'permits', 'audit'] as const;
    const fetches = () => registries.map((name) => graph.fetchCount(name));
    /** The page's statements, and the fetches it cost each registry. */
    const costOf = async (first: number) => {
      const before = graph.statementCount();
      const fetchesBefore = fetches();
      const response = await graph.query(PersonsWithRelationsDocument, { first, after });
      expect(expectData(response).persons.nodes).toHaveLength(first);
      const fetchesAfter = fetches();
      return { statements: graph.statementCount() - before, fetches: Object.fromEntries(registries.map((name, i) => [name, fetchesAfter[i] - fetchesBefore[i]])) };
    };
    const pages = { 1: await costOf(1), 10: await costOf(10), 50: await costOf(50) };
    const [one, ten, fifty] = [pages[1].statements, pages[10].statements, pages[50].statements];
    // One fetch per step of the query plan, whatever the page's size: a page is never split into
    // several fetches. persons: the page, then the applicants; applications by applicant and by id;
    // payments and fines; permits by application, by holder, and the legal answers after the
    // crossings they @require. The audit record goes to its own route, not to /graphql.
    for (const page of Object.values(pages)) expect(page.fetches).toEqual({ persons: 2, applications: 2, payments: 2, permits: 3, audit: 0 });
    // persons page, documents, crossings, holders; applications by applicant and by id; payments
    // and fines; permits by application, and by holder twice: the legal answers come in a second
    // fetch from permits once the gateway has the crossings they @require; the facts recorded about
    // the persons (issue 20) once in each of the two legal fetches. Then the audit record of the read:
    // one statement (append and move the head; the head is known from the reads before).
    expect(one).toBe(13 + 1);
    expect(ten).toBe(one);
    expect(fifty).toBe(one);
  });

  describe('bad input gets BAD_USER_INPUT with a message that says what is wrong', () => {
    const cases: [string, string, RegExp][] = [
      ['a malformed id', '{ person(id: "42") { id } }', /UUID/],
      ['a malformed cursor', '{ persons(after: "not-a-cursor!") { totalCount } }', /cursor/],
      ['a cursor of another list', `{ persons(after: "${Buffer.from('{"l":"other","k":"x"}').toString('base64url')}") { totalCount } }`, /cursor/],
      ['a page size out of range', '{ persons(first: 5000) { totalCount } }', /first/],
      ['a negative page size', '{ persons(first: -1) { totalCount } }', /first/],
      ['an unknown country code', '{ personByDocument(country: "XYZ", number: "AB1234567") { id } }', /CountryCode/],
      ['a lower-case country code', '{ personByDocument(country: "tur", number: "AB1234567") { id } }', /CountryCode/],
      ['a malformed document number', '{ personByDocument(country: "TUR", number: "AB 12") { id } }', /number/],
      ['an impossible date', `{ person(id: "${UNKNOWN_ID}") { stayPeriods(asOf: "2025-02-29") { days } } }`, /Date/],
      ['a date in another format', '{ persons(filter: { bornFrom: "01.02.1990" }) { totalCount } }', /Date/],
      ['a reversed birth date range', '{ persons(filter: { bornFrom: "2000-01-01", bornTo: "1990-01-01" }) { totalCount } }', /bornFrom/],
      ['a malformed tracking number', '{ applicationByNumber(number: "12345") { id } }', /number/],
      ['a payment code of the wrong length', '{ paymentByCode(code: "123") { id } }', /12-digit/],
      ['a payment code with a wrong check digit', '{ paymentByCode(code: "000000000010") { id } }', /check digit/],
    ];

    it.each(cases)('%s', async (_name, query, message) => {
      const response = await graph.query(query);
      expect(response.status).toBeLessThan(500);
      expect(response.body.errors?.length).toBeGreaterThan(0);
      const [error] = response.body.errors!;
      expect(error.extensions?.code).toBe('BAD_USER_INPUT');
      expect(error.message).toMatch(message);
      const text = JSON.stringify(response.body);
      expect(text).not.toMatch(/stack|select |\/work\/|node_modules|\.ts:/i);
    });

    it('the same bad literal asked again (the check is kept per document) is refused again, a good one still served', async () => {
      const bad = '{ personByDocument(country: "XYZ", number: "AB1234567") { id } }';
      for (let i = 0; i < 3; i++) {
        const response = await graph.query(bad);
        expect(response.body.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
        expect(response.body.errors?.[0].message).toMatch(/CountryCode/);
      }
      const good = '{ personByDocument(country: "TUR", number: "AB1234567") { id } }';
      for (let i = 0; i < 2; i++) expect((await graph.query(good)).body.errors).toBeUndefined();
    });

    it('with a variable of the wrong shape too', async () => {
      const response = await graph.query('query($d: Date) { persons(filter: { bornTo: $d }) { totalCount } }', { d: '1990-13-01' });
      expect(response.body.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
      expect(response.body.errors?.[0].message).toMatch(/Date/);
    });

    it('null for unknown but well-formed numbers and codes', async () => {
      const code = `99999999999${luhnCheckDigit('99999999999')}`;
      const response = await graph.query(`{ applicationByNumber(number: "WP-2025-99999999") { id } paymentByCode(code: "${code}") { id } }`);
      expect(response.body).toEqual({ data: { applicationByNumber: null, paymentByCode: null } });
    });
  });

  it('asks a subgraph once for identical reads in flight at the same time, and each caller gets its answer', async () => {
    // The registries' reads only: each request still gets its own audit record.
    const reads = () => graph.statementCount() - graph.subgraphs.audit!.db.stats.total;
    const id = ids[7];
    // What the gateway kept of the registries' answers is out of date after a write (read-cache.ts): what is shared is in flight.
    await graph.writeInEveryRegistry();
    const single = async () => {
      const before = reads();
      expectData(await graph.query(PersonPictureDocument, { id }));
      return reads() - before;
    };
    const alone = await single();
    await graph.writeInEveryRegistry();
    const before = reads();
    const answers = await Promise.all(Array.from({ length: 20 }, () => graph.query(PersonPictureDocument, { id })));
    const together = reads() - before;
    for (const answer of answers) expect(expectData(answer).person!.id).toBe(id);
    expect(new Set(answers.map((answer) => JSON.stringify(answer.body))).size).toBe(1);
    // Twenty separate fetches would cost twenty times one; shared fetches cost far less.
    expect(together).toBeLessThan(alone * 10);
    // Different callers never share a fetch: the claims are part of what is shared.
    const police = await graph.caller('police', 'PUBLIC_ORDER');
    const [admin, byPolice] = await Promise.all([graph.query(PersonPictureDocument, { id }), graph.query(PersonPictureDocument, { id }, police)]);
    expect(expectData(admin).person!.applications).not.toBeNull();
    expect(byPolice.body.data!.person!.applications).toBeNull();
  });

  it('echoes a caller request id, and makes one when none is given', async () => {
    const given = await graph.query('{ persons(first: 1) { totalCount } }', undefined, { 'x-request-id': 'partner-req-1' });
    expect(given.headers.get('x-request-id')).toBe('partner-req-1');
    const made = await graph.query('{ persons(first: 1) { totalCount } }');
    expect(made.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('keeps answering when a registry is down: the rest of the person stands, the missing part is named', async () => {
    const [id] = ids;
    // Last in this file: the payments registry stays down.
    await graph.subgraphs.payments!.app.close();
    const response = await graph.query(
        `query($id: ID!) { person(id: $id) { id surname travelDocuments { number } outstandingFines { id } applications { number } permits { number } } }`,
        { id },
      );
    const person = response.body.data.person;
    expect(person).toMatchObject({ id, outstandingFines: null });
    expect(person.surname.length).toBeGreaterThan(0);
    expect(Array.isArray(person.applications) && Array.isArray(person.permits)).toBe(true);
    expect(response.body.errors).toEqual([
      { message: expect.stringContaining('payments registry is unavailable'), extensions: { code: 'SUBGRAPH_UNAVAILABLE', registry: 'payments' } },
    ]);
    expect(JSON.stringify(response.body)).not.toContain('127.0.0.1');
  });
});
