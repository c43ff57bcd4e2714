import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { buildSchema, getIntrospectionQuery, parse, validate } from 'graphql';
import { gatewayConfig, gatewayEnvironment } from '../gateway/config';
import { armor } from '../gateway/features/operation-limits/operation-limits';
import { startGatewayOnly, type GraphQLAnswer } from './harness';

/**
 * Operation limits, batching and CSRF at the gateway (issue 5, item 6). Every refusal here happens
 * before planning, so no subgraph runs: the gateway alone is under test.
 */
const root = path.resolve(__dirname, '..');
const limits = gatewayConfig(gatewayEnvironment.parse({})).limits.operation;

describe('operation limits at the gateway', () => {
  let stop: () => Promise<void>;
  let url: string;
  beforeAll(async () => {
    ({ url, stop } = await startGatewayOnly());
  });
  afterAll(() => stop());

  const post = (body: unknown, headers: Record<string, string> = {}) =>
    fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

  const nested = (levels: number) => {
    let selection = 'id';
    for (let i = 0; i < levels; i += 1) selection = i % 2 === 0 ? `applications { applicant { ${selection} } }` : `applications { applicant { ${selection} } }`;
    return `{ persons(first: 1) { nodes { ${selection} } } }`;
  };

  it.each([
    ['a depth bomb', nested(8), /depth/i],
    ['an alias flood', `{ ${Array.from({ length: limits.maxAliases + 5 }, (_, i) => `a${i}: persons(first: 1) { totalCount }`).join(' ')} }`, /alias/i],
    ['a huge document', `{ persons(first: 1) { nodes { ${'id '.repeat(limits.maxTokens + 10)} } } }`, /token/i],
    ['a directive flood', `{ persons(first: 1) { totalCount ${'@include(if: true) '.repeat(limits.maxDirectives + 5)} } }`, /directive/i],
    [
      'a cost bomb of repeated fragment spreads',
      `query { persons(first: 1000) { nodes { ${'...picture '.repeat(400)} } } }
       fragment picture on Person { id givenName surname birthDate travelDocuments { number issuedOn expiresOn } permits { number validFrom validUntil }
         applications { number status dueOn payments { code status } } }`,
      /cost/i,
    ],
  ])('refuses %s with a clear error and no 5xx', async (_name, query, message) => {
    const response = await post({ query });
    expect(response.status).toBeLessThan(500);
    const body = (await response.json()) as GraphQLAnswer;
    expect(body.data).toBeUndefined();
    expect(body.errors[0].message).toMatch(message);
    expect(['GRAPHQL_VALIDATION_FAILED', 'GRAPHQL_PARSE_FAILED', 'BAD_USER_INPUT']).toContain(body.errors[0].extensions.code);
    // A document that parsed is not called a syntax error (graphql-armor words its refusals so).
    if (body.errors[0].extensions.code !== 'GRAPHQL_PARSE_FAILED') expect(body.errors[0].message).not.toMatch(/^Syntax Error/);
  });

  it('counts a page as large as the request asks it, by a variable or by default (cost limit)', async () => {
    const picture = 'id surname travelDocuments { number } borderCrossings { date direction } legalStatus { outcome lawfulUntil } permits { number validUntil }';
    const aliased = `query Pages($n: Int) { ${Array.from({ length: 5 }, (_, i) => `p${i}: persons(first: $n) { nodes { ${picture} } }`).join(' ')} }`;
    const ask = async (query: string, variables: Record<string, unknown>) => {
      const response = await post({ query, variables });
      return { status: response.status, body: (await response.json()) as GraphQLAnswer };
    };
    // Five pages of a thousand pictures: refused before anything is planned, as the same pages written out are.
    const big = await ask(aliased, { n: 1000 });
    expect(big.status).toBe(400);
    expect(big.body.errors[0]).toMatchObject({ message: expect.stringMatching(/^Query cost limit of 20000 exceeded, found \d+/), extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } });
    const written = await ask(aliased.replace('($n: Int)', '').replace(/\$n/g, '1000'), {});
    expect([written.status, written.body.errors[0].message]).toEqual([400, expect.stringMatching(/^Query cost limit of 20000 exceeded/i)]);
    // The same operation with small pages passes the limit (and fails further on: no registry runs here).
    const small = await ask(aliased, { n: 10 });
    expect(small.body.errors?.[0]?.message ?? '').not.toMatch(/cost/i);
    // A list left to its default counts at that default: stayFactChanges gives a thousand.
    const changes = `query Changes($n: Int) { ${Array.from({ length: 4 }, (_, i) => `c${i}: stayFactChanges(first: $n) { personIds endCursor complete }`).join(' ')} }`;
    // As null, the same default: the registries read a null page size as the default too.
    const nulled = await ask(changes, { n: null });
    expect(nulled.body.errors[0].message).toMatch(/^Query cost limit/);
    expect((await ask(changes, {})).body.errors[0].message).toMatch(/^Query cost limit/);
    // A request whose variables do not fit is refused as such, and leaves nothing behind that lets the
    // next, well-formed one through.
    const picked = `query Picked($id: ID!, $n: Int) { person(id: $id) { id } ${Array.from({ length: 5 }, (_, i) => `p${i}: persons(first: $n) { nodes { ${picture} } }`).join(' ')} }`;
    const unfit = await ask(picked, { n: 1000 });
    expect(unfit.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    const fitting = await ask(picked, { id: '00000000-0000-4000-8000-000000000001', n: 1000 });
    expect(fitting.body.errors[0].message).toMatch(/^Query cost limit/);
  });

  it('refuses at validation a document whose fragments spread one another over and over', async () => {
    // Each fragment spreads the one before twice: 2^30 copies of rules once inlined.
    const fragments = Array.from({ length: 30 }, (_, k) => `fragment F${k + 1} on Query { ...F${k} ...F${k} }`).join(' ');
    const started = Date.now();
    const response = await post({ query: `query { ...F30 } fragment F0 on Query { rules { id } } ${fragments}` });
    expect(response.status).toBe(400);
    const body = (await response.json()) as GraphQLAnswer;
    expect(body.errors[0]).toMatchObject({ message: expect.stringMatching(/cost limit/i), extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } });
    // Not a timing assertion on speed: a document inlined 2^30 times would not be answered at all.
    expect(Date.now() - started).toBeLessThan(60_000);
  });

  it('refuses a batch of operations in one request', async () => {
    const response = await post([{ query: '{ rules { id } }' }, { query: '{ rules { id } }' }]);
    expect(response.status).toBe(400);
    expect(await response.text()).toMatch(/batch/i);
  });

  it('refuses requests a browser could send cross-site without a preflight (CSRF)', async () => {
    const get = await fetch(`${url}?query=${encodeURIComponent('{ rules { id } }')}`);
    expect(get.status).toBe(400);
    expect(await get.text()).toMatch(/Cross-Site Request Forgery/i);
    const plain = await fetch(url, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: JSON.stringify({ query: '{ rules { id } }' }) });
    expect(plain.status).toBe(400);
  });

  it('hides field suggestions and the schema in production', async () => {
    const typo = (await (await post({ query: '{ persn(id: "x") { id } }' })).json()) as GraphQLAnswer;
    expect(typo.errors[0].message).not.toMatch(/Did you mean/);
    const introspection = (await (await post({ query: '{ __schema { types { name } } }' })).json()) as GraphQLAnswer;
    expect(introspection.errors[0].message).toMatch(/introspection/i);
  });
});

