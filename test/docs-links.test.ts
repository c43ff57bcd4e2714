import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

/**
 * The documentation holds together: every relative link in the README, the changelog and docs/ (and
 * bench/results' history) points at a file or folder that exists, and at a heading that exists when it
 * names one; the README stays a short entry page, its detail in docs/.
 */
const ROOT = path.resolve(__dirname, '..');
const README_MAX_LINES = 220;

function markdownFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const file = path.join(dir, name);
    if (statSync(file).isDirectory()) return markdownFiles(file);
    return name.endsWith('.md') ? [file] : [];
  });
}

const FILES = [path.join(ROOT, 'README.md'), path.join(ROOT, 'CHANGELOG.md'), path.join(ROOT, 'bench/results/history.md'), ...markdownFiles(path.join(ROOT, 'docs'))];

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces as hyphens. */
function anchorOf(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/`/g, '')
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

function anchorsIn(file: string): Set<string> {
  const text = readFileSync(file, 'utf8').replace(/^```[\s\S]*?^```/gm, '');
  return new Set([...text.matchAll(/^#{1,6}\s+(.+)$/gm)].map((match) => anchorOf(match[1])));
}

/** Relative links `[text](target)` outside code blocks and code spans. */
function relativeLinks(file: string): { target: string; line: number }[] {
  const text = readFileSync(file, 'utf8').replace(/^```[\s\S]*?^```/gm, (block) => block.replace(/[^\n]/g, ''));
  const links: { target: string; line: number }[] = [];
  text.split('\n').forEach((line, index) => {
    for (const match of line.replace(/`[^`]*`/g, '').matchAll(/\]\(([^)\s]+)\)/g)) {
      const target = match[1];
      if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue; // https:, mailto:
      links.push({ target, line: index + 1 });
    }
  });
  return links;
}

describe('the documentation', () => {
  it('finds the pages it checks', () => {
    expect(FILES.map((file) => path.relative(ROOT, file))).toEqual(expect.arrayContaining(['README.md', 'CHANGELOG.md', 'docs/architecture.md', 'docs/configuration.md']));
  });

  it.each(FILES.map((file) => [path.relative(ROOT, file), file] as const))('every relative link in %s resolves', (_name, file) => {
    const broken = relativeLinks(file).flatMap(({ target, line }) => {
      const [pathPart, anchor] = target.split('#');
      const resolved = pathPart ? path.resolve(path.dirname(file), decodeURIComponent(pathPart)) : file;
      if (!existsSync(resolved)) return [`line ${line}: ${target} (no such file)`];
      if (anchor && resolved.endsWith('.md') && !anchorsIn(resolved).has(anchor)) return [`line ${line}: ${target} (no such heading)`];
      return [];
    });
    expect(broken).toEqual([]);
  });

  it(`the README is at most ${README_MAX_LINES} lines, its detail in docs/`, () => {
    const lines = readFileSync(path.join(ROOT, 'README.md'), 'utf8').trimEnd().split('\n').length;
    expect(lines).toBeLessThanOrEqual(README_MAX_LINES);
  });

  it('the README links every page of docs/', () => {
    const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    const pages = readdirSync(path.join(ROOT, 'docs')).filter((name) => name.endsWith('.md'));
    expect(pages.filter((page) => !readme.includes(`docs/${page}`))).toEqual([]);
  });
});
