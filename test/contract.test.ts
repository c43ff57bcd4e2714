import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildSchema } from 'graphql';
import { dateInBaku } from '../platform/context';
import { RELEASED_DIR, releaseContract, releasedFiles, sinceRelease } from '../scripts/contract';
import { deprecatedElements } from '../scripts/contract-changes';

const ROOT = path.resolve(__dirname, '..');
const TODAY = dateInBaku(new Date());

/** `day` plus `days`, YYYY-MM-DD. */
const plus = (day: string, days: number) => new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

/**
 * The partner contract (docs/partner-onboarding.md, "Changes to the contract"): what partners' clients
 * rely on may change only by a release that keeps it, or removes only what was deprecated long enough.
 */
describe('the partner contract', () => {
  it('is kept: no breaking change since the released contract (schema/contract)', () => {
    const { released, changes } = sinceRelease(TODAY);
    expect(released).toBe(true);
    // Each names what changed; `npm run contract` says the same, and docs/partner-onboarding.md how to change it without breaking.
    expect(changes.filter((change) => change.kind === 'breaking').map((change) => change.description)).toEqual([]);
  });

  it('records each deprecation it carries with the release that first carried it', () => {
    const { sdl, access } = releasedFiles()!;
    const deprecated = deprecatedElements(buildSchema(sdl)).map(({ element }) => element);
    expect(deprecated.length).toBeGreaterThan(0);
    expect(Object.keys(access.deprecated ?? {}).sort()).toEqual([...deprecated].sort());
    for (const day of Object.values(access.deprecated!)) expect(day <= access.released).toBe(true);
  });

  describe('a release', () => {
    let root: string;
    beforeEach(() => {
      root = mkdtempSync(path.join(tmpdir(), 'dmx-contract-'));
      mkdirSync(path.join(root, 'schema'));
      for (const file of ['schema/api.graphql', 'schema/supergraph.graphql', RELEASED_DIR]) cpSync(path.join(ROOT, file), path.join(root, file), { recursive: true });
    });
    afterEach(() => rmSync(root, { recursive: true, force: true }));
    const read = (file: string) => readFileSync(path.join(root, file), 'utf8');
    const released = () => ({ api: read(`${RELEASED_DIR}/api.graphql`), access: read(`${RELEASED_DIR}/access.json`) });

    it('refuses a field removed without notice and writes nothing; by agreement it releases it, on record', () => {
      const before = released();
      const api = read('schema/api.graphql');
      const removed = api.replace(/\n\s+"""[^"]*"""\n\s+permitByNumber\([^)]*\): Permit/, '');
      expect(removed).not.toBe(api);
      writeFileSync(path.join(root, 'schema/api.graphql'), removed);

      const { refusals } = releaseContract(TODAY, { root });
      expect(refusals).toEqual([expect.stringMatching(/^Query\.permitByNumber was removed\. Keep what partners use/)]);
      expect(released()).toEqual(before);

      expect(releaseContract(TODAY, { root, agreed: 'the border service and the police, letter of 2026-12-01' }).refusals).toEqual([]);
      expect(read(`${RELEASED_DIR}/api.graphql`)).toBe(removed);
      const access = JSON.parse(read(`${RELEASED_DIR}/access.json`));
      expect(access).toMatchObject({ released: TODAY, agreed: [{ day: TODAY, reason: 'the border service and the police, letter of 2026-12-01', changes: ['Query.permitByNumber was removed.'] }] });
      expect(access.fields['Query.permitByNumber']).toBeUndefined();
      expect(sinceRelease(TODAY, root).changes).toEqual([]);
    });

    it('removes a deprecated argument only 180 days after the release that first carried its deprecation, however many releases came between', () => {
      const { access } = releasedFiles(root)!;
      const first = access.deprecated!['Mutation.takeApplicationForReview(officer)']!;
      // Another release, later: the deprecation keeps its first day.
      expect(releaseContract(plus(first, 100), { root }).refusals).toEqual([]);
      expect(JSON.parse(read(`${RELEASED_DIR}/access.json`)).deprecated['Mutation.takeApplicationForReview(officer)']).toBe(first);

      const api = read('schema/api.graphql');
      const removed = api.replace(/\n\s+"""Formerly the officer taking the step\."""\n\s+officer: String @deprecated\(reason: "[^"]*"\)/, '');
      expect(removed.split('officer: String @deprecated').length).toBe(api.split('officer: String @deprecated').length - 1);
      writeFileSync(path.join(root, 'schema/api.graphql'), removed);
      expect(releaseContract(plus(first, 179), { root }).refusals).toEqual([expect.stringMatching(/^Mutation\.takeApplicationForReview arg officer was removed\. Its deprecation was released on /)]);
      expect(releaseContract(plus(first, 180), { root }).refusals).toEqual([]);
      expect(JSON.parse(read(`${RELEASED_DIR}/access.json`)).deprecated['Mutation.takeApplicationForReview(officer)']).toBeUndefined();
    });
  });

  it('`npm run contract` reports against the released contract', () => {
    const run = spawnSync(process.execPath, [path.join(ROOT, 'node_modules/ts-node/dist/bin.js'), '--transpile-only', 'scripts/contract.ts'], { cwd: ROOT, encoding: 'utf8' });
    expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 0, stderr: '' });
    expect(run.stdout).toMatch(/^(No change to the partner contract since its release\.|(dangerous|compatible) )/);
  });
});
