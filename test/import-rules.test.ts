import { readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import ts from 'typescript';

/**
 * The shape of the house (the handbook's "The shape"), held by its imports:
 * 1. the gateway imports from the registries' side only what they agree on (protocol/) and the rules
 *    (domain/), with the few exceptions of ALLOWED_TO_GATEWAY; never subgraphs/;
 * 2. domain/ imports nothing outside itself (no package, no node API), and never reads the clock;
 * 3. no registry imports another registry's folder;
 * 4. protocol/ imports only itself, node built-ins and the packages of PROTOCOL_PACKAGES;
 * 5. platform/ does not import the gateway or a registry (its specs may use a registry as a fixture).
 */
const root = path.resolve(__dirname, '..');

/** What the gateway may import outside gateway/, protocol/ and domain/, and why. */
const ALLOWED_TO_GATEWAY: readonly { target: string; from?: string; why: string }[] = [
  { target: 'platform/config.ts', why: 'environment parsing (parseEnvironment, ConfigError, key variables), shared by every service' },
  { target: 'platform/scalars.ts', why: 'the Date and CountryCode scalars, checked on variables before planning as the registries check them' },
  { target: 'platform/listen.ts', why: 'starting an HTTP server and naming its URL, as the operations listener does' },
  { target: 'platform/group-commit.ts', why: 'a generic batching primitive with no imports (the audit client batches with it)' },
  // A folder (a target ending in /): every module in it.
  { target: 'platform/telemetry/', why: 'traces, metrics, logs and the operations listener, set up alike in every service' },
  // Development only: the IDE's presets name the demo world's well-known records, which every seed has.
  { target: 'demo/well-known.ts', from: 'gateway/features/ide/graphiql-presets.ts', why: "the development IDE's presets" },
  // Tests of the gateway check its persisted operations against the committed client operations.
  { target: 'codegen/persisted-operations.ts', from: 'gateway/features/persisted-operations/persisted-operations.spec.ts', why: 'the manifest the test compares' },
  { target: 'test/generated/operations.ts', from: 'gateway/features/persisted-operations/persisted-operations.spec.ts', why: 'the operations the test compares' },
  // The result shaping is held to Apollo's on the benchmark's operations as well as the persisted ones.
  { target: 'bench/workloads.ts', from: 'gateway/execution/compiled-response.spec.ts', why: "the benchmark's operations, shaped both ways" },
  // fetch adds an Accept-Encoding of its own and decodes: a test of content codings sends requests as written.
  { target: 'platform/testing/raw-http.ts', from: 'gateway/http/static-asset.spec.ts', why: 'requests with exactly the headers given' },
];

/** Packages protocol/ may use: JWTs (registry tokens), the audit entry's schema, and reading access directives from a schema. */
const PROTOCOL_PACKAGES: ReadonlySet<string> = new Set(['jose', 'zod', 'graphql']);

const REGISTRIES = ['persons', 'applications', 'payments', 'permits', 'audit'];
const BUILTINS: ReadonlySet<string> = new Set(builtinModules);

/** Every module a source file names: imports, `export ... from`, `import type`, require() and import(). */
function importsOf(text: string): string[] {
  return ts.preProcessFile(text, true, true).importedFiles.map((file) => file.fileName);
}

type Target = { kind: 'file'; path: string } | { kind: 'package'; name: string; builtin: boolean };

/** Where a specifier in `file` (repository-relative) leads: a repository path, or a package. */
function targetOf(file: string, specifier: string): Target {
  if (specifier.startsWith('.')) {
    const resolved = path.posix.normalize(path.posix.join(path.posix.dirname(file), specifier));
    return { kind: 'file', path: resolved };
  }
  const name = specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0];
  return { kind: 'package', name, builtin: specifier.startsWith('node:') || BUILTINS.has(name) };
}

