import { badUserInput } from './errors';

/**
 * Cursors are opaque to clients: base64url of a small JSON object naming the list and the sort key
 * of the last row seen (keyset pagination, so pages stay stable while rows are added).
 */
export function encodeCursor(list: string, key: string): string {
  return Buffer.from(JSON.stringify({ l: list, k: key }), 'utf8').toString('base64url');
}

export function decodeCursor(list: string, cursor: string, field = 'after'): string {
  const invalid = () => badUserInput(`${field} is not a cursor returned by ${list}`, field);
  if (!/^[A-Za-z0-9_-]{1,512}$/.test(cursor)) throw invalid();
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  if (typeof decoded !== 'object' || decoded === null) throw invalid();
  const { l, k } = decoded as { l?: unknown; k?: unknown };
  if (l !== list || typeof k !== 'string') throw invalid();
  return k;
}

export const MAX_PAGE_SIZE = 1000;

export function pageSize(first: number | null | undefined, fallback: number, field = 'first', bounds: { min: number; max: number } = { min: 0, max: MAX_PAGE_SIZE }): number {
  const size = first ?? fallback;
  if (!Number.isInteger(size) || size < bounds.min || size > bounds.max) {
    throw badUserInput(`${field} must be an integer from ${bounds.min} to ${bounds.max}`, field);
  }
  return size;
}
