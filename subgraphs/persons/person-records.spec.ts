import { randomUUID } from 'node:crypto';
import { DATABASE_TARGETS, startSubgraphUnderTest, TEST_TODAY, type SubgraphUnderTest } from '../../platform/testing/subgraph-test-app';
import { personsSubgraph } from './app';

const REGISTER = `mutation($input: RegisterPersonInput!) { registerPerson(input: $input) {
  id givenName surname citizenship stateless birthDate travelDocuments { number issuingCountry } } }`;
const RECORD = `mutation($input: BorderCrossingInput!) { recordBorderCrossing(input: $input) { id direction date checkpoint } }`;

const newcomer = (number: string, extra: object = {}) => ({
  givenName: 'Leyla',
  surname: 'Karimova',
  birthDate: '1994-02-28',
  sex: 'FEMALE',
  citizenship: 'UZB',
  travelDocument: { kind: 'PASSPORT', number, issuingCountry: 'UZB', issuedOn: '2022-05-01', expiresOn: '2032-04-30' },
  ...extra,
});


describe.each(DATABASE_TARGETS)('persons subgraph write paths on %s (issue 4)', (_kind, serverUrl) => {
  let subgraph: SubgraphUnderTest;
  beforeAll(async () => {
    subgraph = await startSubgraphUnderTest(personsSubgraph, 3, { serverUrl });
  });
  afterAll(() => subgraph.close());

  const count = async (table: string) => (await subgraph.db.query<{ n: number }>('test.count', `select count(*)::int as n from ${table}`))[0].n;

  it('registers a person with the travel document they came with', async () => {
    const response = await subgraph.client.query(REGISTER, { variables: { input: newcomer('FA1234567') } });
    expect(response.errors).toBeUndefined();
    expect(response.data.registerPerson).toMatchObject({
      givenName: 'Leyla', surname: 'Karimova', citizenship: 'UZB', stateless: false, birthDate: '1994-02-28',
      travelDocuments: [{ number: 'FA1234567', issuingCountry: 'UZB' }],
    });
    const stateless = await subgraph.client.query(REGISTER, {
      variables: { input: newcomer('ST7654321', { citizenship: null, stateless: true, travelDocument: { kind: 'STATELESS_TRAVEL_DOCUMENT', number: 'ST7654321', issuingCountry: 'AZE', issuedOn: '2023-01-01', expiresOn: '2028-01-01' } }) },
    });
    expect(stateless.data.registerPerson).toMatchObject({ citizenship: null, stateless: true });
  });

  it.each([
    ['a document already on record', newcomer('FA1234567'), 'input.travelDocument.number'],
    ['a citizenship and stateless at once', newcomer('XX1111111', { stateless: true }), 'input.citizenship'],
    ['neither citizenship nor stateless', newcomer('XX1111112', { citizenship: null }), 'input.citizenship'],
    ['a birth date in the future', newcomer('XX1111113', { birthDate: '2099-01-01' }), 'input.birthDate'],
    ['a birth date before 1900', newcomer('XX1111117', { birthDate: '1899-12-31' }), 'input.birthDate'],
    ['a document issued before its holder was born', newcomer('XX1111118', { travelDocument: { kind: 'PASSPORT', number: 'XX1111118', issuingCountry: 'UZB', issuedOn: '1990-01-01', expiresOn: '2030-01-01' } }), 'input.travelDocument.issuedOn'],
    ['a name with digits', newcomer('XX1111114', { surname: 'K4rimova' }), 'input.surname'],
    ['a malformed FİN', newcomer('XX1111115', { fin: 'IO12' }), 'input.fin'],
    ['a document that expires before issue', newcomer('XX1111116', { travelDocument: { kind: 'PASSPORT', number: 'XX1111116', issuingCountry: 'UZB', issuedOn: '2022-05-01', expiresOn: '2021-01-01' } }), 'input.travelDocument.expiresOn'],
  ])('refuses %s with BAD_USER_INPUT, writing nothing', async (_name, input, field) => {
    const [persons, documents] = [await count('persons'), await count('travel_documents')];
    const response = await subgraph.client.query(REGISTER, { variables: { input } });
    expect(response.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
    expect([await count('persons'), await count('travel_documents')]).toEqual([persons, documents]);
  });

  it('records a resent crossing once, also when 50 copies arrive at once', async () => {
    const person = subgraph.histories[0].person.id;
    const crossing = { id: randomUUID(), personId: person, direction: 'ENTRY', date: TEST_TODAY, checkpoint: 'SAMUR' };
    const before = await count('border_crossings');
    const answers = await Promise.all(Array.from({ length: 50 }, () => subgraph.client.query(RECORD, { variables: { input: crossing } })));
    for (const answer of answers) {
      expect(answer.errors).toBeUndefined();
      expect(answer.data.recordBorderCrossing).toEqual({ id: crossing.id, direction: 'ENTRY', date: TEST_TODAY, checkpoint: 'SAMUR' });
    }
    expect(await count('border_crossings')).toBe(before + 1);
  });

  it.each([
    ['the same id with other details', { direction: 'EXIT' }, 'IDEMPOTENCY_KEY_REUSED', 'input.id'],
    ['the same id for another person', { personId: 'second' }, 'IDEMPOTENCY_KEY_REUSED', 'input.id'],
    ['a crossing in the future', { id: randomUUID(), date: '2099-01-01' }, 'BAD_USER_INPUT', 'input.date'],
    ['a crossing beyond the margin', { id: randomUUID(), date: '2026-11-04' }, 'BAD_USER_INPUT', 'input.date'],
    ['a crossing dated 1000-01-01', { id: randomUUID(), date: '1000-01-01' }, 'BAD_USER_INPUT', 'input.date'],
    ["a crossing before the person's birth", { id: randomUUID(), date: 'before-birth' }, 'BAD_USER_INPUT', 'input.date'],
    ['an unknown person', { id: randomUUID(), personId: randomUUID() }, 'BAD_USER_INPUT', 'input.personId'],
    ['a malformed feed id', { id: 'crossing-1' }, 'BAD_USER_INPUT', 'input.id'],
  ])('refuses %s', async (_name, change, code, field) => {
    const [first, second] = [subgraph.histories[1].person, subgraph.histories[2].person];
    const base = { id: randomUUID(), personId: first.id, direction: 'ENTRY', date: TEST_TODAY, checkpoint: 'RED_BRIDGE' };
    await subgraph.client.query(RECORD, { variables: { input: base } });
    const before = await count('border_crossings');
    const asked = change as { personId?: string; date?: string };
    const resolved = {
      ...change,
      ...(asked.personId === 'second' ? { personId: second.id } : {}),
      ...(asked.date === 'before-birth' ? { date: '1900-01-01' } : {}),
    };
    expect(first.birthDate > '1900-01-01').toBe(true);
    const response = await subgraph.client.query(RECORD, { variables: { input: { ...base, ...resolved } } });
    expect(response.errors?.[0].extensions).toMatchObject({ code, field });
    expect(await count('border_crossings')).toBe(before);
  });

  it('takes a crossing dated tomorrow (within WRITE_DATE_MARGIN_DAYS, default 1)', async () => {
    const input = { id: randomUUID(), personId: subgraph.histories[0].person.id, direction: 'EXIT', date: '2026-11-03', checkpoint: 'SAMUR' };
    expect((await subgraph.client.query(RECORD, { variables: { input } })).errors).toBeUndefined();
  });

  it('names the person of a crossing and of a document it returns', async () => {
    const person = subgraph.histories[0].person.id;
    const crossing = await subgraph.client.query(
      `mutation($input: BorderCrossingInput!) { recordBorderCrossing(input: $input) { id person { id surname } } }`,
      { variables: { input: { id: randomUUID(), personId: person, direction: 'ENTRY', date: TEST_TODAY, checkpoint: 'ASTARA' } } },
    );
    expect(crossing.data.recordBorderCrossing.person).toEqual({ id: person, surname: subgraph.histories[0].person.surname });
    const read = await subgraph.client.query(`query($id: ID!) { person(id: $id) { travelDocuments { holder { id } } borderCrossings { person { id } } } }`, { variables: { id: person } });
    expect(new Set([...read.data.person.travelDocuments.map((d: { holder: { id: string } }) => d.holder.id), ...read.data.person.borderCrossings.map((c: { person: { id: string } }) => c.person.id)])).toEqual(new Set([person]));
  });

  it('adds a travel document once, and refuses one that belongs to someone else', async () => {
    const [first, second] = subgraph.histories;
    const add = (personId: string, number: string) =>
      subgraph.client.query(
        `mutation($p: ID!, $d: TravelDocumentInput!) { addTravelDocument(personId: $p, document: $d) { number } }`,
        { variables: { p: personId, d: { kind: 'PASSPORT', number, issuingCountry: 'TUR', issuedOn: '2025-01-01', expiresOn: '2035-01-01' } } },
      );
    const before = await count('travel_documents');
    await Promise.all(Array.from({ length: 20 }, () => add(first.person.id, 'U12345678')));
    expect(await count('travel_documents')).toBe(before + 1);
    const stolen = await add(second.person.id, 'U12345678');
    expect(stolen.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'document.number' });
  });

  it('refuses a document on record with other details, one for an unknown person, and implausible days', async () => {
    const [first] = subgraph.histories;
    const add = (personId: string, document: object) =>
      subgraph.client.query(`mutation($p: ID!, $d: TravelDocumentInput!) { addTravelDocument(personId: $p, document: $d) { number holder { id } } }`, {
        variables: { p: personId, d: { kind: 'PASSPORT', number: 'V12345678', issuingCountry: 'TUR', issuedOn: '2025-01-01', expiresOn: '2035-01-01', ...document } },
      });
    expect((await add(first.person.id, {})).data.addTravelDocument).toEqual({ number: 'V12345678', holder: { id: first.person.id } });
    const before = await count('travel_documents');
    const refusals = [
      [await add(first.person.id, { expiresOn: '2036-01-01' }), 'document.expiresOn'],
      [await add(randomUUID(), { number: 'V12345679' }), 'personId'],
      [await add(first.person.id, { number: 'V12345670', issuedOn: '1000-01-01' }), 'document.issuedOn'],
      [await add(first.person.id, { number: 'V12345671', issuedOn: '2999-01-01', expiresOn: '3009-01-01' }), 'document.issuedOn'],
    ] as const;
    for (const [response, field] of refusals) expect(response.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
    expect(await count('travel_documents')).toBe(before);
  });
});
