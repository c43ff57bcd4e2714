import DataLoader from 'dataloader';

/**
 * A loader of one row per key: the batch function fetches all keys in one statement and the rows
 * are matched back to the keys; a missing key yields null.
 */
export function rowLoader<Row>(
  fetch: (keys: readonly string[]) => Promise<Row[]>,
  keyOf: (row: Row) => string,
): DataLoader<string, Row | null> {
  return new DataLoader(async (keys) => {
    const rows = await fetch(keys);
    const byKey = new Map(rows.map((row) => [keyOf(row), row]));
    return keys.map((key) => byKey.get(key) ?? null);
  });
}

/**
 * A loader of the rows that belong to a key (a person's documents, an application's payments): one
 * statement for all keys of a batch, rows grouped back by key, in the order the statement returned.
 */
export function groupLoader<Row>(
  fetch: (keys: readonly string[]) => Promise<Row[]>,
  groupOf: (row: Row) => string,
): DataLoader<string, Row[]> {
  return new DataLoader(async (keys) => {
    const rows = await fetch(keys);
    const groups = new Map<string, Row[]>(keys.map((key) => [key, []]));
    for (const row of rows) groups.get(groupOf(row))?.push(row);
    return keys.map((key) => groups.get(key) ?? []);
  });
}
