import { readFileSync } from 'node:fs';
import path from 'node:path';
import { CLIENT_ERROR_CODES } from '../subgraphs/shared/errors';
import { HASH_MISMATCH, NOT_IN_SAFELIST } from '../gateway/features/persisted-operations/persisted-operations';

/** docs/errors.md is the one table of error codes with their HTTP status: no code a client may see is missing from it. */
describe('the table of error codes (docs/errors.md)', () => {
  const table = readFileSync(path.resolve(__dirname, '../docs/errors.md'), 'utf8');
  /** The codes of the table's rows, with their status column. */
  const rows = new Map(
    [...table.matchAll(/^\| `([A-Z_]+)` \| ([^|]+) \|/gm)].map(([, code, status]) => [code, status.trim()] as const),
  );

  it.each([...CLIENT_ERROR_CODES, NOT_IN_SAFELIST, HASH_MISMATCH, 'INTERNAL_SERVER_ERROR'])('lists %s with its HTTP status', (code) => {
    expect(rows.get(code)).toMatch(/^\d{3}( or \d{3})?$/);
  });

  it('lists no code the gateway does not give', () => {
    const known = new Set<string>([...CLIENT_ERROR_CODES, NOT_IN_SAFELIST, HASH_MISMATCH, 'INTERNAL_SERVER_ERROR']);
    expect([...rows.keys()].filter((code) => !known.has(code))).toEqual([]);
  });
});
