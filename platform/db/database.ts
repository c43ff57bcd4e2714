import { PGlite, parse as pgliteParse, protocol, types as pgliteTypes } from '@electric-sql/pglite';
import { Pool, types as pgTypes, type PoolClient } from 'pg';
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';

/**
 * The one door to SQL. Stores call `query(name, sql, params)`: the name becomes a leading
 * `/* name *\/` tag (visible in pg_stat_statements and server logs) and is counted, so a test or
 * a benchmark can tell how many statements a request cost.
 */
export interface Queryable {
  query<Row = Record<string, unknown>>(name: string, sql: string, params?: readonly unknown[]): Promise<Row[]>;
}

/**
 * One count per `query` or `exec` call, under the store's tag name. Preparing a statement (its first
 * use, or again after a schema change) is protocol work on the way to that call, not a statement the
 * store asked for, so it is not counted.
 */
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
  /**
   * The version of the data: it changes after each write is committed (a statement that is not a
   * read, a transaction holding one, a script) and at each opening, when the code reading the data
   * may have changed; it is never the version of data not yet visible. Read before an answer is
   * worked out, it tells a reader whether that answer may have changed since (the gateway's read
   * cache, gateway/subgraph-fetch/read-cache.ts).
   */
  dataVersion(): Promise<string>;
  /**
   * Statements on the registry's bookkeeping, outside transactions: their writes make no new data
   * version. For tables that no answer kept by the gateway reads: the replay nonces (no answer reads
   * them) and data an answer is only worked out from when it is marked not to be kept (the permits
   * registry's presence status, whose answers go with `Cache-Control: no-store`).
   */
  bookkeeping: Queryable;
  /** A server's connection pool, for the metrics: connections in use, idle, and requests waiting for one. */
  connections?(): { used: number; idle: number; waiting: number };
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
  /** PostgreSQL settings the embedded PGlite starts with (`-c name=value`); ignored on a server. */
  pgliteSettings?: PgliteSettings;
}

/** PostgreSQL run-time settings by name, e.g. `{ shared_buffers: '16MB' }`. */
export type PgliteSettings = Readonly<Record<string, string>>;

const SETTING_NAME = /^[a-z][a-z0-9_]*$/;

const DATE_OID = 1082;
const NUMERIC_OID = 1700;
const INT8_OID = 20;

const TAG_NAME = /^[a-z][a-zA-Z0-9_.-]*$/;

/**
 * Statements that change nothing; any other counts as a write, to be safe: `explain analyze` (which
 * runs its statement), `select ... into`, and a `with` query naming insert, update, delete, merge or
 * into anywhere (a data-modifying part, or a row lock, which changes nothing but is taken for a write).
 * A select calling a function that writes is not seen (no store does). Only the writes made through a
 * Database are counted: a registry's data is written by the registry alone.
 */
