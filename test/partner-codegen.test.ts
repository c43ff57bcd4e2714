import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { getOperationAST, parse } from 'graphql';
import { startGraph, type RunningGraph } from './harness';
import { callerFor, committedOperations, demoRecords, exampleVariables, OPERATIONS_DIR, refusalCodes, type DemoRecords } from './partner-kit';

const root = path.resolve(__dirname, '..');

/**
 * Issue 19, item 3: a partner's project with graphql-codegen's client preset and persisted documents
 * generates its `persisted-documents.json` from the committed operations and the partners' contract
 * (schema/api.graphql), then sends each operation as `{ documentId, variables }` and no text. Every
 * committed operation runs against a gateway in safelist mode, as the profile it is meant for.
 *
 * The documents are generated here, at test time, in a temporary directory, by the codegen CLI in a
 * child process (its ES module dependencies do not load inside jest): a committed fixture would go
 * stale each time an operation is added, and this way the test follows whatever is committed.
 * Two setups a partner uses: `persistedDocuments: { hashAlgorithm: 'sha256' }` alone, and with the
 * preset's `addTypenameSelectionDocumentTransform` (for a client cache such as Apollo Client's).
 */
describe('a partner project with the graphql-codegen client preset and persisted documents (issue 19)', () => {
  const operations = new Map(committedOperations().map((operation) => [operation.name, operation]));
  const directory = mkdtempSync(path.join(tmpdir(), 'partner-codegen-'));
  let graph: RunningGraph;
  let records: DemoRecords;
  const documents: Record<string, Record<string, string>> = {};

  beforeAll(async () => {
    const config = {
      schema: path.join(root, 'schema/api.graphql'),
      documents: [path.join(OPERATIONS_DIR, '*.graphql')],
      generates: {
        [path.join(directory, 'plain/')]: { preset: 'client', presetConfig: { persistedDocuments: { hashAlgorithm: 'sha256' } } },
        [path.join(directory, 'typename/')]: { preset: 'client', presetConfig: { persistedDocuments: true }, documentTransforms: ['ADD_TYPENAME'] },
      },
    };
    // The transform is a function: the config is a module that requires it from the preset.
    const source = `const { addTypenameSelectionDocumentTransform } = require(${JSON.stringify(require.resolve('@graphql-codegen/client-preset', { paths: [root] }))});
module.exports = ${JSON.stringify(config, null, 2).replace('"ADD_TYPENAME"', 'addTypenameSelectionDocumentTransform')};
`;
    writeFileSync(path.join(directory, 'codegen.js'), source);
    const codegen = spawnSync(process.execPath, [path.join(root, 'node_modules/@graphql-codegen/cli/cjs/bin.js'), '--config', path.join(directory, 'codegen.js'), '--silent'], {
      cwd: root,
      encoding: 'utf8',
    });
    expect({ status: codegen.status, output: codegen.status === 0 ? '' : codegen.stdout + codegen.stderr }).toEqual({ status: 0, output: '' });
    for (const setup of ['plain', 'typename']) {
      documents[setup] = JSON.parse(readFileSync(path.join(directory, setup, 'persisted-documents.json'), 'utf8')) as Record<string, string>;
    }
    graph = await startGraph({ persons: 6, persisted: 'safelist' });
    records = await demoRecords(graph);
  }, 180_000);
  afterAll(async () => {
    rmSync(directory, { recursive: true, force: true });
    await graph?.stop();
  });

  it.each(['plain', 'typename'])('the %s setup has a persisted document for every committed operation, each under a sha256: documentId', (setup) => {
    const names = Object.values(documents[setup]).map((text) => getOperationAST(parse(text))!.name!.value);
    expect(names.sort()).toEqual([...operations.keys()].sort());
    for (const documentId of Object.keys(documents[setup])) expect(documentId).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  it.each(['plain', 'typename'])('the %s setup runs every committed operation by its documentId alone, one request each', async (setup) => {
    for (const [documentId, text] of Object.entries(documents[setup])) {
      const operation = operations.get(getOperationAST(parse(text))!.name!.value)!;
      const response = await fetch(graph.gatewayUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json', ...(await callerFor(graph, operation)) },
        body: JSON.stringify({ documentId, variables: exampleVariables(operation, records) }),
      });
      const body = (await response.json()) as { data?: unknown; errors?: { extensions?: { code?: unknown } }[] };
      expect({ operation: operation.name, status: response.status, refused: refusalCodes(body) }).toEqual({ operation: operation.name, status: 200, refused: [] });
      expect(body).toHaveProperty('data');
      if (setup === 'typename' && operation.kind === 'query') expect(JSON.stringify(body.data)).toContain('__typename');
    }
  });

  it('an unknown documentId is refused as not in the safelist, saying how to propose one', async () => {
    const response = await fetch(graph.gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(await graph.caller('administrator', 'ADMINISTRATION')) },
      body: JSON.stringify({ documentId: `sha256:${'0'.repeat(64)}` }),
    });
    const body = (await response.json()) as { errors?: { message: string; extensions?: { code?: unknown } }[] };
    expect({ status: response.status, code: body.errors?.[0].extensions?.code }).toEqual({ status: 403, code: 'PERSISTED_QUERY_NOT_IN_SAFELIST' });
    expect(body.errors?.[0].message).toMatch(/test\/operations\/.*npm run codegen/);
  });
});
