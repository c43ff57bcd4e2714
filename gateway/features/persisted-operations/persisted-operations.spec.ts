import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ApolloServer, HeaderMap, type GraphQLRequest } from '@apollo/server';
import { addTypenameToDocument } from '@apollo/client/utilities';
import { printExecutableGraphQLDocument } from '@graphql-tools/documents';
import { getOperationAST, parse, print, type DocumentNode } from 'graphql';
import { persistedOperationsManifest } from '../../../codegen/persisted-operations';
import * as generated from '../../../test/generated/operations';
import {
  canonicalOperation,
  clientForms,
  HASH_MISMATCH,
  loadManifest,
  NOT_IN_SAFELIST,
  NOT_IN_SAFELIST_MESSAGE,
  operationHash,
  parseManifest,
  persistedOperations,
  type PersistedOperationsManifest,
  type PersistedOperationsMode,
} from './persisted-operations';

const root = path.resolve(__dirname, '../../..');

/** A small schema of its own: these tests are about the request pipeline, not the registries. */
const typeDefs = `
  type Query { hello(name: String): String, person: Person, secret: String }
  type Person { name: String, friend: Person }
`;
let executions = 0;
const resolvers = {
  Query: {
    hello: (_: unknown, { name }: { name?: string }) => {
      executions++;
      return `hello ${name ?? 'world'}`;
    },
    person: () => ({ name: 'Aysel', friend: { name: 'Murad' } }),
    secret: () => {
      executions++;
      return 'not for ad-hoc queries';
    },
  },
};

const manifest = persistedOperationsManifest([
  parse('query Hello($name: String) { hello(name: $name) }'),
  parse('query People { person { ...Names friend { ...Names } } } fragment Names on Person { name }'),
]);
const [helloHash, helloText] = entry('Hello');
const [peopleHash] = entry('People');

function entry(name: string): [string, string] {
  const found = Object.entries(manifest.operations).find(([, text]) => text.startsWith(`query ${name}`));
  if (!found) throw new Error(`no ${name} in the test manifest`);
  return found;
}

const servers: Array<{ stop(): Promise<void> }> = [];
function server(mode: PersistedOperationsMode, using: PersistedOperationsManifest = manifest): ApolloServer {
  const { persistedQueries, plugin } = persistedOperations(using, mode);
  const created = new ApolloServer({ typeDefs, resolvers, persistedQueries, plugins: [plugin] });
  servers.push(created);
  return created;
}
afterAll(() => Promise.all(servers.map((s) => s.stop())));
beforeEach(() => {
  executions = 0;
});

const byHash = (sha256Hash: string, variables?: Record<string, unknown>): GraphQLRequest => ({
  variables,
  extensions: { persistedQuery: { version: 1, sha256Hash } },
});

async function send(s: ApolloServer, request: GraphQLRequest) {
  const response = await s.executeOperation(request);
  if (response.body.kind !== 'single') throw new Error('expected a single result');
  const { data, errors } = response.body.singleResult;
  return { status: response.http.status ?? 200, data, codes: errors?.map((e) => e.extensions?.code) };
}


/** The manifest's operations with their names, in its order. */
function operationsOf(manifest: PersistedOperationsManifest): { hash: string; operationName: string }[] {
  return Object.entries(manifest.operations).map(([hash, text]) => ({ hash, operationName: getOperationAST(parse(text))!.name!.value }));
}

