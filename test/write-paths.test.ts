import { randomUUID } from 'node:crypto';
import { SUBGRAPH_NAMES, type SubgraphName } from '../protocol/registries';
import { freshServerDatabase } from '../platform/testing/subgraph-test-app';
import { eventually, expectData, startGraph, type RunningGraph } from './harness';

/**
 * Issue 18, items 2, 7 and the dates of 8, through the gateway over HTTP: an idempotent write refuses
 * its key reused with other details (IDEMPOTENCY_KEY_REUSED), a write about a person who does not
 * exist or on an implausible day is refused (BAD_USER_INPUT naming the field), and the audit record
 * of a write that touches a person names that person. On PGlite, and on a PostgreSQL server when
 * TEST_DATABASE_URL names one (where 50 officers with one key once lost 49 fines).
 */
const TARGETS: [kind: string, serverUrl: string | undefined][] = [
  ['PGlite', undefined],
  ...(process.env.TEST_DATABASE_URL ? [['PostgreSQL', process.env.TEST_DATABASE_URL] as [string, string]] : []),
];

const FINE = `mutation($input: IssueFineInput!) { issueFine(input: $input) { id paymentCode person { id } } }`;
const PAY = `mutation($input: RecordPaymentInput!) { recordPayment(input: $input) { status channel } }`;
const CROSSING = `mutation($input: BorderCrossingInput!) { recordBorderCrossing(input: $input) { id date } }`;
const DOCUMENT = `mutation($p: ID!, $d: TravelDocumentInput!) { addTravelDocument(personId: $p, document: $d) { number } }`;

