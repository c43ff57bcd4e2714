import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { composeSupergraph, schemaFiles } from '../scripts/compose-supergraph';
import { AGENCIES } from '../gateway/features/authorization/agencies';
import { SCOPES } from '../protocol/access';

const root = path.resolve(__dirname, '..');
const committed = (file: string) => readFileSync(path.join(root, file), 'utf8');

/** Generated files are committed; when the code changes and they are not regenerated, this fails. */
describe('generated files match the code', () => {
  it('schema/*.graphql is what `npm run compose` makes from the subgraphs', async () => {
    const graph = await composeSupergraph();
    expect(graph.hints).toEqual([]);
    for (const [file, content] of Object.entries(schemaFiles(graph))) {
      expect({ file, content: committed(file) }).toEqual({ file, content });
    }
  });

  it('test/generated is what `npm run codegen` makes from schema/api.graphql and the operations', () => {
    // The codegen CLI's check mode generates in memory and fails on any stale file; it runs as a child
    // process because its ESM dependencies do not load inside jest.
    const check = spawnSync(process.execPath, [path.join(root, 'node_modules/@graphql-codegen/cli/cjs/bin.js'), '--config', 'codegen.ts', '--check'], {
      cwd: root,
      encoding: 'utf8',
    });
    expect({ status: check.status, output: check.stdout + check.stderr }).toEqual({ status: 0, output: expect.any(String) });
  });

  it('every entity of the public contract is in the API schema, with a description', () => {
    const api = committed('schema/api.graphql');
    for (const field of ['person(', 'personByDocument(', 'persons(', 'applicationByNumber(', 'paymentByCode(']) expect(api).toContain(field);
    for (const field of ['stayPeriods(', 'permits(', 'outstandingFines:', 'applications:']) expect(api).toContain(field);
    // Every type in the API schema is preceded by its description (a block ending in """).
    const lines = api.split('\n');
    const undocumented = lines
      .map((line, index) => ({ match: /^(type|enum|input|scalar|interface|union) (\w+)/.exec(line), before: lines[index - 1] ?? '' }))
      .filter(({ match, before }) => match && !before.trim().endsWith('"""'))
      .map(({ match }) => match![2]);
    expect(undocumented).toEqual([]);
  });

  it("the partner guide's tables (docs/partner-onboarding.md) list every agency profile and scope as the code has them", () => {
    const guide = committed('docs/partner-onboarding.md');
    const code = (text: string) => `\`${text}\``;
    for (const [agency, profile] of Object.entries(AGENCIES)) {
      expect(guide).toContain(`| ${code(agency)}: ${profile.name.en} | ${profile.scopes.map(code).join(', ')} | ${profile.purposes.map(code).join(', ')} |`);
    }
    for (const [scope, meaning] of Object.entries(SCOPES)) expect(guide).toContain(`| ${code(scope)} | ${meaning} |`);
  });
});
