import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'graphql';
import { canonicalOperation } from '../gateway/features/persisted-operations/persisted-operations';

const root = path.resolve(__dirname, '..');
const guide = readFileSync(path.join(root, 'docs/partner-onboarding.md'), 'utf8');
const api = readFileSync(path.join(root, 'schema/api.graphql'), 'utf8');

/** The code block right after a `<!-- <marker>` comment of the guide. */
function block(marker: string): string {
  const match = new RegExp(`<!-- ${marker}[^>]*-->\\s*\`\`\`ts\\n([\\s\\S]*?)\`\`\``).exec(guide);
  if (!match) throw new Error(`docs/partner-onboarding.md has no ts block after <!-- ${marker}`);
  return match[1];
}

/**
 * The partner guide (docs/partner-onboarding.md) as a partner follows it: its codegen config and its
 * operation, as written there, generate typed documents from schema/api.graphql with graphql-codegen's
 * client preset, and the output typechecks with the custom scalars as strings. Runs the codegen CLI
 * and tsc as child processes (the CLI's ESM dependencies do not load inside jest), in a directory
 * of its own that sees this repository's node_modules.
 */
describe("the partner guide's typed documents", () => {
  let project: string;
  beforeAll(() => {
    project = mkdtempSync(path.join(tmpdir(), 'dmx-partner-typed-documents-'));
    symlinkSync(path.join(root, 'node_modules'), path.join(project, 'node_modules'), 'dir');
    mkdirSync(path.join(project, 'schema'));
    mkdirSync(path.join(project, 'src'));
    writeFileSync(path.join(project, 'schema/api.graphql'), api);
    writeFileSync(path.join(project, 'codegen.ts'), block('partner-codegen-config'));
    writeFileSync(path.join(project, 'src/border-check.ts'), block('partner-codegen-document'));
    // What a partner's code relies on: the scalars are strings (not unknown, not any), enums are unions.
    writeFileSync(
      path.join(project, 'src/uses.ts'),
      `import type { ResultOf, VariablesOf } from '@graphql-typed-document-node/core';
import { BorderCheck } from './border-check';

type Status = ResultOf<typeof BorderCheck>;
declare const status: Status;
export const birthDate: string | undefined = status.personByDocument?.birthDate;
export const lawfulUntil: string | null | undefined = status.personByDocument?.legalStatus?.lawfulUntil;
export const variables: VariablesOf<typeof BorderCheck> = { country: 'TUR', number: 'AB12345678' };
// @ts-expect-error a date is a string, not a number
export const notANumber: number | undefined = status.personByDocument?.birthDate;
// @ts-expect-error a country code is a string
export const wrongCountry: VariablesOf<typeof BorderCheck> = { country: 792, number: 'AB12345678' };
`,
    );
    writeFileSync(
      path.join(project, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: { target: 'ES2022', module: 'commonjs', moduleResolution: 'node', strict: true, noEmit: true, skipLibCheck: true, types: [], lib: ['ES2022'] },
        include: ['src'],
      }),
    );
  });
  afterAll(() => rmSync(project, { recursive: true, force: true }));

  it('maps every custom scalar of the contract', () => {
    const scalars = [...api.matchAll(/^scalar (\w+)/gm)].map((match) => match[1]).sort();
    expect(scalars.length).toBeGreaterThan(0);
    const mapped = [...block('partner-codegen-config').matchAll(/^\s+(\w+): 'string'/gm)].map((match) => match[1]).sort();
    expect(mapped).toEqual(scalars);
    // The README points partners to the guide.
    expect(readFileSync(path.join(root, 'README.md'), 'utf8')).toContain('docs/partner-onboarding.md');
  });

  it("is a committed operation, as committed: it runs where only those do (PERSISTED_OPERATIONS=safelist)", () => {
    const text = /graphql\(`([\s\S]*?)`\)/.exec(block('partner-codegen-document'))![1];
    const manifest = JSON.parse(readFileSync(path.join(root, 'schema/persisted-operations.json'), 'utf8')) as { operations: Record<string, string> };
    const committed = new Set(Object.values(manifest.operations).map((operation) => canonicalOperation(parse(operation))));
    expect(committed.has(canonicalOperation(parse(text)))).toBe(true);
  });

  it('generates typed documents with the client preset, and they typecheck', () => {
    const generate = spawnSync(process.execPath, [path.join(root, 'node_modules/@graphql-codegen/cli/cjs/bin.js'), '--config', 'codegen.ts'], {
      cwd: project,
      encoding: 'utf8',
    });
    expect({ status: generate.status, output: generate.stdout + generate.stderr }).toEqual({ status: 0, output: expect.any(String) });
    const generated = readFileSync(path.join(project, 'src/gql/graphql.ts'), 'utf8');
    expect(generated).toContain('BorderCheckQuery');
    // The scalars come out as the mapping says (the preset writes them into each operation's types).
    expect(generated).toContain('birthDate: string');
    expect(generated).toContain('country: string');

    const typecheck = spawnSync(process.execPath, [path.join(root, 'node_modules/typescript/bin/tsc'), '-p', project], { cwd: project, encoding: 'utf8' });
    expect({ status: typecheck.status, output: typecheck.stdout + typecheck.stderr }).toEqual({ status: 0, output: '' });
  }, 120_000);
});