describe.each(TARGETS)('write paths through the gateway on %s (issue 18)', (_kind, serverUrl) => {
  let graph: RunningGraph;
  let persons: { id: string; birthDate: string }[];
  const databases: Awaited<ReturnType<typeof freshServerDatabase>>[] = [];

  beforeAll(async () => {
    const databaseUrls: Partial<Record<SubgraphName, string>> = {};
    if (serverUrl) {
      for (const name of SUBGRAPH_NAMES) {
        const database = await freshServerDatabase(serverUrl, name);
        databases.push(database);
        databaseUrls[name] = database.url;
      }
    }
    graph = await startGraph({ persons: 60, databaseUrls });
    persons = expectData(await graph.query<{ persons: { nodes: { id: string; birthDate: string }[] } }>('{ persons(first: 60) { nodes { id birthDate } } }')).persons.nodes;
    // Five databases seeded on a server can take a while on a busy machine.
  }, 180_000);
  afterAll(async () => {
    await graph?.stop();
    for (const database of databases) await database.drop();
  });

  const police = (subject = 'officer-1') => graph.caller('police', 'PUBLIC_ORDER', { subject });
  const fine = (personId: string, extra: object = {}) => ({
    personId, offence: 'OVERSTAY', legalArticle: 'İXM 575.1', amount: '300.00', idempotencyKey: `police-${randomUUID()}`, ...extra,
  });
  const count = async (subgraph: 'payments' | 'persons', sql: string, params: unknown[] = []) =>
    (await graph.subgraphs[subgraph]!.db.query<{ n: number }>('test.count', `select count(*)::int as n from ${sql}`, params))[0].n;
  const finesOf = (personId: string) => count('payments', 'fines where person_id = $1', [personId]);

  describe('item 2: a reused key is refused, never answered with another write', () => {
    it("person B fined with A's key: refused, A's fine stands and B has none", async () => {
      const [a, b] = [persons[0].id, persons[1].id];
      const key = `police-${randomUUID()}`;
      const first = await graph.query(FINE, { input: fine(a, { idempotencyKey: key }) }, await police());
      expect(expectData(first).issueFine.person).toEqual({ id: a });
      const second = await graph.query(FINE, { input: fine(b, { idempotencyKey: key, amount: '350.00' }) }, await police('officer-2'));
      // The gateway passes code and field on; the message says what differs.
      expect(second.body.errors?.[0]).toMatchObject({ message: expect.stringContaining('(personId, amount)'), extensions: { code: 'IDEMPOTENCY_KEY_REUSED', field: 'input.idempotencyKey' } });
      expect(second.body.data).toBeNull();
      expect([await finesOf(a), await finesOf(b)]).toEqual([1, 0]);
      // The same fine sent again is a retry and gets the same fine.
      const retry = await graph.query(FINE, { input: fine(a, { idempotencyKey: key }) }, await police());
      expect(expectData(retry).issueFine.id).toBe(expectData(first).issueFine.id);
    });

    it('50 officers fining 50 persons with one key at once: one fine, 49 refusals, no fine lost in silence', async () => {
      const key = `police-race-${randomUUID()}`;
      const fined = persons.slice(5, 55).map((person) => person.id);
      const answers = await Promise.all(fined.map(async (personId, index) => graph.query(FINE, { input: fine(personId, { idempotencyKey: key }) }, await police(`officer-${index}`))));
      const taken = answers.filter((answer) => !answer.body.errors);
      expect(taken).toHaveLength(1);
      for (const answer of answers.filter((a) => a.body.errors)) {
        expect(answer.body.errors![0]).toMatchObject({ message: expect.stringContaining('(personId)'), extensions: { code: 'IDEMPOTENCY_KEY_REUSED', field: 'input.idempotencyKey' } });
      }
      expect(await count('payments', 'fines where person_id = any($1::uuid[]) and idempotency_key = $2', [fined, key])).toBe(1);
      expect(await count('payments', 'fines where idempotency_key = $1', [key])).toBe(1);
    });

    it("a bank's transaction key sent again with another channel is refused; the payment stays as taken", async () => {
      const { paymentCode } = expectData(await graph.query(FINE, { input: fine(persons[2].id) }, await police())).issueFine;
      const bank = await graph.caller('bank', 'PAYMENT_PROCESSING');
      const input = { code: paymentCode, channel: 'BANK_BRANCH', amount: '300.00', idempotencyKey: `bank-${randomUUID()}` };
      expect(expectData(await graph.query(PAY, { input }, bank)).recordPayment).toEqual({ status: 'PAID', channel: 'BANK_BRANCH' });
      expect(expectData(await graph.query(PAY, { input }, bank)).recordPayment).toEqual({ status: 'PAID', channel: 'BANK_BRANCH' });
      const other = await graph.query(PAY, { input: { ...input, channel: 'ONLINE' } }, bank);
      expect(other.body.errors?.[0]).toMatchObject({ message: expect.stringContaining('(channel)'), extensions: { code: 'IDEMPOTENCY_KEY_REUSED', field: 'input.idempotencyKey' } });
      expect(await count('payments', `payments where code = $1 and channel = 'BANK_BRANCH'`, [paymentCode])).toBe(1);
    });

    it('a crossing id sent again with other details is refused with the same code', async () => {
      const border = await graph.caller('border-service', 'BORDER_CONTROL');
      const input = { id: randomUUID(), personId: persons[3].id, direction: 'ENTRY', date: '2026-11-01', checkpoint: 'SAMUR' };
      expectData(await graph.query(CROSSING, { input }, border));
      const other = await graph.query(CROSSING, { input: { ...input, direction: 'EXIT' } }, border);
      expect(other.body.errors?.[0]).toMatchObject({ message: expect.stringContaining('(direction)'), extensions: { code: 'IDEMPOTENCY_KEY_REUSED', field: 'input.id' } });
    });
  });

  describe('item 2: a write about a person who does not exist is refused', () => {
    it.each([
      ['a fine', FINE, (id: string) => ({ input: fine(id) }), 'input.personId', 'police'],
      ['a crossing', CROSSING, (id: string) => ({ input: { id: randomUUID(), personId: id, direction: 'ENTRY', date: '2026-11-01', checkpoint: 'SAMUR' } }), 'input.personId', 'border-service'],
      [
        'a travel document',
        DOCUMENT,
        (id: string) => ({ p: id, d: { kind: 'PASSPORT', number: 'NOBODY0001', issuingCountry: 'TUR', issuedOn: '2025-01-01', expiresOn: '2035-01-01' } }),
        'personId',
        'administrator',
      ],
    ])('%s for an unknown person id: BAD_USER_INPUT naming the field, nothing written', async (_name, mutation, variables, field, agency) => {
      const nobody = randomUUID();
      const purpose = { police: 'PUBLIC_ORDER', 'border-service': 'BORDER_CONTROL', administrator: 'ADMINISTRATION' }[agency]!;
      const before = [await count('payments', 'fines'), await count('persons', 'border_crossings'), await count('persons', 'travel_documents')];
      const response = await graph.query(mutation, variables(nobody), await graph.caller(agency, purpose));
      expect(response.body.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
      expect([await count('payments', 'fines'), await count('persons', 'border_crossings'), await count('persons', 'travel_documents')]).toEqual(before);
    });
  });

  describe('item 8: only plausible days are written', () => {
    const border = () => graph.caller('border-service', 'BORDER_CONTROL');
    it.each([
      ['a crossing dated 1000-01-01', () => graph.query(CROSSING, { input: { id: randomUUID(), personId: persons[4].id, direction: 'ENTRY', date: '1000-01-01', checkpoint: 'SAMUR' } }, undefined), 'input.date', /1000-01-01 is not a plausible day/],
      ['a fine issued 1900-01-01', async () => graph.query(FINE, { input: fine(persons[4].id, { issuedOn: '1900-01-01' }) }, await police()), 'input.issuedOn', /birth date/],
      ['a fine issued in 2999', async () => graph.query(FINE, { input: fine(persons[4].id, { issuedOn: '2999-01-01' }) }, await police()), 'input.issuedOn', /WRITE_DATE_MARGIN_DAYS/],
      ['a fine due in 2999', async () => graph.query(FINE, { input: fine(persons[4].id, { dueOn: '2999-01-01' }) }, await police()), 'input.dueOn', /a year after it is imposed/],
      [
        'a crossing in 2999',
        async () => graph.query(CROSSING, { input: { id: randomUUID(), personId: persons[4].id, direction: 'ENTRY', date: '2999-01-01', checkpoint: 'SAMUR' } }, await border()),
        'input.date',
        /WRITE_DATE_MARGIN_DAYS/,
      ],
      [
        'a document issued 1000-01-01',
        () => graph.query(DOCUMENT, { p: persons[4].id, d: { kind: 'PASSPORT', number: 'ANCIENT001', issuingCountry: 'TUR', issuedOn: '1000-01-01', expiresOn: '2035-01-01' } }),
        'document.issuedOn',
        /1000-01-01 is not a plausible day/,
      ],
    ])('%s is refused with BAD_USER_INPUT and extensions.field, nothing written', async (_name, send, field, message) => {
      const before = [await count('payments', 'fines'), await count('persons', 'border_crossings'), await count('persons', 'travel_documents')];
      const response = await send();
      expect(response.status).toBe(200);
      expect(response.body.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
      expect(response.body.errors?.[0].message).toMatch(message);
      expect([await count('payments', 'fines'), await count('persons', 'border_crossings'), await count('persons', 'travel_documents')]).toEqual(before);
    });

    it("a day before the person's birth is refused without telling the birth date (the writer may not read it)", async () => {
      const { id, birthDate } = persons[4];
      const answers = [
        await graph.query(FINE, { input: fine(id, { issuedOn: '1900-01-01' }) }, await police()),
        await graph.query(CROSSING, { input: { id: randomUUID(), personId: id, direction: 'ENTRY', date: '1900-01-01', checkpoint: 'SAMUR' } }, await border()),
      ];
      for (const answer of answers) {
        expect(answer.body.errors?.[0].message).toMatch(/between the person's birth date and/);
        expect(answer.body.errors?.[0].message).not.toContain(birthDate);
      }
    });

    it('a crossing dated tomorrow is taken (within the default margin of one day)', async () => {
      const response = await graph.query(CROSSING, { input: { id: randomUUID(), personId: persons[4].id, direction: 'EXIT', date: '2026-11-03', checkpoint: 'SAMUR' } }, await border());
      expect(expectData(response).recordBorderCrossing.date).toBe('2026-11-03');
    });
  });

  describe('item 7: the audit record of a write names the person it touched', () => {
    /** The request's record in the person's Person.dataAccessLog, as oversight reads it. */
    const recordIn = async (personId: string, requestId: string) => {
      const oversight = await graph.caller('administrator', 'OVERSIGHT');
      return eventually(async () => {
        const log = expectData(await graph.query(`query($id: ID!) { person(id: $id) { dataAccessLog(first: 50) { requestId agency operation fields } } }`, { id: personId }, oversight)).person
          .dataAccessLog as { requestId: string; agency: string; operation: string; fields: string[] }[];
        return log.find((record) => record.requestId === requestId);
      }, `the record of ${requestId} in the person's log`, 5_000);
    };

    it('recordBorderCrossing: in the crossing person’s dataAccessLog, though the answer holds no person field', async () => {
      const person = persons[6].id;
      const requestId = `write-paths-crossing-${randomUUID()}`;
      const input = { id: randomUUID(), personId: person, direction: 'ENTRY', date: '2026-11-01', checkpoint: 'ASTARA' };
      const response = await graph.query(`mutation Crossed($input: BorderCrossingInput!) { recordBorderCrossing(input: $input) { id } }`, { input }, {
        ...(await graph.caller('border-service', 'BORDER_CONTROL')),
        'x-request-id': requestId,
      });
      // The gateway's own key is gone from the answer.
      expect(response.body).toEqual({ data: { recordBorderCrossing: { id: input.id } } });
      expect(await recordIn(person, requestId)).toMatchObject({ agency: 'border-service', operation: 'Crossed', fields: expect.arrayContaining(['Mutation.recordBorderCrossing']) });
    });

    it('addTravelDocument: in the holder’s dataAccessLog', async () => {
      const person = persons[7].id;
      const requestId = `write-paths-document-${randomUUID()}`;
      const response = await graph.query(
        `mutation Documented($p: ID!, $d: TravelDocumentInput!) { addTravelDocument(personId: $p, document: $d) { number } }`,
        { p: person, d: { kind: 'PASSPORT', number: `AU${Date.now().toString().slice(-8)}`, issuingCountry: 'TUR', issuedOn: '2025-01-01', expiresOn: '2035-01-01' } },
        { ...(await graph.caller('migration-officer', 'CASE_PROCESSING')), 'x-request-id': requestId },
      );
      expect(Object.keys(expectData(response).addTravelDocument)).toEqual(['number']);
      expect(await recordIn(person, requestId)).toMatchObject({ agency: 'migration-officer', operation: 'Documented' });
    });

    it('a read of crossings and documents names their person once', async () => {
      const person = persons[8].id;
      const requestId = `write-paths-read-${randomUUID()}`;
      const response = await graph.query(`query Travels($id: ID!) { person(id: $id) { travelDocuments { number } borderCrossings { date } } }`, { id: person }, {
        ...(await graph.caller('administrator', 'ADMINISTRATION')),
        'x-request-id': requestId,
      });
      expect(JSON.stringify(response.body)).not.toMatch(/_dmx/);
      expect(await recordIn(person, requestId)).toMatchObject({ operation: 'Travels' });
    });
  });
});