const under = (target: string, folder: string) => target === folder || target.startsWith(`${folder}/`);
/** A module path without its extension or /index, to compare with an allowed one. */
const modulePath = (target: string) => target.replace(/\.ts$/, '').replace(/\/index$/, '');
const isSpec = (file: string) => /\.(spec|test)\.ts$/.test(file);

/** The rules `file` breaks by importing `specifier`, in words; empty when the import is allowed. */
function violations(file: string, specifier: string): string[] {
  const target = targetOf(file, specifier);
  const found: string[] = [];
  const say = (rule: string) => found.push(`${file}: ${specifier} (${rule})`);
  const top = file.split('/')[0];

  if (top === 'gateway' && target.kind === 'file' && !under(target.path, 'gateway')) {
    const allowed =
      under(target.path, 'protocol') ||
      under(target.path, 'domain') ||
      ALLOWED_TO_GATEWAY.some(
        (entry) =>
          (entry.target.endsWith('/') ? target.path.startsWith(entry.target) : modulePath(entry.target) === modulePath(target.path)) && (!entry.from || entry.from === file),
      );
    if (!allowed) say('the gateway imports protocol/, domain/ and ALLOWED_TO_GATEWAY only');
  }

  if (top === 'domain') {
    if (target.kind === 'package' && !isSpec(file)) say('domain/ imports no package or node API');
    if (target.kind === 'file' && !under(target.path, 'domain')) say('domain/ imports nothing outside itself');
  }

  if (top === 'subgraphs' && target.kind === 'file') {
    const registry = file.split('/')[1];
    const other = REGISTRIES.find((name) => name !== registry && under(target.path, `subgraphs/${name}`));
    if (REGISTRIES.includes(registry) && other) say(`a registry does not import another registry (${other})`);
  }

  if (top === 'protocol') {
    if (target.kind === 'file' && !under(target.path, 'protocol')) say('protocol/ imports only itself');
    if (target.kind === 'package' && !target.builtin && !PROTOCOL_PACKAGES.has(target.name)) say(`protocol/ uses only node built-ins and ${[...PROTOCOL_PACKAGES].join(', ')}`);
  }

  if (top === 'platform' && !isSpec(file) && target.kind === 'file' && (under(target.path, 'gateway') || under(target.path, 'subgraphs'))) {
    say('platform/ imports neither the gateway nor a registry');
  }
  return found;
}

/** Reading the clock is the caller's business: the evaluation date is an argument of every rule. */
function clockReads(file: string, text: string): string[] {
  if (isSpec(file)) return [];
  return [...text.matchAll(/Date\.now\(\)|new Date\(\)|\bprocess\./g)].map((match) => `${file}: ${match[0]} (domain/ reads no clock or process)`);
}

