import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildSchema } from 'graphql';
import { changesSinceRelease, RELEASED_DIR, releaseContract, releasedFiles } from '../scripts/contract';
import { deprecatedElements, deprecatedSince } from '../scripts/contract-changes';

const ROOT = path.resolve(__dirname, '..');
const TODAY = new Date().toISOString().slice(0, 10);

/**
 * The partner contract (docs/partner-onboarding.md, "Changes to the contract"): what partners' clients
 * rely on may change only by a release that keeps it, or removes only what was deprecated long enough.
 */
describe('the partner contract', () => {
  it('is kept: no breaking change since the released contract (schema/contract)', () => {
    const breaking = changesSinceRelease(TODAY)!.filter((change) => change.kind === 'breaking');
    // Each names what changed; `npm run contract` says the same, and docs/partner-onboarding.md how to change it without breaking.
    expect(breaking.map((change) => change.description)).toEqual([]);
  });

  it('dates every deprecation made since the release, so that its notice can be counted', () => {
    const released = new Set(deprecatedElements(buildSchema(releasedFiles()!.sdl)).map(({ element }) => element));
    const current = deprecatedElements(buildSchema(readFileSync(path.join(ROOT, 'schema/api.graphql'), 'utf8')));
    const undated = current.filter(({ element, reason }) => !released.has(element) && !deprecatedSince(reason));
    expect(undated).toEqual([]);
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

    it('refuses a field removed without notice and writes nothing; by agreement it releases it, on record', () => {
      const before = { api: read(`${RELEASED_DIR}/api.graphql`), access: read(`${RELEASED_DIR}/access.json`) };
      const api = read('schema/api.graphql');
      const removed = api.replace(/\n\s+"""[^"]*"""\n\s+permitByNumber\([^)]*\): Permit/, '');
      expect(removed).not.toBe(api);
      writeFileSync(path.join(root, 'schema/api.graphql'), removed);

      const refusals = releaseContract(TODAY, { root });
      expect(refusals).toEqual([expect.stringMatching(/^Query\.permitByNumber was removed\. Keep what partners use/)]);
      expect({ api: read(`${RELEASED_DIR}/api.graphql`), access: read(`${RELEASED_DIR}/access.json`) }).toEqual(before);

      expect(releaseContract(TODAY, { root, agreed: 'the border service and the police, letter of 2026-12-01' })).toEqual([]);
      expect(read(`${RELEASED_DIR}/api.graphql`)).toBe(removed);
      const access = JSON.parse(read(`${RELEASED_DIR}/access.json`));
      expect(access).toMatchObject({ released: TODAY, agreed: [{ day: TODAY, reason: 'the border service and the police, letter of 2026-12-01', changes: refusals }] });
      expect(access.fields['Query.permitByNumber']).toBeUndefined();
      expect(changesSinceRelease(TODAY, root)).toEqual([]);
    });
  });

  it('`npm run contract` reports against the released contract', () => {
    const run = spawnSync(process.execPath, [path.join(ROOT, 'node_modules/ts-node/dist/bin.js'), '--transpile-only', 'scripts/contract.ts'], { cwd: ROOT, encoding: 'utf8' });
    expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 0, stderr: '' });
    expect(run.stdout).toMatch(/^(No change to the partner contract since its release\.|(dangerous|compatible) )/);
  });
});
