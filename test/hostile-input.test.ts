import { SignJWT } from 'jose';
import { createHash } from 'node:crypto';
import { AUDIENCE, DEVELOPMENT_ISSUER, mintToken, newDevelopmentKey } from '../gateway/features/authentication/tokens';
import { newSigningKeyPair, signRequest, SIGNATURE_HEADER } from '../protocol/request-signing';
import { SUBGRAPH_NAMES } from '../protocol/registries';
import { mintRegistryToken } from '../protocol/registry-token';
import { startGraph, type RunningGraph } from './harness';

/**
 * Hostile input (issue 5, item 7): every case gets a clear error code, never a 5xx; nothing is
 * written; and the gateway keeps serving.
 */
type Case = { name: string; send: (graph: RunningGraph) => Promise<Response> };

const CLEAR_CODES = new Set([
  'BAD_USER_INPUT', 'GRAPHQL_VALIDATION_FAILED', 'GRAPHQL_PARSE_FAILED', 'UNAUTHENTICATED', 'BAD_REQUEST', 'NOT_FOUND',
  'INVALID_TRANSITION', 'IDEMPOTENCY_KEY_REUSED', 'OPERATION_RESOLUTION_FAILURE', 'FORBIDDEN', 'PURPOSE_REQUIRED', 'PURPOSE_NOT_ALLOWED',
  'PERSISTED_QUERY_HASH_MISMATCH', 'PERSISTED_QUERY_NOT_FOUND', 'PERSISTED_QUERY_NOT_SUPPORTED',
]);
const UUID = '00000000-0000-4000-8000-000000000001';
const INJECTIONS = [
  "'; drop table persons; --",
  '" or 1=1 --',
  '$1); delete from payments; --',
  '<script>alert(1)</script>',
  '${jndi:ldap://x}',
  '../../etc/passwd',
  '\u0000\u0001\u0002',
  'A'.repeat(5000),
  '🙂'.repeat(100),
  '%27%20OR%201%3D1',
];
const BAD_DATES = ['2025-02-30', '2024-13-01', '0000-00-00', '99999-01-01', '2025-1-1', '', '2025/01/01', '01-01-2025', 'today', '2025-01-01T00:00:00Z'];
/** A cursor in the readable layout cursors had before they were sealed (issue 18): base64url of the list and a key. */
const readableCursor = (key: string) => Buffer.from(JSON.stringify({ l: 'persons', k: key })).toString('base64url');
const BAD_IDS = ['', ' ', 'null', `${UUID}x`, `{${UUID}}`, '1', '-1', UUID.replace(/-/g, ''), 'zzzzzzzz-zzzz-zzzz-zzzz-zzzzzzzzzzzz', "1' or '1'='1"];

