import { PGlite, types as pgliteTypes } from '@electric-sql/pglite';
import { Pool, types as pgTypes, type PoolClient } from 'pg';
import { mkdirSync } from 'node:fs';

/**
 * The one door to SQL. Stores call `query(name, sql, params)`: the name becomes a leading
 * `/* name *\/` tag (visible in pg_stat_statements and server logs) and is counted, so a test or
 * a benchmark can tell how many statements a request cost.
 */
export interface Queryable {
  query<Row = Record<string, unknown>>(name: string, sql: string, params?: readonly unknown[]): Promise<Row[]>;
}

export interface StatementStats {
  /** Statements sent since the database was opened. */
  total: number;
  /** Statements per tag name. */
  byName: Map<string, number>;
}

export interface Database extends Queryable {
  readonly kind: 'pglite' | 'postgres';
  readonly stats: StatementStats;
  /** Runs `work` in one transaction; statements inside are counted like any other. */
  transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T>;
  /** Runs a script of several statements without parameters (migrations only). */
  exec(name: string, script: string): Promise<void>;
  /** Closes the connections; closing again does nothing. */
  close(): Promise<void>;
}

/** Runs `close` once, whoever asks and however often. */
function once(close: () => Promise<void>): () => Promise<void> {
  let closing: Promise<void> | undefined;
  return () => (closing ??= close());
}

export interface DatabaseOptions {
  /** postgres:// URL of a server; when absent the embedded PGlite is used. */
  url?: string;
  /** Folder of the embedded database; absent means in memory (tests). */
  dataDir?: string;
  /** Pool size for a server. */
  maxConnections?: number;
}

const DATE_OID = 1082;
const NUMERIC_OID = 1700;
const INT8_OID = 20;

const TAG_NAME = /^[a-z][a-zA-Z0-9_.-]*$/;

function tagged(name: string, sql: string): string {
  if (!TAG_NAME.test(name)) throw new Error(`Invalid statement name: ${name}`);
  return `/* ${name} */ ${sql}`;
}

function countingStats(): StatementStats & { count(name: string): void } {
  const stats = {
    total: 0,
    byName: new Map<string, number>(),
    count(name: string) {
      stats.total += 1;
      stats.byName.set(name, (stats.byName.get(name) ?? 0) + 1);
    },
  };
  return stats;
}

/**
 * Both drivers return the same JavaScript values: calendar dates stay 'YYYY-MM-DD' strings (a Date
 * object would shift them by the process's time zone), numerics stay exact decimal strings, and
 * bigint counts become numbers.
 */
const identity = (value: string) => value;
const toNumber = (value: string) => Number(value);

export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  return options.url ? openPostgres(options.url, options.maxConnections ?? 10) : openPglite(options.dataDir);
}

async function openPglite(dataDir: string | undefined): Promise<Database> {
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  const pg = new PGlite(dataDir);
  await pg.waitReady;
  // Given per query: PGlite 0.5 drops parsers passed to its constructor.
  const parsers = { [pgliteTypes.DATE]: identity, [pgliteTypes.NUMERIC]: identity, [pgliteTypes.INT8]: toNumber };
  const stats = countingStats();
  const run = async <Row>(
    target: Pick<PGlite, 'query'>,
    name: string,
    sql: string,
    params: readonly unknown[] = [],
  ): Promise<Row[]> => {
    stats.count(name);
    const result = await target.query<Row>(tagged(name, sql), params as unknown[], { parsers });
    return result.rows;
  };
  return {
    kind: 'pglite',
    stats,
    query: (name, sql, params) => run(pg, name, sql, params),
    transaction: (work) => pg.transaction((tx) => work({ query: (name, sql, params) => run(tx, name, sql, params) })),
    async exec(name, script) {
      stats.count(name);
      await pg.exec(tagged(name, script));
    },
    close: once(() => pg.close()),
  };
}

async function openPostgres(url: string, maxConnections: number): Promise<Database> {
  const pool = new Pool({
    connectionString: url,
    max: maxConnections,
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
        if (oid === DATE_OID || oid === NUMERIC_OID) return identity;
        if (oid === INT8_OID) return toNumber;
        return pgTypes.getTypeParser(oid, format);
      }) as typeof pgTypes.getTypeParser,
    },
  });
  // An idle client that loses its server must not crash the process; the next query reconnects.
  pool.on('error', () => undefined);
  const stats = countingStats();
  const run = async <Row>(
    target: Pool | PoolClient,
    name: string,
    sql: string,
    params: readonly unknown[] = [],
  ): Promise<Row[]> => {
    stats.count(name);
    const result = await target.query(tagged(name, sql), params as unknown[]);
    return result.rows as Row[];
  };
  // Fail at start, not at the first request, when the server is unreachable.
  await run(pool, 'db.ping', 'select 1');
  return {
    kind: 'postgres',
    stats,
    query: (name, sql, params) => run(pool, name, sql, params),
    async transaction(work) {
      const client = await pool.connect();
      try {
        await client.query('begin');
        const result = await work({ query: (name, sql, params) => run(client, name, sql, params) });
        await client.query('commit');
        return result;
      } catch (error) {
        await client.query('rollback').catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    },
    async exec(name, script) {
      stats.count(name);
      await pool.query(tagged(name, script));
    },
    close: once(() => pool.end()),
  };
}