describe('persisted operations, allow mode', () => {
  it('runs a manifest operation sent by its hash alone', async () => {
    const s = server('allow');
    expect(await send(s, byHash(helloHash, { name: 'Leyla' }))).toEqual({ status: 200, data: { hello: 'hello Leyla' }, codes: undefined });
    expect(await send(s, byHash(peopleHash))).toEqual({
      status: 200,
      data: { person: { name: 'Aysel', friend: { name: 'Murad' } } },
      codes: undefined,
    });
  });

  it('answers PERSISTED_QUERY_NOT_FOUND for a hash not in the manifest', async () => {
    const s = server('allow');
    const unknown = operationHash('query Other { hello }');
    expect(await send(s, byHash(unknown))).toMatchObject({ codes: ['PERSISTED_QUERY_NOT_FOUND'], data: undefined });
  });

  it('still runs ordinary query text', async () => {
    expect(await send(server('allow'), { query: '{ secret }' })).toEqual({ status: 200, data: { secret: 'not for ad-hoc queries' }, codes: undefined });
  });

  it('remembers an operation sent with its hash, so the next request needs the hash alone; within a bound', async () => {
    const query = '{ secret }';
    const sha256Hash = operationHash(query);
    const s = server('allow');
    expect(await send(s, byHash(sha256Hash))).toMatchObject({ codes: ['PERSISTED_QUERY_NOT_FOUND'], data: undefined });
    expect(await send(s, { query, extensions: { persistedQuery: { version: 1, sha256Hash } } })).toMatchObject({ data: { secret: 'not for ad-hoc queries' } });
    expect(await send(s, byHash(sha256Hash))).toEqual({ status: 200, data: { secret: 'not for ad-hoc queries' }, codes: undefined });
    // With no room to remember, the hash alone stays unknown.
    const { persistedQueries, plugin } = persistedOperations(manifest, 'allow', { rememberedBytes: 0 });
    const none = new ApolloServer({ typeDefs, resolvers, persistedQueries, plugins: [plugin] });
    servers.push(none);
    await send(none, { query, extensions: { persistedQuery: { version: 1, sha256Hash } } });
    expect(await send(none, byHash(sha256Hash))).toMatchObject({ codes: ['PERSISTED_QUERY_NOT_FOUND'] });
  });

  it('does not remember an operation that did not validate', async () => {
    const s = server('allow');
    const query = '{ nosuchfield }';
    const sha256Hash = operationHash(query);
    expect(await send(s, { query, extensions: { persistedQuery: { version: 1, sha256Hash } } })).toMatchObject({ codes: ['GRAPHQL_VALIDATION_FAILED'] });
    expect(await send(s, byHash(sha256Hash))).toMatchObject({ codes: ['PERSISTED_QUERY_NOT_FOUND'] });
  });
});

describe('persisted operations, safelist mode', () => {
  it('runs a manifest operation by hash alone, by its exact text, and by text with its hash', async () => {
    const s = server('safelist');
    const hello = { status: 200, data: { hello: 'hello Leyla' }, codes: undefined };
    expect(await send(s, byHash(helloHash, { name: 'Leyla' }))).toEqual(hello);
    expect(await send(s, { query: helloText, variables: { name: 'Leyla' } })).toEqual(hello);
    expect(await send(s, { query: helloText, variables: { name: 'Leyla' }, extensions: { persistedQuery: { version: 1, sha256Hash: helloHash } } })).toEqual(hello);
    expect(executions).toBe(3);
  });

  it('refuses an ad-hoc query with PERSISTED_QUERY_NOT_IN_SAFELIST and 403, before anything runs', async () => {
    const s = server('safelist');
    expect(await send(s, { query: '{ secret }' })).toEqual({ status: 403, data: undefined, codes: [NOT_IN_SAFELIST] });
    expect(executions).toBe(0);
  });

  it('refuses a manifest operation changed by a single character that changes what it asks (layout aside)', async () => {
    const s = server('safelist');
    expect(await send(s, { query: `${helloText} `, variables: { name: 'Leyla' } })).toMatchObject({ status: 200, data: { hello: 'hello Leyla' } });
    executions = 0;
    expect(await send(s, { query: helloText.replace('String', 'String!'), variables: { name: 'Leyla' } })).toEqual({ status: 403, data: undefined, codes: [NOT_IN_SAFELIST] });
    expect(executions).toBe(0);
  });

  it('gives an unlisted document the refusal, not its syntax or validation errors', async () => {
    const s = server('safelist');
    for (const query of ['{ secret', '{ nosuchfield }', '{ hello(name: 1) }']) {
      expect(await send(s, { query })).toEqual({ status: 403, data: undefined, codes: [NOT_IN_SAFELIST] });
    }
  });

  it('lets a caller through that the safelist does not apply to, and no one else', async () => {
    const { persistedQueries, plugin } = persistedOperations<{ trusted: boolean }>(manifest, 'safelist', { appliesTo: ({ trusted }) => !trusted });
    const s = new ApolloServer<{ trusted: boolean }>({ typeDefs, resolvers, persistedQueries, plugins: [plugin] });
    servers.push(s);
    const run = async (trusted: boolean) => {
      const response = await s.executeOperation({ query: '{ secret }' }, { contextValue: { trusted } });
      return response.body.kind === 'single' ? response.body.singleResult : undefined;
    };
    expect(await run(true)).toEqual({ data: { secret: 'not for ad-hoc queries' } });
    expect(await run(false)).toEqual({ errors: [expect.objectContaining({ extensions: { code: NOT_IN_SAFELIST } })] });
  });

  it('answers PERSISTED_QUERY_NOT_FOUND for an unknown hash', async () => {
    expect(await send(server('safelist'), byHash(operationHash('{ secret }')))).toMatchObject({ codes: ['PERSISTED_QUERY_NOT_FOUND'], data: undefined });
  });

  it('does not let a client register a new operation: refused with its hash, and its hash alone is still unknown', async () => {
    const s = server('safelist');
    const query = '{ secret }';
    const sha256Hash = operationHash(query);
    expect(await send(s, { query, extensions: { persistedQuery: { version: 1, sha256Hash } } })).toEqual({ status: 403, data: undefined, codes: [NOT_IN_SAFELIST] });
    expect(await send(s, byHash(sha256Hash))).toMatchObject({ codes: ['PERSISTED_QUERY_NOT_FOUND'], data: undefined });
    expect(executions).toBe(0);
  });
});