/** Sent as the administrator (with a purpose) unless the case says who: input checks are reached by an authorized caller. */
const post = async (graph: RunningGraph, body: unknown, headers: Record<string, string> = {}) =>
  fetch(graph.gatewayUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...('authorization' in headers ? {} : await graph.caller('administrator', 'ADMINISTRATION')), ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
/** A case sent by an agency's caller (its profile's scopes unless given), with a purpose or none. */
const as = (agency: string, purpose: string | undefined, text: string, options: { scopes?: string[]; headers?: Record<string, string> } = {}): Case['send'] => async (graph) =>
  post(graph, { query: text }, { ...(await graph.caller(agency, purpose, options)), ...options.headers });
const query = (text: string, variables?: Record<string, unknown>, headers?: Record<string, string>): Case['send'] => (graph) => post(graph, { query: text, variables }, headers);

function nested(levels: number): string {
  let selection = 'id';
  for (let i = 0; i < levels; i += 1) selection = `applications { applicant { ${selection} } }`;
  return `{ persons(first: 1) { nodes { ${selection} } } }`;
}

const cases: Case[] = [
  ...[7, 8, 10, 15, 25, 50].map((levels) => ({ name: `depth bomb of ${levels * 2 + 3} levels`, send: query(nested(levels)) })),
  ...[21, 50, 100, 400].map((count) => ({
    name: `${count} aliases`,
    send: query(`{ ${Array.from({ length: count }, (_, i) => `a${i}: rules { id }`).join(' ')} }`),
  })),
  { name: 'a fragment cycle', send: query('query { persons { nodes { ...A } } } fragment A on Person { ...B } fragment B on Person { ...A }') },
  { name: 'a fragment spreading itself', send: query('query { persons { nodes { ...A } } } fragment A on Person { id ...A }') },
  { name: 'an unknown fragment', send: query('query { persons { nodes { ...Nowhere } } }') },
  ...[5_000, 20_000, 100_000].map((count) => ({ name: `a document of ${count} tokens`, send: query(`{ rules { ${'id '.repeat(count)} } }`) })),
  { name: 'a 2 MB string literal', send: query(`{ applicationByNumber(number: "${'x'.repeat(2_000_000)}") { id } }`) },
  ...[2, 10, 200].map((count) => ({ name: `a batch of ${count} operations`, send: (graph: RunningGraph) => post(graph, Array.from({ length: count }, () => ({ query: '{ rules { id } }' }))) })),
  { name: 'a body that is not JSON', send: (graph) => post(graph, '{"query": "{ rules { id } }"') },
  { name: 'an empty body', send: (graph) => post(graph, '') },
  { name: 'no query', send: (graph) => post(graph, { variables: {} }) },
  { name: 'a query that is a number', send: (graph) => post(graph, { query: 42 }) },
  { name: 'variables that are a string', send: (graph) => post(graph, { query: '{ rules { id } }', variables: 'x' }) },
  { name: 'a syntax error', send: query('{ rules { id }') },
  { name: 'an unknown field', send: query('{ rulez { id } }') },
  { name: 'an unknown argument', send: query('{ rules(id: "x") { id } }') },
  { name: 'an unknown operation name', send: (graph) => post(graph, { query: 'query A { rules { id } }', operationName: 'B' }) },
  { name: 'two anonymous operations', send: query('{ rules { id } } { rules { id } }') },
  { name: 'a subscription', send: query('subscription { rules { id } }') },
  { name: 'an introspection query in production', send: query('{ __schema { types { name } } }') },
  { name: 'a GET without a preflight header', send: (graph) => fetch(`${graph.gatewayUrl}?query=${encodeURIComponent('{ rules { id } }')}`) },
  { name: 'a text/plain POST', send: (graph) => fetch(graph.gatewayUrl, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: '{"query":"{ rules { id } }"}' }) },
  // Wrong types.
  { name: 'an id that is a number', send: query('{ person(id: 123) { id } }') },
  { name: 'a page size that is a string', send: query('{ persons(first: "ten") { totalCount } }') },
  { name: 'a page size that is a float', send: query('{ persons(first: 1.5) { totalCount } }') },
  { name: 'a page size too large', send: query('{ persons(first: 100000) { totalCount } }') },
  { name: 'a negative page size', send: query('{ persons(first: -5) { totalCount } }') },
  { name: 'a filter that is a string', send: query('{ persons(filter: "x") { totalCount } }') },
  { name: 'a country that is a number', send: query('{ personByDocument(country: 7, number: "AB12345") { id } }') },
  { name: 'a date that is a boolean', send: query(`{ person(id: "${UUID}") { stayPeriods(asOf: true) { days } } }`) },
  { name: 'a variable of the wrong type', send: query('query($n: Int) { persons(first: $n) { totalCount } }', { n: 'many' }) },
  { name: 'a missing required variable', send: query('query($id: ID!) { person(id: $id) { id } }', {}) },
  { name: 'a null for a required argument', send: query('query($id: ID!) { person(id: $id) { id } }', { id: null }) },
  { name: 'an enum value that does not exist', send: query('{ stateDuty(applicationType: WORK_VISA) { outcome } }') },
  { name: 'an enum as a string variable of another name', send: query('query($t: ApplicationType!) { stateDuty(applicationType: $t) { outcome } }', { t: 'PASSPORT' }) },
  { name: 'an object for a scalar', send: query('query($d: Date) { persons(filter: { bornFrom: $d }) { totalCount } }', { d: { year: 2000 } }) },
  { name: 'an array for an id', send: query('query($id: ID!) { person(id: $id) { id } }', { id: [UUID] }) },
  // Injection strings in every string argument.
  ...INJECTIONS.flatMap((value) => [
    { name: `person id ${JSON.stringify(value.slice(0, 30))}`, send: query('query($v: ID!) { person(id: $v) { id } }', { v: value }) },
    { name: `surname prefix ${JSON.stringify(value.slice(0, 30))}`, send: query('query($v: String) { persons(filter: { surnamePrefix: $v }) { totalCount } }', { v: value }) },
    { name: `tracking number ${JSON.stringify(value.slice(0, 30))}`, send: query('query($v: String!) { applicationByNumber(number: $v) { id } }', { v: value }) },
    { name: `payment code ${JSON.stringify(value.slice(0, 30))}`, send: query('query($v: String!) { paymentByCode(code: $v) { id } }', { v: value }) },
    { name: `document number ${JSON.stringify(value.slice(0, 30))}`, send: query('query($v: String!) { personByDocument(country: "TUR", number: $v) { id } }', { v: value }) },
    { name: `cursor ${JSON.stringify(value.slice(0, 30))}`, send: query('query($v: String) { persons(after: $v) { totalCount } }', { v: Buffer.from(value).toString('base64url') }) },
  ]),
  ...BAD_DATES.map((value) => ({ name: `date ${JSON.stringify(value)}`, send: query('query($d: Date) { persons(filter: { bornFrom: $d }) { totalCount } }', { d: value }) })),
  ...BAD_IDS.map((value) => ({ name: `id ${JSON.stringify(value)}`, send: query('query($id: ID!) { application(id: $id) { id } }', { id: value }) })),
  // Tokens.
  { name: 'an authorization header without a scheme', send: query('{ rules { id } }', undefined, { authorization: 'abc.def.ghi' }) },
  { name: 'a basic authorization header', send: query('{ rules { id } }', undefined, { authorization: 'Basic dXNlcjpwYXNz' }) },
  { name: 'a token of garbage', send: query('{ rules { id } }', undefined, { authorization: 'Bearer a.b.c' }) },
  { name: 'an unsigned token (alg none)', send: query('{ rules { id } }', undefined, { authorization: `Bearer ${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from('{"agency":"administrator","sub":"x"}').toString('base64url')}.` }) },
  { name: 'a forged token', send: async (graph) => post(graph, { query: '{ rules { id } }' }, { authorization: `Bearer ${await mintToken(await newDevelopmentKey(), { agency: 'administrator', subject: 'x' })}` }) },
  { name: 'an expired token', send: async (graph) => post(graph, { query: '{ rules { id } }' }, { authorization: `Bearer ${await graph.token('police', 'p', { ttlSeconds: -600 })}` }) },
  {
    name: 'a token for another audience',
    send: async (graph) => {
      const key = await newDevelopmentKey();
      const token = await new SignJWT({ agency: 'police' }).setProtectedHeader({ alg: 'ES256' }).setAudience('elsewhere').setSubject('x').setExpirationTime('1h').sign(key.privateKey);
      return post(graph, { query: '{ rules { id } }' }, { authorization: `Bearer ${token}` });
    },
  },
  // Issue 18, item 8: a token the gateway trusts the issuer of, but whose lifetime it must not accept.
  ...(
    [
      ['with no expiry', (jwt: SignJWT) => jwt.setIssuedAt()],
      ['expiring a century from now', (jwt: SignJWT) => jwt.setIssuedAt().setExpirationTime('36500d')],
      ['issued a year from now', (jwt: SignJWT) => jwt.setIssuedAt(Math.floor(Date.now() / 1000) + 365 * 86_400).setExpirationTime('366d')],
      ['issued two days ago, still unexpired', (jwt: SignJWT) => jwt.setIssuedAt(Math.floor(Date.now() / 1000) - 2 * 86_400).setExpirationTime('1h')],
      ['with no time of issue, lasting two days', (jwt: SignJWT) => jwt.setExpirationTime('2d')],
    ] as const
  ).map(([name, lifetime]) => ({
    name: `a trusted issuer's token ${name}`,
    send: async (graph: RunningGraph) => {
      const jwt = new SignJWT({ agency: 'police', scope: 'persons:read' }).setProtectedHeader({ alg: 'ES256', kid: graph.tokenKey.kid }).setIssuer(DEVELOPMENT_ISSUER).setAudience(AUDIENCE).setSubject('x');
      return post(graph, { query: `{ person(id: "${UUID}") { surname } }` }, { authorization: `Bearer ${await lifetime(jwt).sign(graph.tokenKey.privateKey)}`, 'x-dmx-purpose': 'PUBLIC_ORDER' });
    },
  })),
  // A persisted operation whose text is not the one its hash names, as a forged client would send it.
  {
    name: 'an APQ text sent under the hash of another',
    send: (graph) =>
      post(graph, {
        query: '{ persons(first: 100) { nodes { surname } } }',
        extensions: { persistedQuery: { version: 1, sha256Hash: createHash('sha256').update('{ rules { id } }').digest('hex') } },
      }),
  },
  {
    name: 'an APQ hash that is not hex',
    send: (graph) => post(graph, { query: '{ rules { id } }', extensions: { persistedQuery: { version: 1, sha256Hash: 'z'.repeat(64) } } }),
  },
  { name: 'an APQ of an unknown version', send: (graph) => post(graph, { extensions: { persistedQuery: { version: 9, sha256Hash: 'a'.repeat(64) } } }) },
  // Scopes and purposes (items 2 and 3).
  { name: 'a person read without a token', send: query(`{ person(id: "${UUID}") { surname } }`, undefined, { authorization: '' }) },
  { name: 'a person registered without a token', send: query('mutation { registerPerson(input: { givenName: "A", surname: "B", birthDate: "1990-01-01", sex: MALE, travelDocument: { kind: PASSPORT, number: "AB1234567", issuingCountry: "TUR", issuedOn: "2020-01-01", expiresOn: "2030-01-01" } }) { id } }', undefined, { authorization: '' }) },
  { name: 'a bank reading a person', send: as('bank', 'PAYMENT_PROCESSING', `{ person(id: "${UUID}") { surname } }`) },
  { name: 'the dashboard listing names', send: as('internal-dashboard', 'STATISTICS', '{ persons(first: 5) { nodes { surname } } }') },
  // Issue 18, items 1 and 6: the dashboard counts and asks nothing about one person; cursors are sealed.
  { name: 'the dashboard reading an endCursor', send: as('internal-dashboard', 'STATISTICS', '{ persons(first: 1) { totalCount pageInfo { endCursor } } }') },
  { name: 'the dashboard paging with a cursor', send: as('internal-dashboard', 'STATISTICS', `{ persons(first: 1, after: "${readableCursor(UUID)}") { totalCount } }`) },
  { name: 'the dashboard counting a surname', send: as('internal-dashboard', 'STATISTICS', '{ persons(filter: { surnamePrefix: "Ab" }) { totalCount } }') },
  { name: 'the dashboard counting a day of birth', send: as('internal-dashboard', 'STATISTICS', '{ persons(filter: { bornFrom: "1990-03-04", bornTo: "1990-03-04" }) { totalCount } }') },
  { name: 'a cursor made from a person id', send: query('query($v: String) { persons(first: 1, after: $v) { nodes { id } } }', { v: readableCursor(UUID) }) },
  { name: 'a readable cursor whose key is no UUID', send: query('query($v: String) { persons(first: 1, after: $v) { nodes { id } } }', { v: readableCursor('not-a-uuid') }) },
  { name: 'the inspectorate imposing a fine', send: as('employers-inspectorate', 'LABOUR_INSPECTION', `mutation { issueFine(input: { personId: "${UUID}", offence: OVERSTAY, legalArticle: "575.1", amount: "400", idempotencyKey: "hostile-fine-1" }) { id } }`) },
  { name: 'the border service recording a payment', send: as('border-service', 'BORDER_CONTROL', 'mutation { recordPayment(input: { code: "000000000000", channel: BANK_BRANCH, amount: "1.00", idempotencyKey: "hostile-pay-1" }) { id } }') },
  { name: 'a scope beyond the profile', send: as('bank', 'PAYMENT_PROCESSING', `{ person(id: "${UUID}") { surname } }`, { scopes: ['payments:read', 'persons:read', 'audit:read'] }) },
  { name: 'the audit log read by the police', send: as('police', 'PUBLIC_ORDER', `{ person(id: "${UUID}") { dataAccessLog { seq } } }`) },
  { name: 'a personal read with no purpose', send: as('police', undefined, `{ person(id: "${UUID}") { surname } }`) },
  { name: "a personal read with another agency's purpose", send: as('police', 'PAYMENT_PROCESSING', `{ person(id: "${UUID}") { surname } }`) },
  { name: 'a purpose in lower case', send: as('police', undefined, `{ person(id: "${UUID}") { surname } }`, { headers: { 'x-dmx-purpose': 'public_order' } }) },
  { name: 'a purpose with an injection', send: as('police', undefined, `{ person(id: "${UUID}") { surname } }`, { headers: { 'x-dmx-purpose': "PUBLIC_ORDER' OR 1=1" } }) },
  { name: 'a purpose of 1000 characters', send: as('police', undefined, `{ person(id: "${UUID}") { surname } }`, { headers: { 'x-dmx-purpose': 'A'.repeat(1000) } }) },
  { name: "an alias in the gateway's reserved space", send: query(`{ person(id: "${UUID}") { _dmxPerson: surname } }`) },
  {
    name: "an agency's key claiming the registry profile",
    send: async (graph) => post(graph, { query: `{ person(id: "${UUID}") { surname } }` }, { authorization: `Bearer ${await graph.token('registry', 'x')}`, 'x-dmx-purpose': 'CASE_PROCESSING' }),
  },
  {
    name: 'a registry token under the wrong key',
    send: async (graph) =>
      post(graph, { query: `{ person(id: "${UUID}") { surname } }` }, { authorization: `Bearer ${await mintRegistryToken(newSigningKeyPair().privateKey, 'applications')}`, 'x-dmx-purpose': 'CASE_PROCESSING' }),
  },
  { name: 'a 100 KB token', send: query('{ rules { id } }', undefined, { authorization: `Bearer ${'a'.repeat(50_000)}.${'b'.repeat(50_000)}.c` }) },
  // Calls around the gateway.
  ...SUBGRAPH_NAMES.flatMap((name) => {
    const body = JSON.stringify({ query: `{ _entities(representations: [{ __typename: "Person", id: "${UUID}" }]) { __typename } }` });
    const direct = (graph: RunningGraph, headers: Record<string, string>, payload = body) =>
      fetch(graph.subgraphs[name]!.url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: payload });
    return [
      { name: `an unsigned call to ${name}`, send: (graph: RunningGraph) => direct(graph, {}) },
      { name: `a forged signature to ${name}`, send: (graph: RunningGraph) => direct(graph, { [SIGNATURE_HEADER]: signRequest(newSigningKeyPair().privateKey, { audience: name, method: 'POST', path: '/graphql', contentType: 'application/json', body }) }) },
      { name: `a replayed old signature to ${name}`, send: (graph: RunningGraph) => direct(graph, { [SIGNATURE_HEADER]: graph.signAsGateway({ audience: name, body }, { now: new Date(Date.now() - 600_000) }) }) },
    ];
  }),
  // Writes that must write nothing.
  ...INJECTIONS.slice(0, 5).map((value) => ({
    name: `registerPerson with a surname ${JSON.stringify(value.slice(0, 30))}`,
    send: query('mutation($i: RegisterPersonInput!) { registerPerson(input: $i) { id } }', {
      i: { givenName: 'A', surname: value, birthDate: '1990-01-01', sex: 'MALE', citizenship: 'TUR', travelDocument: { kind: 'PASSPORT', number: 'HOSTILE001', issuingCountry: 'TUR', issuedOn: '2020-01-01', expiresOn: '2030-01-01' } },
    }),
  })),
  { name: 'recordPayment for an unknown code', send: query('mutation { recordPayment(input: { code: "000000000000", channel: ONLINE, amount: "1.00", idempotencyKey: "hostile-0001" }) { id } }') },
  { name: 'recordPayment with an amount of text', send: query('mutation { recordPayment(input: { code: "000000000000", channel: ONLINE, amount: "1e9", idempotencyKey: "hostile-0002" }) { id } }') },
  { name: 'submitApplication for a malformed applicant', send: query(`mutation { submitApplication(input: { applicantId: "x", type: E_VISA, channel: ELECTRONIC }) { outcome } }`) },
  { name: 'issueFine for a malformed person', send: query('mutation { issueFine(input: { personId: "x", offence: OVERSTAY, legalArticle: "x", amount: "300.00", idempotencyKey: "hostile-0003" }) { id } }') },
  { name: 'recordBorderCrossing in the future', send: query(`mutation { recordBorderCrossing(input: { id: "${UUID}", personId: "${UUID}", direction: ENTRY, date: "2999-01-01", checkpoint: SAMUR }) { id } }`) },
  { name: 'a workflow step on an unknown application', send: query(`mutation { approveApplication(id: "${UUID}", officer: "Test Officer") { id } }`) },
  // Issue 18, items 2 and 8: writes about a person who does not exist, or on a day no record can be about.
  { name: 'issueFine for a person who does not exist', send: query(`mutation { issueFine(input: { personId: "${UUID}", offence: OVERSTAY, legalArticle: "575.1", amount: "300.00", idempotencyKey: "hostile-0004" }) { id } }`) },
  { name: 'issueFine issued 1900-01-01', send: query(`mutation { issueFine(input: { personId: "${UUID}", offence: OVERSTAY, legalArticle: "575.1", amount: "300.00", issuedOn: "1900-01-01", idempotencyKey: "hostile-0005" }) { id } }`) },
  { name: 'issueFine issued 1000-01-01', send: query(`mutation { issueFine(input: { personId: "${UUID}", offence: OVERSTAY, legalArticle: "575.1", amount: "300.00", issuedOn: "1000-01-01", idempotencyKey: "hostile-0006" }) { id } }`) },
  { name: 'issueFine due in 2999', send: query(`mutation { issueFine(input: { personId: "${UUID}", offence: OVERSTAY, legalArticle: "575.1", amount: "300.00", dueOn: "2999-01-01", idempotencyKey: "hostile-0007" }) { id } }`) },
  { name: 'recordBorderCrossing dated 1000-01-01', send: query(`mutation { recordBorderCrossing(input: { id: "${UUID}", personId: "${UUID}", direction: ENTRY, date: "1000-01-01", checkpoint: SAMUR }) { id } }`) },
  { name: 'addTravelDocument for a person who does not exist', send: query(`mutation { addTravelDocument(personId: "${UUID}", document: { kind: PASSPORT, number: "HOSTILE002", issuingCountry: "TUR", issuedOn: "2020-01-01", expiresOn: "2030-01-01" }) { number } }`) },
  { name: 'createStateDuty billed 1000-01-01', send: query(`mutation { createStateDuty(input: { applicationId: "${UUID}", personId: "${UUID}", amount: "10.00", currency: AZN, createdOn: "1000-01-01" }) { id } }`) },
];