describe('introspection in development', () => {
  it('refuses fragments that spread one another under __schema, where the cost limit does not count', async () => {
    const gateway = await startGatewayOnly({ development: true });
    try {
      const fragments = Array.from({ length: 30 }, (_, k) => `fragment F${k + 1} on __Schema { ...F${k} ...F${k} }`).join(' ');
      const response = await fetch(gateway.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: `{ __schema { ...F30 } } fragment F0 on __Schema { queryType { name } } ${fragments}` }),
      });
      expect(response.status).toBe(400);
      expect(((await response.json()) as GraphQLAnswer).errors[0]).toMatchObject({ message: expect.stringMatching(/too large once its fragments are inlined|could not be counted/), extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } });
      // GraphiQL's own introspection is far below the bound.
      const ide = await fetch(gateway.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: getIntrospectionQuery({ descriptions: true, inputValueDeprecation: true }) }) });
      expect(ide.status).toBe(200);
    } finally {
      await gateway.stop();
    }
  });
});

describe('the limits let every operation the clients use through', () => {
  const schema = buildSchema(readFileSync(path.join(root, 'schema/api.graphql'), 'utf8'));
  const { validationRules } = armor(limits, false);
  const operations = readdirSync(path.join(root, 'test/operations')).filter((file) => file.endsWith('.graphql'));

  it.each(operations)('%s', (file) => {
    const document = parse(readFileSync(path.join(root, 'test/operations', file), 'utf8'));
    expect(validate(schema, document, validationRules).map((error) => error.message)).toEqual([]);
  });
});
