import { openDatabase, type Database } from './database';
import { migrate, splitStatements } from './migrate';
import { DATABASE_TARGETS } from '../testing/subgraph-test-app';

/**
 * The database layer on the embedded PGlite, and on a PostgreSQL server as well when
 * TEST_DATABASE_URL names one (CI starts one): the same code must behave the same on both.
 */
describe.each(DATABASE_TARGETS)('database on %s', (_kind, serverUrl) => {
  let db: Database;
  beforeAll(async () => {
    db = await openDatabase({ url: serverUrl });
    await db.exec('test.reset', 'drop table if exists schema_migrations; drop table if exists db_spec_items');
  });
  afterAll(() => db.close());

  const migrations = [
    { version: 1, name: 'items', sql: 'create table db_spec_items (id int primary key, day date, price numeric(12,2), big bigint);' },
    { version: 2, name: 'index', sql: 'create index db_spec_items_day on db_spec_items (day);\ncomment on table db_spec_items is \'spec\';' },
  ];

  it('applies migrations once, in order, and records them', async () => {
    expect(await migrate(db, migrations)).toEqual([1, 2]);
    expect(await migrate(db, migrations)).toEqual([]);
    const rows = await db.query<{ version: number }>('test.versions', 'select version from schema_migrations order by version');
    expect(rows.map((row) => row.version)).toEqual([1, 2]);
  });

  it('refuses migrations whose versions do not increase', async () => {
    await expect(migrate(db, [migrations[1], migrations[0]])).rejects.toThrow(/increase/);
  });

  it('returns dates as YYYY-MM-DD strings, numerics exact, bigints as numbers', async () => {
    await db.query('test.insert', 'insert into db_spec_items values ($1, $2, $3, $4)', [1, '2024-02-29', '1400.10', 42]);
    const [row] = await db.query('test.read', 'select day, price, big from db_spec_items where id = $1', [1]);
    expect(row).toEqual({ day: '2024-02-29', price: '1400.10', big: 42 });
  });

  it('counts statements by name, inside transactions too', async () => {
    const before = db.stats.total;
    const beforeNamed = db.stats.byName.get('test.count') ?? 0;
    await db.query('test.count', 'select 1');
    await db.transaction(async (tx) => {
      await tx.query('test.count', 'select 2');
    });
    expect(db.stats.total - before).toBe(2);
    expect((db.stats.byName.get('test.count') ?? 0) - beforeNamed).toBe(2);
  });

  it('rolls a failed transaction back entirely', async () => {
    await expect(
      db.transaction(async (tx) => {
        await tx.query('test.insert', 'insert into db_spec_items values ($1, $2, $3, $4)', [2, '2024-01-01', '1', 1]);
        await tx.query('test.fail', 'insert into db_spec_items values ($1, $2, $3, $4)', [2, '2024-01-01', '1', 1]);
      }),
    ).rejects.toThrow();
    expect(await db.query('test.read', 'select id from db_spec_items where id = 2')).toEqual([]);
  });

  it('rejects a statement name that could break out of the tag comment', async () => {
    await expect(db.query('x */ drop table db_spec_items; /*', 'select 1')).rejects.toThrow(/statement name/);
  });
});

describe('splitStatements', () => {
  it('splits a script at semicolons that end a line', () => {
    expect(splitStatements('create table a (x int);\n  create index b on a (x);\n')).toEqual(['create table a (x int)', 'create index b on a (x)']);
  });
});