describe('hostile input', () => {
  let graph: RunningGraph;
  const tables: Record<string, string[]> = {
    persons: ['persons', 'travel_documents', 'border_crossings'],
    applications: ['applications', 'application_events', 'outbox'],
    payments: ['payments', 'fines'],
    permits: ['permits'],
  };
  const counts = async () => {
    const all: Record<string, number> = {};
    for (const [subgraph, names] of Object.entries(tables)) {
      for (const table of names) {
        const [row] = await graph.subgraphs[subgraph as keyof typeof graph.subgraphs]!.db.query<{ n: number }>('test.count', `select count(*)::int as n from ${table}`);
        all[table] = row.n;
      }
    }
    return all;
  };
  let before: Record<string, number>;
  beforeAll(async () => {
    graph = await startGraph({ persons: 20 });
    before = await counts();
  });
  afterAll(() => graph.stop());

  it('has at least 100 cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(100);
  });

  it.each(cases.map((c) => [c.name, c] as const))('%s: a clear error, no 5xx', async (_name, { send }) => {
    const response = await send(graph);
    expect(response.status).toBeLessThan(500);
    const text = await response.text();
    // No stack, no path, no SQL, no internal field, no framework's advice (issue 18, item 8).
    expect(text).not.toMatch(/stack|\/work\/|node_modules|select .* from|ECONNREFUSED|_entities|ApolloServer|introspection: true/i);
    let body: { errors?: { extensions?: { code?: string } }[] } | null = null;
    try {
      body = JSON.parse(text);
    } catch {
      // Refusals before GraphQL (batching, CSRF, oversized headers) answer 4xx with a plain message.
      expect(response.status).toBeGreaterThanOrEqual(400);
      return;
    }
    expect(body?.errors?.length).toBeGreaterThan(0);
    expect(CLEAR_CODES).toContain(body!.errors![0].extensions?.code);
  });

  it('wrote nothing, and the gateway still serves', async () => {
    expect(await counts()).toEqual(before);
    const after = await graph.query('{ persons(first: 1) { totalCount } rules(idPrefix: "STAY-01") { id } }');
    expect(after.body).toEqual({ data: { persons: { totalCount: 20 }, rules: [{ id: 'STAY-01' }] } });
  });
});
