import type { Database, Queryable } from '../db/database';

/**
 * The plan PostgreSQL makes for the one statement `run` sends through a store, with sequential scans
 * priced out of reach: a test that an index fits the statement's shape, whatever the table's size.
 */
export async function planWithoutSeqScan(db: Database, run: (recorder: Queryable) => Promise<unknown>): Promise<string> {
  const sent: { sql: string; params: readonly unknown[] }[] = [];
  await run({
    query: async (_name, sql, params = []) => {
      sent.push({ sql, params });
      return [];
    },
  });
  if (sent.length !== 1) throw new Error(`expected one statement, the store sent ${sent.length}`);
  const [{ sql, params }] = sent;
  return db.transaction(async (tx) => {
    await tx.query('test.noSeqScan', 'set local enable_seqscan = off');
    const rows = await tx.query<{ 'QUERY PLAN': string }>('test.explain', `explain ${sql}`, params);
    return rows.map((row) => row['QUERY PLAN']).join('\n');
  });
}
