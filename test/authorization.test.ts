import { encodeClaims, joinClaims } from '../protocol/claims';
import { CLAIMS_HEADER } from '../protocol/headers';
import { SIGNATURE_HEADER } from '../protocol/request-signing';
import { AGENCIES } from '../gateway/features/authorization/agencies';
import { ANONYMOUS, expectData, startGraph, type RunningGraph } from './harness';

/**
 * Issue 5, items 2 and 3, through the gateway over HTTP: fields the caller's scopes do not allow are
 * left out and reported FORBIDDEN at their path, the rest is served; personal data needs a declared
 * purpose the agency may use; the subgraphs check the forwarded claims as well.
 */
describe('authorization in the schema, enforced by the gateway (issue 5)', () => {
  let graph: RunningGraph;
  let personId: string;
  let document: { number: string; issuingCountry: string };
  let applicationNumber: string;
  let paymentCode: string;

  beforeAll(async () => {
    graph = await startGraph({ persons: 12 });
    const { persons } = expectData(
      await graph.query(`{ persons(first: 12) { nodes { id travelDocuments { number issuingCountry } applications { number payments { code } } } } }`),
    ) as { persons: { nodes: { id: string; travelDocuments: { number: string; issuingCountry: string }[]; applications: { number: string; payments: { code: string }[] }[] }[] } };
    const withApplication = persons.nodes.find((person) => person.applications.some((application) => application.payments.length > 0))!;
    personId = withApplication.id;
    document = withApplication.travelDocuments[0];
    const application = withApplication.applications.find((candidate) => candidate.payments.length > 0)!;
    applicationNumber = application.number;
    paymentCode = application.payments[0].code;
  });
  afterAll(() => graph.stop());

  const paths = (body: { errors?: { path?: unknown[] }[] }) => (body.errors ?? []).map((error) => error.path);
  const codes = (body: { errors?: { extensions?: Record<string, unknown> }[] }) => (body.errors ?? []).map((error) => error.extensions?.code);

  describe('without a token', () => {
    it('serves the public contract: the rules, state duties, and tracking an application by its number', async () => {
      const { status, body } = await graph.query(
        `query($n: String!) {
          rules(idPrefix: "STAY-01") { id }
          stateDuty(applicationType: WORK_PERMIT, durationMonths: 12, processingWorkingDays: 20) { outcome amount { amount } }
          applicationByNumber(number: $n) { number type status submittedOn dueOn stateDuty { outcome } payments { status amount { amount } } }
        }`,
        { n: applicationNumber },
        ANONYMOUS,
      );
      expect(status).toBe(200);
      expect(body.errors).toBeUndefined();
      expect(body.data.applicationByNumber.number).toBe(applicationNumber);
      expect(body.data.rules).toEqual([{ id: 'STAY-01' }]);
    });

    it('gets no personal data from tracking: the applicant, the ground and the officers are FORBIDDEN, the rest is served', async () => {
      const { body } = await graph.query(
        `query($n: String!) { applicationByNumber(number: $n) { status applicant { id surname } ground history { toStatus actor } } }`,
        { n: applicationNumber },
        ANONYMOUS,
      );
      expect(body.data.applicationByNumber.status).toEqual(expect.any(String));
      expect(body.data.applicationByNumber.applicant).toBeNull();
      expect(body.data.applicationByNumber.ground).toBeNull();
      // The history's steps are public, who took them is not.
      expect(body.data.applicationByNumber.history[0]).toEqual({ toStatus: 'SUBMITTED', actor: null });
      const forbidden = (body.errors ?? []).filter((error: { extensions?: { code?: string } }) => error.extensions?.code === 'FORBIDDEN');
      expect(forbidden.map((error: { path?: unknown[] }) => error.path)).toEqual(
        expect.arrayContaining([['applicationByNumber', 'applicant'], ['applicationByNumber', 'ground'], ['applicationByNumber', 'history', 'actor']]),
      );
      expect(forbidden.every((error: { message: string }) => /needs a token/.test(error.message))).toBe(true);
    });

    it('reads no person: a nullable root field is null with FORBIDDEN, and public fields beside it are served', async () => {
      const { status, body } = await graph.query(`query($id: ID!) { person(id: $id) { id surname } rules(idPrefix: "REG-01") { id } }`, { id: personId }, ANONYMOUS);
      expect(status).toBe(200);
      expect(body.data).toEqual({ person: null, rules: [{ id: 'REG-01' }] });
      expect(body.errors).toEqual([expect.objectContaining({ path: ['person'], extensions: { code: 'FORBIDDEN', field: 'Query.person' } })]);
    });

    it('can write nothing', async () => {
      const before = await graph.subgraphs.persons!.db.query<{ count: number }>('test.count', 'select count(*)::int as count from persons');
      const { body } = await graph.query(
        `mutation { registerPerson(input: { givenName: "Anon", surname: "Ymous", birthDate: "1990-01-01", sex: MALE, citizenship: "TUR",
          travelDocument: { kind: PASSPORT, number: "TR1234567", issuingCountry: "TUR", issuedOn: "2020-01-01", expiresOn: "2030-01-01" } }) { id } }`,
        undefined,
        ANONYMOUS,
      );
      expect(body.data).toBeNull();
      expect(codes(body)).toEqual(['FORBIDDEN']);
      const after = await graph.subgraphs.persons!.db.query<{ count: number }>('test.count', 'select count(*)::int as count from persons');
      expect(after).toEqual(before);
    });
  });

  describe('agency profiles', () => {
    it('the border service checks a status by travel document, but not applications or fines', async () => {
      const headers = await graph.caller('border-service', 'BORDER_CONTROL');
      const { body } = await graph.query(
        `query($n: String!, $c: CountryCode!) { personByDocument(number: $n, country: $c) { id surname legalStatus { outcome } applications { id } fines { id } } }`,
        { n: document.number, c: document.issuingCountry },
        headers,
      );
      expect(body.data.personByDocument).toMatchObject({ id: personId, surname: expect.any(String), legalStatus: { outcome: expect.any(String) }, applications: null, fines: null });
      expect(paths(body)).toEqual([['personByDocument', 'applications'], ['personByDocument', 'fines']]);
      expect(codes(body)).toEqual(['FORBIDDEN', 'FORBIDDEN']);
      expect(body.errors![0].message).toBe('Forbidden: Person.applications needs the scope applications:read.');
    });

    it('a field refused under a list: null in every item, one error at its place in the operation, without an index', async () => {
      const headers = await graph.caller('border-service', 'BORDER_CONTROL');
      const { body } = await graph.query(`{ persons(first: 3) { nodes { id fines { id } } } }`, undefined, headers);
      expect(body.data.persons.nodes).toHaveLength(3);
      for (const node of body.data.persons.nodes) expect(node).toEqual({ id: expect.any(String), fines: null });
      expect(body.errors).toEqual([expect.objectContaining({ path: ['persons', 'nodes', 'fines'], extensions: { code: 'FORBIDDEN', field: 'Person.fines' } })]);
    });

    it('a bank looks up a payment by its code, but not who owes it beyond an id', async () => {
      const headers = await graph.caller('bank', 'PAYMENT_PROCESSING');
      const { body } = await graph.query(`query($c: String!) { paymentByCode(code: $c) { code status amount { amount } payer { id surname } } }`, { c: paymentCode }, headers);
      expect(body.data.paymentByCode.code).toBe(paymentCode);
      // surname is non-null: the payer becomes null (nullable), the payment stays.
      expect(body.data.paymentByCode.payer).toBeNull();
      expect(body.errors).toEqual([expect.objectContaining({ path: ['paymentByCode', 'payer', 'surname'], extensions: { code: 'FORBIDDEN', field: 'Person.surname' } })]);
      const person = await graph.query(`query($id: ID!) { person(id: $id) { id } }`, { id: personId }, headers);
      expect(person.body).toMatchObject({ data: { person: null }, errors: [{ extensions: { code: 'FORBIDDEN' } }] });
    });

    it('the internal dashboard counts persons but reads none', async () => {
      const headers = await graph.caller('internal-dashboard', 'STATISTICS');
      const counted = await graph.query(`{ persons(first: 5) { totalCount } }`, undefined, headers);
      expect(counted.body).toEqual({ data: { persons: { totalCount: 12 } } });
      const listed = await graph.query(`{ persons(first: 5) { totalCount nodes { id } } }`, undefined, headers);
      expect(codes(listed.body)).toEqual(['FORBIDDEN']);
      expect(listed.body.data).toBeNull();
    });

    it("the employers' inspectorate cannot impose a fine, and nothing is written", async () => {
      const headers = await graph.caller('employers-inspectorate', 'LABOUR_INSPECTION');
      const before = await graph.subgraphs.payments!.db.query<{ count: number }>('test.count', 'select count(*)::int as count from fines');
      const { body } = await graph.query(
        `mutation($p: ID!) { issueFine(input: { personId: $p, offence: OVERSTAY, legalArticle: "575.1", amount: "400", idempotencyKey: "inspectorate-fine-1" }) { id } }`,
        { p: personId },
        headers,
      );
      expect(body).toMatchObject({ data: null, errors: [{ extensions: { code: 'FORBIDDEN', field: 'Mutation.issueFine' } }] });
      const after = await graph.subgraphs.payments!.db.query<{ count: number }>('test.count', 'select count(*)::int as count from fines');
      expect(after).toEqual(before);
    });

    it('a token never holds more than its profile, so a scope not in it is refused as if absent', async () => {
      const headers = await graph.caller('bank', 'PAYMENT_PROCESSING', { scopes: ['payments:read', 'persons:read'] });
      const { body } = await graph.query(`query($id: ID!) { person(id: $id) { surname } }`, { id: personId }, headers);
      expect(codes(body)).toEqual(['FORBIDDEN']);
    });

    it('the same operation text is planned per scope set: a plan never leaks across callers', async () => {
      const query = `query Same($id: ID!) { person(id: $id) { id fines { id } permits { id } } }`;
      const officer = await graph.caller('migration-officer', 'CASE_PROCESSING');
      const inspector = await graph.caller('employers-inspectorate', 'LABOUR_INSPECTION');
      for (let round = 0; round < 2; round += 1) {
        const full = await graph.query(query, { id: personId }, officer);
        expect(full.body.errors).toBeUndefined();
        expect(Array.isArray(full.body.data.person.fines)).toBe(true);
        const narrow = await graph.query(query, { id: personId }, inspector);
        expect(narrow.body.data.person.fines).toBeNull();
        expect(Array.isArray(narrow.body.data.person.permits)).toBe(true);
        expect(codes(narrow.body)).toEqual(['FORBIDDEN']);
      }
    });

    it('named fragments are judged where they are used, like inline selections', async () => {
      const headers = await graph.caller('employers-inspectorate', 'LABOUR_INSPECTION');
      const { body } = await graph.query(
        `query($id: ID!) { person(id: $id) { ...Who } } fragment Who on Person { id fines { id } workAuthorization { outcome } }`,
        { id: personId },
        headers,
      );
      expect(body.data.person).toMatchObject({ id: personId, fines: null, workAuthorization: { outcome: expect.any(String) } });
      expect(paths(body)).toEqual([['person', 'fines']]);
    });

    it("refuses aliases with the gateway's internal prefix", async () => {
      const { status, body } = await graph.query(`query($id: ID!) { person(id: $id) { _dmxPerson: surname } }`, { id: personId });
      expect(status).toBe(400);
      expect(body.errors![0].message).toMatch(/reserved/);
    });
  });

  describe('purpose of use (item 3)', () => {
    const read = `query($id: ID!) { person(id: $id) { surname legalStatus { outcome } } }`;

    it('refuses personal data without a declared purpose, with a clear code and nothing read', async () => {
      const headers = await graph.caller('police');
      const { status, body } = await graph.query(read, { id: personId }, headers);
      expect(status).toBe(400);
      expect(body.data).toBeUndefined();
      expect(body.errors).toEqual([expect.objectContaining({ extensions: { code: 'PURPOSE_REQUIRED' } })]);
      expect(body.errors![0].message).toMatch(/^Personal data is read for a declared purpose: .*PUBLIC_ORDER, CRIMINAL_INVESTIGATION/);
    });

    it('refuses a write without a declared purpose, saying it is a write, before it runs', async () => {
      const headers = await graph.caller('police');
      const { status, body } = await graph.query(`mutation($id: ID!) { issueFine(input: { personId: $id, offence: OVERSTAY, legalArticle: "575.1", amount: "400", idempotencyKey: "purpose-test-0001" }) { id } }`, { id: personId }, headers);
      expect(status).toBe(400);
      expect(body.data).toBeUndefined();
      expect(body.errors).toEqual([expect.objectContaining({ extensions: { code: 'PURPOSE_REQUIRED' } })]);
      expect(body.errors![0].message).toMatch(/^The registries are written to for a declared purpose: .*PUBLIC_ORDER, CRIMINAL_INVESTIGATION/);
    });

    it("refuses a purpose that is not the agency's", async () => {
      const headers = await graph.caller('police', 'BORDER_CONTROL');
      const { status, body } = await graph.query(read, { id: personId }, headers);
      expect(status).toBe(403);
      expect(codes(body)).toEqual(['PURPOSE_NOT_ALLOWED']);
    });

    it('refuses a malformed purpose header', async () => {
      const headers = { ...(await graph.caller('police')), 'x-dmx-purpose': "PUBLIC_ORDER'; drop table" };
      const { status, body } = await graph.query(read, { id: personId }, headers);
      expect(status).toBe(400);
      expect(codes(body)).toEqual(['BAD_REQUEST']);
    });

    it('serves with an allowed purpose; public reads need none', async () => {
      const served = await graph.query(read, { id: personId }, await graph.caller('police', 'CRIMINAL_INVESTIGATION'));
      expect(served.body.errors).toBeUndefined();
      const publicRead = await graph.query(`{ rules(idPrefix: "VISA-01") { id } }`, undefined, await graph.caller('police'));
      expect(publicRead.body).toEqual({ data: { rules: [{ id: 'VISA-01' }] } });
    });

    it('every agency profile lists at least one purpose', () => {
      for (const [agency, profile] of Object.entries(AGENCIES)) expect({ agency, purposes: profile.purposes.length > 0 }).toEqual({ agency, purposes: true });
    });
  });

  describe('the subgraphs check the forwarded claims as well', () => {
    async function callPersons(
      claims: object | string | null,
      query = `query($id: ID!) { person(id: $id) { surname } }`,
      variables: Record<string, unknown> = { id: personId },
    ): Promise<{ errors?: { extensions?: { code?: string } }[]; data?: unknown }> {
      const body = JSON.stringify({ query, variables });
      const claimsHeader = typeof claims === 'string' ? claims : claims ? encodeClaims(claims as never) : undefined;
      const response = await fetch(graph.subgraphs.persons!.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(claimsHeader ? { [CLAIMS_HEADER]: claimsHeader } : {}),
          // Signed with the gateway's key: the request got around the gateway's own check, not its signature.
          [SIGNATURE_HEADER]: graph.signAsGateway({ audience: 'persons', claims: claimsHeader, body }),
        },
        body,
      });
      return response.json() as Promise<{ errors?: { extensions?: { code?: string } }[] }>;
    }

    it('a signed request whose claims lack the scope is refused FORBIDDEN by the subgraph', async () => {
      expect(codes(await callPersons({ agency: 'bank', subject: 'b-1', scopes: ['payments:read'] }))).toEqual(['FORBIDDEN']);
      expect(codes(await callPersons(null))).toEqual(['FORBIDDEN']);
    });

    it('and served when they hold it', async () => {
      const body = await callPersons({ agency: 'police', subject: 'p-1', scopes: ['persons:read'] });
      expect(body.errors).toBeUndefined();
      expect(body.data).toEqual({ person: { surname: expect.any(String) } });
    });

    // Issue 6: the gateway joins the reads of officers of one agency holding the same scopes.
    const officers = (agency: string, scopes: string[]) => joinClaims(['p-1', 'p-2'].map((subject) => encodeClaims({ agency, subject, scopes })));

    it('serves a read for several officers holding the scope, and refuses it FORBIDDEN when they do not', async () => {
      expect(await callPersons(officers('police', ['persons:read']))).toEqual({ data: { person: { surname: expect.any(String) } } });
      expect(codes(await callPersons(officers('bank', ['payments:read'])))).toEqual(['FORBIDDEN']);
    });

    it('refuses a write naming several officers UNAUTHENTICATED, and writes nothing', async () => {
      const write = `mutation($personId: ID!, $document: TravelDocumentInput!) { addTravelDocument(personId: $personId, document: $document) { number } }`;
      const document = { kind: 'PASSPORT', number: 'JOINED0001', issuingCountry: 'TUR', issuedOn: '2024-01-10', expiresOn: '2034-01-09' };
      const refused = await callPersons(officers('migration-officer', ['persons:read', 'persons:write']), write, { personId, document });
      expect(codes(refused)).toEqual(['UNAUTHENTICATED']);
      const documents = `query($id: ID!) { person(id: $id) { travelDocuments { number } } }`;
      const held = await callPersons({ agency: 'police', subject: 'p-1', scopes: ['persons:read'] }, documents);
      expect(JSON.stringify(held)).not.toContain('JOINED0001');
      // The same write from one officer is not refused.
      const written = await callPersons({ agency: 'migration-officer', subject: 'p-1', scopes: ['persons:read', 'persons:write'] }, write, { personId, document });
      expect(written).toEqual({ data: { addTravelDocument: { number: 'JOINED0001' } } });
    });
  });
});