describe('persisted operations, a hash that is not the text\'s', () => {
  it.each(['allow', 'safelist'] as const)('is refused in %s mode with 400 PERSISTED_QUERY_HASH_MISMATCH, before anything runs', async (mode) => {
    const s = server(mode);
    const sent = { query: helloText, variables: { name: 'Leyla' }, extensions: { persistedQuery: { version: 1, sha256Hash: peopleHash } } };
    expect(await send(s, sent)).toEqual({ status: 400, data: undefined, codes: [HASH_MISMATCH] });
    expect(await send(s, { ...sent, extensions: { persistedQuery: { version: 1, sha256Hash: 'not-a-hash' } } })).toEqual({ status: 400, data: undefined, codes: [HASH_MISMATCH] });
    expect(executions).toBe(0);
  });
});

describe('persisted operations, in the forms clients send them (issue 19)', () => {
  // The clients' own transforms: Apollo Client's (its cache adds __typename before the link prints)
  // and graphql-codegen client preset's normalized print, which its documentId is the SHA-256 of.
  const asApolloClient = (text: string) => print(addTypenameToDocument(parse(text)));
  const asCodegenDocumentId = (text: string) => `sha256:${operationHash(printExecutableGraphQLDocument(parse(text)))}`;
  const peopleText = entry('People')[1];
  const people = { status: 200, data: { person: { name: 'Aysel', friend: { name: 'Murad' } } }, codes: undefined };
  const withTypename = { status: 200, data: { person: { name: 'Aysel', friend: { name: 'Murad', __typename: 'Person' }, __typename: 'Person' } }, codes: undefined };
  const byDocumentId = (documentId: string, variables?: Record<string, unknown>): GraphQLRequest => ({
    variables,
    http: { method: 'POST', headers: new HeaderMap([['content-type', 'application/json']]), search: '', body: { documentId, variables } },
  });

  it("runs Apollo Client's text (with the __typename it adds) and its hash alone, known from the start, in safelist mode", async () => {
    const s = server('safelist');
    const text = asApolloClient(peopleText);
    expect(text).toContain('__typename');
    expect(await send(s, { query: text })).toEqual(withTypename);
    expect(await send(s, byHash(operationHash(text)))).toEqual(withTypename);
  });

  it('runs a committed operation by a codegen documentId, with the sha256: prefix or without, in both modes', async () => {
    for (const mode of ['allow', 'safelist'] as const) {
      const s = server(mode);
      const documentId = asCodegenDocumentId(peopleText);
      expect(await send(s, byDocumentId(documentId))).toEqual(people);
      expect(await send(s, byDocumentId(documentId.slice('sha256:'.length)))).toEqual(people);
      expect(await send(s, byHash(documentId))).toEqual(people);
      expect(await send(s, byDocumentId(asCodegenDocumentId(helloText), { name: 'Leyla' }))).toEqual({ status: 200, data: { hello: 'hello Leyla' }, codes: undefined });
    }
  });

  it('refuses an unknown documentId in safelist mode with how to propose one; in allow mode it is not found', async () => {
    const unknown = `sha256:${operationHash('{ secret }')}`;
    const refused = await server('safelist').executeOperation(byDocumentId(unknown));
    expect(refused.http.status).toBe(403);
    expect(refused.body.kind === 'single' && refused.body.singleResult.errors).toEqual([{ message: NOT_IN_SAFELIST_MESSAGE, extensions: { code: NOT_IN_SAFELIST } }]);
    expect(NOT_IN_SAFELIST_MESSAGE).toMatch(/test\/operations\/.*`npm run codegen`/);
    expect(await send(server('allow'), byDocumentId(unknown))).toMatchObject({ codes: ['PERSISTED_QUERY_NOT_FOUND'] });
    expect(executions).toBe(0);
  });

  it("accepts a client's own print of a committed operation (order, layout, __typename) by its canonical form, and remembers its hash", async () => {
    const s = server('safelist');
    const own = 'fragment Names on Person { __typename name }\n\nquery People { person { friend { ...Names } ...Names __typename } }';
    const sha256Hash = operationHash(own);
    expect(await send(s, byHash(sha256Hash))).toMatchObject({ codes: ['PERSISTED_QUERY_NOT_FOUND'] });
    expect(await send(s, { query: own, extensions: { persistedQuery: { version: 1, sha256Hash } } })).toMatchObject({ status: 200, data: { person: { name: 'Aysel' } } });
    expect(await send(s, byHash(sha256Hash))).toMatchObject({ status: 200, data: { person: { name: 'Aysel' } } });
  });

  it.each([
    ['a field aliased __typename', 'query People { person { ...Names friend { ...Names } __typename: name } } fragment Names on Person { name }'],
    ['a second operation in the document', `${peopleText}\nquery Other { secret }`],
    ['a __typename with a directive', 'query People { person { ...Names friend { ...Names } __typename @include(if: true) } } fragment Names on Person { name }'],
    ['a field more', 'query People { person { ...Names friend { ...Names friend { name } } } } fragment Names on Person { name }'],
    ['an argument changed', 'query Hello($name: String) { hello(name: "Murad") }'],
  ])('refuses a text that is not a committed operation plus __typename fields: %s', async (_what, query) => {
    const s = server('safelist');
    expect(await send(s, { query, operationName: getOperationAST(parse(query), 'Other') ? 'Other' : undefined })).toEqual({ status: 403, data: undefined, codes: [NOT_IN_SAFELIST] });
    expect(executions).toBe(0);
  });

  it('the canonical form leaves out plain __typename fields only, and the forms of an operation are all that operation', () => {
    expect(canonicalOperation(parse('{ person { __typename name } }'))).toBe(canonicalOperation(parse('{ person { name } }')));
    expect(canonicalOperation(parse('{ person { __typename: name } }'))).not.toBe(canonicalOperation(parse('{ person { name } }')));
    for (const text of Object.values(manifest.operations)) {
      const forms = clientForms(text);
      expect(forms).toEqual(expect.arrayContaining([text, asApolloClient(text), printExecutableGraphQLDocument(parse(text))]));
      for (const form of forms) expect(canonicalOperation(parse(form))).toBe(canonicalOperation(parse(text)));
    }
  });
});

