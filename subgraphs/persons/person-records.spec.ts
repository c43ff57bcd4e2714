import { randomUUID } from 'node:crypto';
import { DATABASE_TARGETS, startSubgraphUnderTest, TEST_TODAY, type SubgraphUnderTest } from '../shared/testing/subgraph-test-app';
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
    ['the same id with other details', { direction: 'EXIT' }, 'input.id'],
    ['a crossing in the future', { id: randomUUID(), date: '2099-01-01' }, 'input.date'],
    ['an unknown person', { id: randomUUID(), personId: randomUUID() }, 'input.personId'],
    ['a malformed feed id', { id: 'crossing-1' }, 'input.id'],
  ])('refuses %s', async (_name, change, field) => {
    const person = subgraph.histories[1].person.id;
    const base = { id: randomUUID(), personId: person, direction: 'ENTRY', date: TEST_TODAY, checkpoint: 'RED_BRIDGE' };
    await subgraph.client.query(RECORD, { variables: { input: base } });
    const before = await count('border_crossings');
    const response = await subgraph.client.query(RECORD, { variables: { input: { ...base, ...change } } });
    expect(response.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
    expect(await count('border_crossings')).toBe(before);
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
});
