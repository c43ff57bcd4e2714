import * as fs from 'fs';
import * as path from 'path';
import { RULE_CATALOG, reason, ruleById } from './catalog';
import { PARAMETER_NAMES } from './parameters';

/**
 * The catalog markdown lives beside the clone: walk up from the repository root looking for
 * shared/rules-catalog.md (on this machine /work/shared/rules-catalog.md; CI places it the same way).
 */
function findCatalogMarkdown(): string {
  const repoRoot = path.resolve(__dirname, '../..');
  const tried: string[] = [];
  for (let dir = repoRoot; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'shared', 'rules-catalog.md');
    tried.push(candidate);
    if (fs.existsSync(candidate)) return candidate;
    if (path.dirname(dir) === dir) break;
  }
  throw new Error(
    `rules-catalog.md not found: looked for shared/rules-catalog.md beside the repository and its parents (${tried.join(', ')}). ` +
      'Place the catalog at ../shared/rules-catalog.md relative to the clone.',
  );
}

/** Expands 'WP-EX-01..21' to WP-EX-01 .. WP-EX-21 and 'STAY-EXT-T1..T3' to STAY-EXT-T1 .. STAY-EXT-T3. */
export function expandCatalogId(token: string): string[] {
  const range = /^(.*-)([A-Z]*)(\d+)\.\.([A-Z]*)(\d+)$/.exec(token);
  if (!range) return [token];
  const [, prefix, letter, fromDigits, toLetter, toDigits] = range;
  if (toLetter && toLetter !== letter) throw new Error(`Cannot expand catalog range ${token}`);
  const ids: string[] = [];
  for (let n = Number(fromDigits); n <= Number(toDigits); n += 1) {
    ids.push(`${prefix}${letter}${String(n).padStart(fromDigits.length, '0')}`);
  }
  return ids;
}

function catalogIds(markdown: string): string[] {
  const ids: string[] = [];
  for (const line of markdown.split('\n')) {
    const match = /^- ([A-Z][A-Z0-9]*(?:-[A-Z0-9]+)*(?:\.\.[A-Z0-9]+)?)\s/.exec(line);
    if (match) ids.push(...expandCatalogId(match[1]));
  }
  return ids;
}

function specSources(): string {
  return fs
    .readdirSync(__dirname)
    .filter((file) => file.endsWith('.spec.ts') && file !== path.basename(__filename))
    .map((file) => fs.readFileSync(path.join(__dirname, file), 'utf8'))
    .join('\n');
}

function namedIn(source: string, id: string): boolean {
  const escaped = id.replace(/[.*+?^${}()|[\]\\-]/g, '\\$&');
  return new RegExp(`(?<![A-Z0-9-])${escaped}(?![0-9A-Z])`).test(source);
}

describe('catalog: every rule ID of rules-catalog.md has an entry in RULE_CATALOG and is named by a test', () => {
  const markdown = fs.readFileSync(findCatalogMarkdown(), 'utf8');
  const ids = catalogIds(markdown);

  it('expands ranges written in the catalog', () => {
    expect(expandCatalogId('WP-EX-01..21')).toHaveLength(21);
    expect(expandCatalogId('WP-EX-01..21')[20]).toBe('WP-EX-21');
    expect(expandCatalogId('STAY-EXT-T1..T3')).toEqual(['STAY-EXT-T1', 'STAY-EXT-T2', 'STAY-EXT-T3']);
    expect(expandCatalogId('PR-RF-01..16')).toContain('PR-RF-10');
    expect(ids).toEqual(expect.arrayContaining(['STAY-EXT-04', 'STAY-EXT-05', 'PR-GR-10', 'CIT-05', 'F3', 'WP-CH', 'STAY-PAND']));
    expect(ids.length).toBeGreaterThanOrEqual(90);
  });

  it('has no catalog ID without an entry in RULE_CATALOG', () => {
    const missing = ids.filter((id) => !ruleById(id));
    expect(missing).toEqual([]);
  });

  it('has no RULE_CATALOG entry that the catalog does not define', () => {
    const unknown = RULE_CATALOG.map((entry) => entry.id).filter((id) => !ids.includes(id));
    expect(unknown).toEqual([]);
    expect(new Set(RULE_CATALOG.map((entry) => entry.id)).size).toBe(RULE_CATALOG.length);
  });

  it('has no catalog ID that no spec file names', () => {
    const sources = specSources();
    const unnamed = ids.filter((id) => !namedIn(sources, id));
    expect(unnamed).toEqual([]);
  });

  it('gives every entry a title in both languages, a citation and only known parameter names', () => {
    for (const entry of RULE_CATALOG) {
      expect(entry.title.az.length).toBeGreaterThan(0);
      expect(entry.title.en.length).toBeGreaterThan(0);
      expect(entry.citation).toMatch(/S0|S1|F1|F2|F3|CAL-01/);
      for (const name of entry.parameters) expect(PARAMETER_NAMES).toContain(name);
    }
  });

  it('builds reasons that carry the rule citation, and refuses an unknown rule ID', () => {
    expect(reason('STAY-EXT-T3', 'en', 'az')).toEqual({
      ruleId: 'STAY-EXT-T3',
      citation: 'S1; Miqrasiya Məcəlləsi 19.4.3',
      message: { az: 'az', en: 'en' },
    });
    expect(() => reason('STAY-99', 'en', 'az')).toThrow(/Unknown rule ID/);
  });
});