describe('persisted operations, off', () => {
  it('runs text and answers PERSISTED_QUERY_NOT_SUPPORTED to a hash', async () => {
    const s = server('off');
    expect(await send(s, { query: '{ hello }' })).toMatchObject({ data: { hello: 'hello world' } });
    expect(await send(s, byHash(helloHash))).toMatchObject({ codes: ['PERSISTED_QUERY_NOT_SUPPORTED'], data: undefined });
  });
});

describe('the manifest file', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'persisted-operations-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const write = (name: string, content: unknown) => {
    const file = path.join(dir, name);
    writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
    return file;
  };

  it('loads a manifest whose keys are the SHA-256 of their texts, and lists its operations', () => {
    const loaded = loadManifest(write('good.json', manifest));
    expect(loaded).toEqual(manifest);
    expect(operationsOf(loaded).map(({ operationName, hash }) => ({ operationName, hash }))).toEqual([
      { operationName: 'Hello', hash: helloHash },
      { operationName: 'People', hash: peopleHash },
    ]);
  });

  it('refuses a manifest with a key that is not the hash of its text', () => {
    const wrong = { ...manifest, operations: { ...manifest.operations, [operationHash('query Other { hello }')]: 'query Changed { hello }' } };
    expect(() => loadManifest(write('wrong-hash.json', wrong))).toThrow(/wrong-hash\.json: the key [0-9a-f]{64} is not the SHA-256 of its text/);
  });

  it('refuses files that are not a manifest, naming the file and the problem', () => {
    expect(() => loadManifest(path.join(dir, 'missing.json'))).toThrow(/missing\.json cannot be read/);
    expect(() => loadManifest(write('not-json.json', '{"format":'))).toThrow(/not-json\.json: not JSON/);
    expect(() => loadManifest(write('format.json', { ...manifest, format: 'apollo-persisted-query-manifest' }))).toThrow(/expected format "dmx-persisted-operations"/);
    const text = '{ hello }';
    expect(() => parseManifest(JSON.stringify({ ...manifest, operations: { [operationHash(text)]: text } }))).toThrow(/has no name/);
  });
});