function sourceFiles(folder: string): string[] {
  return readdirSync(path.join(root, folder), { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts'))
    .map((entry) => path.relative(root, path.join(entry.parentPath, entry.name)).split(path.sep).join('/'));
}

function check(folders: readonly string[]): string[] {
  return folders.flatMap(sourceFiles).flatMap((file) => importsOf(readFileSync(path.join(root, file), 'utf8')).flatMap((specifier) => violations(file, specifier)));
}

describe('the checker', () => {
  it('finds every kind of import', () => {
    const text = [
      "import { a } from './a';",
      "import type { B } from '../b';",
      "export { c } from './c';",
      "const d = require('./d');",
      "const e = import('./e');",
      "import 'reflect-metadata';",
    ].join('\n');
    expect(importsOf(text).sort()).toEqual(['../b', './a', './c', './d', './e', 'reflect-metadata']);
  });

  it('refuses a forbidden import of each kind, and allows the allowed', () => {
    // (1) the gateway
    expect(violations('gateway/app.ts', '../subgraphs/persons/app')).toHaveLength(1);
    expect(violations('gateway/auth/tokens.ts', '../../subgraphs')).toHaveLength(1);
    expect(violations('gateway/app.ts', '../platform/db/database')).toHaveLength(1);
    expect(violations('gateway/app.ts', '../platform/server/subgraph-definition')).toHaveLength(1);
    expect(violations('gateway/app.ts', '../demo/world')).toHaveLength(1);
    expect(violations('gateway/app.ts', '../demo/well-known')).toHaveLength(1);
    expect(violations('gateway/features/ide/graphiql-presets.ts', '../../../demo/well-known')).toEqual([]);
    expect(violations('gateway/access/filter.ts', '../../protocol/access')).toEqual([]);
    expect(violations('gateway/app.ts', '../domain/rules')).toEqual([]);
    expect(violations('gateway/main.ts', '../platform/config')).toEqual([]);
    expect(violations('gateway/main.ts', '../platform/telemetry/telemetry')).toEqual([]);
    expect(violations('gateway/main.ts', '../platform/telemetry-other')).toHaveLength(1);
    expect(violations('gateway/app.ts', 'graphql')).toEqual([]);
    // (2) domain/
    expect(violations('domain/rules/visa.ts', 'graphql')).toHaveLength(1);
    expect(violations('domain/rules/visa.ts', 'node:crypto')).toHaveLength(1);
    expect(violations('domain/rules/visa.ts', '../../platform/errors')).toHaveLength(1);
    expect(violations('domain/facts/fine-facts.ts', '../rules/fines')).toEqual([]);
    expect(clockReads('domain/rules/visa.ts', 'const today = new Date();')).toHaveLength(1);
    expect(clockReads('domain/rules/visa.ts', "const day = new Date('2026-01-01');")).toEqual([]);
    // (3) registries
    expect(violations('subgraphs/permits/app.ts', '../persons/person.store')).toHaveLength(1);
    expect(violations('subgraphs/permits/app.ts', './legal.service')).toEqual([]);
    expect(violations('subgraphs/index.ts', './persons/app')).toEqual([]);
    // (4) protocol/
    expect(violations('protocol/claims.ts', '../platform/context')).toHaveLength(1);
    expect(violations('protocol/claims.ts', 'pg')).toHaveLength(1);
    expect(violations('protocol/request-signing.ts', 'node:crypto')).toEqual([]);
    expect(violations('protocol/registry-token.ts', 'jose')).toEqual([]);
    // (5) platform/
    expect(violations('platform/server/run-subgraph.ts', '../../subgraphs/persons/app')).toHaveLength(1);
    expect(violations('platform/server/registry-state.spec.ts', '../../subgraphs/persons/app')).toEqual([]);
  });
});

describe('the imports of the house', () => {
  it('walks every folder, nested ones included', () => {
    expect(sourceFiles('gateway')).toEqual(expect.arrayContaining(['gateway/app.ts', 'gateway/features/authentication/tokens.ts']));
    expect(sourceFiles('domain')).toEqual(expect.arrayContaining(['domain/rules/visa.ts', 'domain/facts/person-facts.ts']));
  });

  it('(1) the gateway imports protocol/ and domain/, and of the rest only ALLOWED_TO_GATEWAY', () => {
    expect(check(['gateway'])).toEqual([]);
  });

  it('(2) domain/ imports nothing outside itself and reads no clock', () => {
    expect(check(['domain'])).toEqual([]);
    expect(sourceFiles('domain').flatMap((file) => clockReads(file, readFileSync(path.join(root, file), 'utf8')))).toEqual([]);
  });

  it('(3) no registry imports another registry', () => {
    expect(check(['subgraphs'])).toEqual([]);
  });

  it('(4) protocol/ imports only itself, node built-ins and its few packages', () => {
    expect(check(['protocol'])).toEqual([]);
  });

  it('(5) platform/ imports neither the gateway nor a registry', () => {
    expect(check(['platform'])).toEqual([]);
  });

  it('leaves nothing in the old grab-bag, subgraphs/shared', () => {
    expect(sourceFiles('subgraphs').filter((file) => file.startsWith('subgraphs/shared/'))).toEqual([]);
  });
});