const READ_ONLY = /^\s*(select|values|show|explain|with)\b/i;
const WRITES_ANYWAY = /^\s*explain\s*(\(\s*)?analy[sz]e\b|^\s*select\b[\s\S]*\binto\b|^\s*with\b[\s\S]*\b(insert|update|delete|merge|into)\b/i;

export function isWrite(sql: string): boolean {
  return !READ_ONLY.test(sql) || WRITES_ANYWAY.test(sql);
}

function tagged(name: string, sql: string): string {
  if (!TAG_NAME.test(name)) throw new Error(`Invalid statement name: ${name}`);
  return `/* ${name} */ ${sql}`;
}

/**
 * Outside transactions, each distinct SQL text becomes a named prepared statement on first use and is
 * then only bound and executed: no parsing or planning again. The texts are fixed per store (a few
 * dozen), so a text beyond this many is one built at run time, which would likely never repeat: it
 * takes the plain path instead of growing the cache without end.
 */
export const MAX_PREPARED_STATEMENTS = 1000;

/**
 * SQLSTATE 0A000: the server refuses a prepared statement whose result columns changed since it was
 * prepared ("cached plan must not change result type": a `select *` after `alter table ... add column`),
 * and keeps refusing it. Preparing the text again answers with the new columns.
 */
const FEATURE_NOT_SUPPORTED = '0A000';
const UNIQUE_VIOLATION = '23505';
const DUPLICATE_TABLE = '42P07';

function sqlState(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null ? (error as { code?: string }).code : undefined;
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
  return options.url ? openPostgres(options.url, options.maxConnections ?? 10) : openPglite(options.dataDir, options.pgliteSettings ?? {});
}

interface PreparedStatement {
  name: string;
  /** Type OIDs the server chose for $1, $2, ...: they pick each value's serializer. */
  parameterTypes: number[];
}

/** Several protocol messages sent as one buffer: one call into PGlite's WASM instead of one each. */
function oneBuffer(messages: Uint8Array[]): Uint8Array {
  const buffer = new Uint8Array(messages.reduce((length, message) => length + message.length, 0));
  let offset = 0;
  for (const message of messages) {
    buffer.set(message, offset);
    offset += message.length;
  }
  return buffer;
}

async function openPglite(dataDir: string | undefined, settings: PgliteSettings): Promise<Database> {
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  // On the command line, after PGlite's own: the data folder's postgresql.conf stays as initdb wrote it.
  const startParams = Object.entries(settings).flatMap(([name, value]) => {
    if (!SETTING_NAME.test(name)) throw new Error(`Invalid PostgreSQL setting name: ${name}`);
    return ['-c', `${name}=${value}`];
  });
  const pg = new PGlite(dataDir, startParams.length > 0 ? { startParams: [...PGlite.defaultStartParams, ...startParams] } : {});
  await pg.waitReady;
  // Dates and numerics as text, bigints as numbers, as on PostgreSQL (openPostgres): set in the
  // database's own table of parsers once, not given per query: PGlite's parseResults copies that
  // whole table (about 320 parsers) into a new object on every call given parsers of its own.
  Object.assign(pg.parsers, { [pgliteTypes.DATE]: identity, [pgliteTypes.NUMERIC]: identity, [pgliteTypes.INT8]: toNumber });
  const stats = countingStats();
  const { serialize } = protocol;
  // One process holds an embedded database, so its writes are all seen here: counted, under a name
  // of this opening (a restart may bring other code, and the count starts again).
  const opening = randomBytes(8).toString('hex');
  let writes = 0;

  const plain = async <Row>(target: Pick<PGlite, 'query'>, text: string, params: readonly unknown[]): Promise<Row[]> => {
    const result = await target.query<Row>(text, params as unknown[]);
    return result.rows;
  };

  const prepared = new Map<string, PreparedStatement>();
  let statementsNamed = 0;

  /**
   * Parses and describes `text` under a new name, closing the statement it replaces in the same call.
   * A failure throws before the map learns the text, so the next call tries to prepare it again.
   */
  const prepare = async (text: string, replaced?: PreparedStatement): Promise<PreparedStatement> => {
    prepared.delete(text);
    const name = `dmx_${(statementsNamed += 1)}`;
    const closing = replaced ? [serialize.close({ type: 'S', name: replaced.name })] : [];
    // The sync in the same call ends the exchange, error or not, so PGlite is ready for the next one.
    // A parse writes no data, hence no sync to the file system.
    const { messages } = await pg.execProtocol(
      oneBuffer([...closing, serialize.parse({ name, text }), serialize.describe({ type: 'S', name }), serialize.sync()]),
      { syncToFs: false },
    );
    const statement = { name, parameterTypes: pgliteParse.parseDescribeStatementResults(messages) };
    prepared.set(text, statement);
    return statement;
  };

  const execute = async <Row>(statement: PreparedStatement, params: readonly unknown[]): Promise<Row[]> => {
    // Values become text as PGlite's own query makes them, so the server sees the same input.
    const values = params.map((value, index) => {
      if (value === null || value === undefined) return null;
      const serializer = pg.serializers[statement.parameterTypes[index]];
      return serializer ? serializer(value) : String(value);
    });
    // Errors are thrown (throwOnError), the sync still reaching the backend first. syncToFs as PGlite's
    // query does after each statement outside a transaction: a no-op on NodeFS, which writes through,
    // but it keeps the durability of file systems that flush on request (IndexedDB, OPFS).
    const { messages } = await pg.execProtocol(
      oneBuffer([
        serialize.bind({ statement: statement.name, values }),
        serialize.describe({ type: 'P' }),
        serialize.execute({}),
        serialize.sync(),
      ]),
      { syncToFs: true },
    );
    return pgliteParse.parseResults(messages, pg.parsers)[0].rows as Row[];
  };

  /** Undefined when the text is new and the cache is full: the caller takes the plain path. */
  const runPrepared = async <Row>(text: string, params: readonly unknown[]): Promise<Row[] | undefined> => {
    let statement = prepared.get(text);
    if (!statement) {
      if (prepared.size >= MAX_PREPARED_STATEMENTS) return undefined;
      statement = await prepare(text);
    }
    try {
      return await execute<Row>(statement, params);
    } catch (error) {
      if (sqlState(error) !== FEATURE_NOT_SUPPORTED) throw error;
      // Once only: a second refusal is a real one.
      return execute<Row>(await prepare(text, statement), params);
    }
  };

  /** A statement outside a transaction, its write not counted (bookkeeping). */
  const run = async <Row>(name: string, sql: string, params: readonly unknown[] = []): Promise<Row[]> => {
    stats.count(name);
    const text = tagged(name, sql);
    await pg._checkReady();
    // PGlite does not serialize execProtocol calls: take the two locks its query takes, in its order.
    // The query lock alone would let this statement run inside another caller's open transaction.
    const rows = await pg
      ._runExclusiveTransaction(() => pg.runExclusive(() => runPrepared<Row>(text, params)))
      .catch((error: unknown) => {
        // The same context PGlite's query adds to its errors.
        if (sqlState(error) !== undefined) Object.assign(error as object, { query: text, params });
        throw error;
      });
    return rows ?? (await plain<Row>(pg, text, params));
  };
  const query = async <Row>(name: string, sql: string, params: readonly unknown[] = []): Promise<Row[]> => {
    const answer = await run<Row>(name, sql, params);
    // In process, a statement that fails has committed nothing.
    if (isWrite(sql)) writes += 1;
    return answer;
  };

  return {
    kind: 'pglite',
    stats,
    query,
    bookkeeping: { query: run },
    // A transaction holds PGlite's transaction lock for its whole length, which the prepared path waits
    // for: its statements take the plain path.
    async transaction(work) {
      let wrote = false;
      const result = await pg.transaction((tx) =>
        work({
          query: (name, sql, params = []) => {
            stats.count(name);
            wrote ||= isWrite(sql);
            return plain(tx, tagged(name, sql), params);
          },
        }),
      );
      if (wrote) writes += 1;
      return result;
    },
    async exec(name, script) {
      stats.count(name);
      await pg.exec(tagged(name, script));
      writes += 1;
    },
    dataVersion: async () => `${opening}.${writes}`,
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

  /**
   * Statement names by text. pg prepares a named statement once per connection and refuses one name for
   * two texts, so the name is a hash of the text. After a refusal (0A000) the text moves to a fresh name,
   * the stale one staying unused on its connections; a text refused again and again is not meeting
   * schema changes, so after a few renames it goes unnamed rather than leave more stale statements.
   */
  const statementNames = new Map<string, { name: string | undefined; renames: number }>();
  const maxRenames = 5;
  const hash = (text: string) => createHash('sha256').update(text).digest('hex').slice(0, 32);
  const statementName = (text: string): string | undefined => {
    let known = statementNames.get(text);
    if (!known) {
      if (statementNames.size >= MAX_PREPARED_STATEMENTS) return undefined;
      known = { name: `dmx_${hash(text)}_0`, renames: 0 };
      statementNames.set(text, known);
    }
    return known.name;
  };
  const renameAfterRefusal = (text: string, refused: string) => {
    const known = statementNames.get(text);
    // Concurrent refusals of the same name move the text on once.
    if (!known || known.name !== refused) return;
    known.renames += 1;
    known.name = known.renames <= maxRenames ? `dmx_${hash(text)}_${known.renames}` : undefined;
  };

  /** An unnamed statement when the text has no name (beyond the bound): pg then neither keeps nor reuses it. */
  const query = async <Row>(name: string, sql: string, params: readonly unknown[] = []): Promise<Row[]> => {
    stats.count(name);
    const text = tagged(name, sql);
    const values = params as unknown[];
    const statement = statementName(text);
    try {
      return (await pool.query({ name: statement, text, values })).rows as Row[];
    } catch (error) {
      if (statement === undefined || sqlState(error) !== FEATURE_NOT_SUPPORTED) throw error;
      // Once only: a second refusal is a real one.
      renameAfterRefusal(text, statement);
      return (await pool.query({ name: statementName(text), text, values })).rows as Row[];
    }
  };
  // Transactions stay on unnamed statements: a refusal there aborts the transaction, so the retry above
  // could not happen inside one.
  const plain = async <Row>(client: PoolClient, name: string, sql: string, params: readonly unknown[] = []): Promise<Row[]> => {
    stats.count(name);
    const result = await client.query(tagged(name, sql), params as unknown[]);
    return result.rows as Row[];
  };
  // Fail at start, not at the first request, when the server is unreachable.
  await query('db.ping', 'select 1');

  // Several processes may write one database on a server: the version is a sequence there, drawn
  // after each write commits (drawn before, a reader could take the new version with the old data).
  await query('db.version', 'create sequence if not exists dmx_data_version').catch((error: unknown) => {
    // Two processes creating it at once: one of them is refused, and the sequence is there.
    if (sqlState(error) !== UNIQUE_VIOLATION && sqlState(error) !== DUPLICATE_TABLE) throw error;
  });
  const draw = async () => {
    await query('db.version', "select nextval('dmx_data_version')");
  };
  // A write that may have been committed (a failed one too: a commit can be lost on its way back) is
  // followed by a draw. A draw that fails leaves no version to give until one succeeds: the write
  // stands, and dataVersion refuses (the gateway then keeps nothing and gives nothing kept).
  let undrawn = false;
  const wrote = async () => {
    try {
      await draw();
      undrawn = false;
    } catch {
      undrawn = true;
    }
  };
  await draw();
  return {
    kind: 'postgres',
    stats,
    bookkeeping: { query },
    async query<Row>(name: string, sql: string, params?: readonly unknown[]) {
      try {
        return await query<Row>(name, sql, params);
      } finally {
        if (isWrite(sql)) await wrote();
      }
    },
    async transaction(work) {
      const client = await pool.connect();
      let writes = false;
      try {
        await client.query('begin');
        const result = await work({
          query: (name, sql, params) => {
            writes ||= isWrite(sql);
            return plain(client, name, sql, params);
          },
        });
        await client.query('commit');
        return result;
      } catch (error) {
        await client.query('rollback').catch(() => undefined);
        throw error;
      } finally {
        client.release();
        if (writes) await wrote();
      }
    },
    async exec(name, script) {
      stats.count(name);
      try {
        await pool.query(tagged(name, script));
      } finally {
        await wrote();
      }
    },
    async dataVersion() {
      if (undrawn) {
        await draw();
        undrawn = false;
      }
      const [row] = await query<{ last_value: number }>('db.version', 'select last_value from dmx_data_version');
      return String(row.last_value);
    },
    connections: () => ({ used: pool.totalCount - pool.idleCount, idle: pool.idleCount, waiting: pool.waitingCount }),
    close: once(() => pool.end()),
  };
}