describe('the committed manifest (schema/persisted-operations.json, written by `npm run codegen`)', () => {
  const committed = loadManifest(path.join(root, 'schema/persisted-operations.json'));
  const names = operationsOf(committed).map((operation) => operation.operationName);

  it('holds every operation of test/operations, once', () => {
    const directory = path.join(root, 'test/operations');
    const expected = readdirSync(directory)
      .filter((file) => file.endsWith('.graphql'))
      .flatMap((file) => parse(readFileSync(path.join(directory, file), 'utf8')).definitions)
      .flatMap((definition) => (definition.kind === 'OperationDefinition' && definition.name ? [definition.name.value] : []));
    expect(expected.length).toBeGreaterThan(0);
    expect([...names].sort()).toEqual([...expected].sort());
  });

  it('holds, for each typed document a client uses, the SHA-256 of the document as the client prints it', () => {
    const documents = Object.entries(generated).filter(([name]) => name.endsWith('Document')) as [string, DocumentNode][];
    expect(documents.length).toBe(names.length);
    for (const [name, document] of documents) {
      const text = print(document);
      expect({ name, text: committed.operations[operationHash(text)] }).toEqual({ name, text });
    }
  });
});

describe('the codegen plugin', () => {
  it('puts the fragments in the order the typed documents print them', async () => {
    const source = `
      query Deep { person { ...Outer friend { ...Leaf } } }
      fragment Outer on Person { name ...Middle }
      fragment Middle on Person { friend { ...Leaf } }
      fragment Leaf on Person { name }
    `;
    // typed-document-node's ES module dependencies do not load inside jest: it runs in a child process.
    const script = `
      const { buildSchema, parse } = require('graphql');
      const { plugin } = require('@graphql-codegen/typed-document-node');
      const [typeDefs, source] = JSON.parse(process.argv[1]);
      Promise.resolve(plugin(buildSchema(typeDefs), [{ document: parse(source), location: 'deep.graphql' }], {}))
        .then((output) => process.stdout.write(typeof output === 'string' ? output : output.content));
    `;
    const child = spawnSync(process.execPath, ['-e', script, JSON.stringify([typeDefs, source])], { cwd: root, encoding: 'utf8' });
    expect({ status: child.status, stderr: child.stderr }).toEqual({ status: 0, stderr: '' });
    const json = /export const DeepDocument = (\{.*\}) as unknown as/.exec(child.stdout)?.[1];
    expect(json).toBeDefined();
    const document = parse(source);
    const clientText = print(JSON.parse(json!) as DocumentNode);
    expect(Object.values(persistedOperationsManifest([document]).operations)).toEqual([clientText]);
    expect(clientText.indexOf('fragment Leaf')).toBeLessThan(clientText.indexOf('fragment Outer'));
  });

  it('refuses an operation without a name', () => {
    expect(() => persistedOperationsManifest([parse('{ hello }')])).toThrow(/needs a name/);
  });
});
