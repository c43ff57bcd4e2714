import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { CLIENT_ERROR_CODES } from '../protocol/error-codes';
import { HASH_MISMATCH, NOT_IN_SAFELIST } from '../gateway/features/persisted-operations/persisted-operations';

const root = path.resolve(__dirname, '..');

/** The product's source (what serves clients): the gateway and the registries, without tests and test helpers. */
function sourceFiles(dir: string): string[] {
  return readdirSync(path.join(root, dir), { withFileTypes: true }).flatMap((entry) => {
    const relative = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'testing' ? [] : sourceFiles(relative);
    return /\.ts$/.test(entry.name) && !/\.(spec|test)\.ts$/.test(entry.name) ? [relative] : [];
  });
}

/** Where the product's code is: the gateway, the registries, and what they share. */
const PRODUCT_DIRS = ['gateway', 'subgraphs', 'protocol', 'platform', 'domain'];

/**
 * Functions that take the code of the error they build as an argument, with no literal of their own:
 * a code passed to one of them is found at its call. A new such function belongs here (the last test
 * below fails until it is).
 */
const CODE_TAKERS: Readonly<Record<string, string>> = {
  'gateway/features/feature.ts': 'retryLater',
  'gateway/features/request-validation/request-validation.ts': 'refused',
  'gateway/http/server.ts': 'RequestRefused',
  'gateway/features/authorization/authorization.ts': 'purposeError',
};

/**
 * Codes in the source that no client sees, each with why: they are not the code of an answer.
 */
const NOT_SEEN_BY_CLIENTS: Readonly<Record<string, string>> = {
  // RuleInputError's codes: a rule's input it cannot reason about; services turn them into BAD_USER_INPUT (or null).
  INVALID_DATE: 'RuleInputError, answered as BAD_USER_INPUT',
  INVALID_ARGUMENT: 'RuleInputError, answered as BAD_USER_INPUT',
  CALENDAR_NOT_COVERED: 'RuleInputError, answered as BAD_USER_INPUT or null',
  PARAMETER_NOT_IN_FORCE: 'RuleInputError, answered as BAD_USER_INPUT',
  // The reason a waiting request's turn is abandoned: its caller closed the connection, so no answer is sent.
  CLIENT_CLOSED_REQUEST: 'the caller has gone; nothing is answered',
};

const SCREAMING = /'([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*)'/g;

/** Every error code the source gives, with the files that give it. */
function codesInSource(): Map<string, Set<string>> {
  const found = new Map<string, Set<string>>();
  const add = (code: string, file: string) => found.set(code, (found.get(code) ?? new Set()).add(file));
  for (const file of PRODUCT_DIRS.flatMap((dir) => sourceFiles(dir))) {
    const text = readFileSync(path.join(root, file), 'utf8');
    // Constants that name a code (`export const NOT_IN_SAFELIST = 'PERSISTED_QUERY_NOT_IN_SAFELIST'`).
    const constants = new Map([...text.matchAll(/const ([A-Z][A-Z0-9_]*) = '([A-Z][A-Z0-9_]*)'/g)].map(([, name, value]) => [name, value]));
    const takers = Object.values(CODE_TAKERS);
    // A union of codes named as a type (`type PurposeRefusal = 'A' | 'B'`) that a `code:` parameter takes.
    for (const [, alias, union] of text.matchAll(/type ([A-Z][A-Za-z]*) = ('[A-Z][A-Z0-9_]*'(?:\s*\|\s*'[A-Z][A-Z0-9_]*')+)/g)) {
      if (new RegExp(`\\bcode: ${alias}\\b`).test(text)) for (const [, code] of union.matchAll(SCREAMING)) add(code, file);
    }
    for (const line of text.split('\n')) {
      // `code: 'X'` (an error built), or `code: 'X' | 'Y'` (a parameter that takes one of these codes).
      for (const [union] of line.matchAll(/\bcode: '[A-Z][A-Z0-9_]*'(?:\s*\|\s*'[A-Z][A-Z0-9_]*')*/g)) for (const [, code] of union.matchAll(SCREAMING)) add(code, file);
      // `code: NOT_IN_SAFELIST`: a constant naming a code.
      for (const [, name] of line.matchAll(/\bcode: ([A-Z][A-Z0-9_]*)\b/g)) if (constants.has(name)) add(constants.get(name)!, file);
      // A call of a function that takes a code.
      if (takers.some((taker) => new RegExp(`\\b${taker}\\(`).test(line))) for (const [, code] of line.matchAll(SCREAMING)) add(code, file);
    }
    // `ErrorCode.X`, the registries' own codes.
    for (const [, code] of text.matchAll(/\bErrorCode\.([A-Z][A-Z0-9_]*)\b/g)) add(code, file);
  }
  return found;
}

/** docs/errors.md is the one table of error codes with their HTTP status: no code a client may see is missing from it. */
describe('the table of error codes (docs/errors.md)', () => {
  const table = readFileSync(path.join(root, 'docs/errors.md'), 'utf8');
  /** The codes of the table's rows, with their status column. */
  const rows = new Map(
    [...table.matchAll(/^\| `([A-Z_]+)` \| ([^|]+) \|/gm)].map(([, code, status]) => [code, status.trim()] as const),
  );
  const inSource = codesInSource();
  const given = [...inSource.keys()].filter((code) => !(code in NOT_SEEN_BY_CLIENTS));

  it.each([...CLIENT_ERROR_CODES, NOT_IN_SAFELIST, HASH_MISMATCH, 'INTERNAL_SERVER_ERROR'])('lists %s with its HTTP status', (code) => {
    expect(rows.get(code)).toMatch(/^\d{3}( or \d{3})?$/);
  });

  it('finds the codes in the source (the search itself works)', () => {
    for (const code of ['UNAUTHENTICATED', 'FORBIDDEN', 'PURPOSE_REQUIRED', 'PURPOSE_NOT_ALLOWED', 'RATE_LIMITED', 'SERVER_BUSY', 'BAD_REQUEST', 'DUTY_NOT_PAID', NOT_IN_SAFELIST, HASH_MISMATCH]) {
      expect(inSource.has(code)).toBe(true);
    }
  });

  it('lists every code the gateway or a registry gives an error in its source', () => {
    const missing = given.filter((code) => !rows.has(code)).map((code) => `${code} (${[...inSource.get(code)!].join(', ')})`);
    expect(missing).toEqual([]);
  });

  it('lists no code the gateway does not give', () => {
    const known = new Set<string>([...CLIENT_ERROR_CODES, ...given, NOT_IN_SAFELIST, HASH_MISMATCH, 'INTERNAL_SERVER_ERROR']);
    expect([...rows.keys()].filter((code) => !known.has(code))).toEqual([]);
  });

  it('knows every function that builds an error from a code it is given', () => {
    // A function building `extensions: { code }` from a variable hides its callers' codes from the search above.
    const builders = PRODUCT_DIRS.flatMap((dir) => sourceFiles(dir)).filter((file) =>
      /extensions: \{ code(?:,| \}|: (?!'|ErrorCode\.|[A-Z][A-Z0-9_]*\b)[a-z])/.test(readFileSync(path.join(root, file), 'utf8')),
    );
    expect(builders.sort()).toEqual(Object.keys(CODE_TAKERS).sort());
  });
});
