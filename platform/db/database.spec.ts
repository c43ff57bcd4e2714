import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { isWrite, MAX_PREPARED_STATEMENTS, openDatabase, type Database } from './database';
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
    await db.exec(
      'test.reset',
      'drop table if exists schema_migrations; drop table if exists db_spec_items; drop table if exists db_spec_kinds; drop table if exists db_spec_ddl; drop table if exists db_spec_late',
    );
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

  it('gives a data version that changes after each committed write, and not after reads', async () => {
    const insert = 'insert into db_spec_items values ($1, $2, $3, $4)';
    const start = await db.dataVersion();
    await db.query('test.read', 'select id from db_spec_items');
    await db.transaction((tx) => tx.query('test.read', 'select id from db_spec_items'));
    expect(await db.dataVersion()).toBe(start);

    await db.query('test.insert', insert, [100, '2024-01-01', '1', 1]);
    const afterInsert = await db.dataVersion();
    expect(afterInsert).not.toBe(start);
    await db.transaction(async (tx) => {
      await tx.query('test.read', 'select id from db_spec_items where id = $1', [100]);
      await tx.query('test.update', 'update db_spec_items set big = big + 1 where id = $1', [100]);
    });
    const afterTransaction = await db.dataVersion();
    expect(afterTransaction).not.toBe(afterInsert);
    await expect(
      db.transaction(async (tx) => {
        await tx.query('test.insert', insert, [101, '2024-01-01', '1', 1]);
        throw new Error('changed my mind');
      }),
    ).rejects.toThrow('changed my mind');
    // In process, a write rolled back leaves the version. On a server, where the answer to a commit can
    // be lost on its way, a failed write moves it too: a version too many costs nothing kept, one too few
    // would give kept answers from before the write.
    const afterRollback = await db.dataVersion();
    if (serverUrl) expect(afterRollback).not.toBe(afterTransaction);
    else expect(afterRollback).toBe(afterTransaction);
    await db.query('test.delete', 'delete from db_spec_items where id = $1', [100]);
    const afterDelete = await db.dataVersion();
    expect(afterDelete).not.toBe(afterRollback);
    await db.exec('test.script', 'update db_spec_items set big = big where false');
    expect(await db.dataVersion()).not.toBe(afterDelete);
  });

  it('makes no new data version for writes of bookkeeping, and counts them as statements', async () => {
    const before = await db.dataVersion();
    const counted = db.stats.byName.get('test.bookkeeping') ?? 0;
    await db.bookkeeping.query('test.bookkeeping', 'insert into db_spec_items values ($1, $2, $3, $4)', [200, '2024-01-01', '1', 1]);
    await db.bookkeeping.query('test.bookkeeping', 'update db_spec_items set big = big + 1 where id = $1', [200]);
    expect(await db.bookkeeping.query('test.bookkeeping', 'select big from db_spec_items where id = $1', [200])).toEqual([{ big: 2 }]);
    expect(await db.dataVersion()).toBe(before);
    expect((db.stats.byName.get('test.bookkeeping') ?? 0) - counted).toBe(3);
    // The same write through the versioned door moves it.
    await db.query('test.update', 'update db_spec_items set big = big + 1 where id = $1', [200]);
    expect(await db.dataVersion()).not.toBe(before);
  });

  (serverUrl ? it : it.skip)('on a server, gives no version after a write whose version could not be drawn, until one is', async () => {
    const own = await openDatabase({ url: serverUrl });
    try {
      await own.exec('test.unversion', 'drop sequence dmx_data_version');
      // The write stands; what it changed cannot be told apart from before, so no version is given.
      await own.query('test.insert', 'insert into db_spec_items values ($1, $2, $3, $4)', [102, '2024-01-01', '1', 1]);
      await expect(own.dataVersion()).rejects.toThrow();
      expect(await own.query('test.read', 'select id from db_spec_items where id = $1', [102])).toEqual([{ id: 102 }]);
      await own.exec('test.reversion', 'create sequence dmx_data_version start 1000');
      expect(Number(await own.dataVersion())).toBeGreaterThanOrEqual(1000);
    } finally {
      await own.close();
    }
  });

  it('gives a data version of its own to each opening, as code reading the data may have changed', async () => {
    const before = await db.dataVersion();
    const again = await openDatabase({ url: serverUrl });
    try {
      expect(await again.dataVersion()).not.toBe(before);
      // On a server, every process sees the version of the others' writes and openings.
      if (serverUrl) expect(await db.dataVersion()).toBe(await again.dataVersion());
    } finally {
      await again.close();
    }
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

  /** Named statements prepared in this session; on a server, one connection's (the pool has one). */
  const preparedCount = async (on: Database) =>
    (await on.query<{ n: number }>('test.prepared', 'select count(*) as n from pg_prepared_statements'))[0].n;

  /** A database of its own with one connection, so pg_prepared_statements speaks for all its statements. */
  async function withOwnDatabase(work: (own: Database) => Promise<void>): Promise<void> {
    const own = await openDatabase({ url: serverUrl, maxConnections: 1 });
    try {
      await work(own);
    } finally {
      await own.close();
    }
  }

  describe('prepared statements', () => {
    const alice = '6f1c2f9e-8a3b-4c1d-9e2f-0a1b2c3d4e5f';
    const bob = '0d5e6f70-1a2b-4c3d-8e9f-a0b1c2d3e4f5';
    const insertKind =
      'insert into db_spec_kinds (id, label, active, born, amount, visits, facts, extra, tags) values ($1, $2, $3, $4, $5, $6, $7, $8, $9)';
    const readKinds =
      'select id, label, active, born, amount, visits, facts, extra, tags, visits * 2 as doubled from db_spec_kinds where id = any($1::uuid[]) order by label';

    beforeAll(async () => {
      await db.exec(
        'test.kinds',
        'create table db_spec_kinds (id uuid primary key, label text, active boolean, born date, amount numeric(12,2), visits bigint, facts jsonb, extra json, tags text[])',
      );
      await db.query('test.insertKind', insertKind, [alice, 'Əliyev Ağa — 𝔘nicode ✓', true, '1990-12-31', '0.10', 9007199254740991, { city: 'Bakı', n: [1, 2] }, { list: [1, 'two'] }, ['a', 'b c']]);
      await db.query('test.insertKind', insertKind, [bob, 'Bob', false, null, null, null, null, null, null]);
    });

    it('answer with the same rows as the plain path, for every kind of value', async () => {
      const expected = [
        { id: bob, label: 'Bob', active: false, born: null, amount: null, visits: null, facts: null, extra: null, tags: null, doubled: null },
        {
          id: alice,
          label: 'Əliyev Ağa — 𝔘nicode ✓',
          active: true,
          born: '1990-12-31',
          amount: '0.10',
          visits: 9007199254740991,
          facts: { city: 'Bakı', n: [1, 2] },
          extra: { list: [1, 'two'] },
          tags: ['a', 'b c'],
          doubled: 18014398509481982,
        },
      ];
      // Statements inside a transaction take the plain path: the reference.
      const plain = await db.transaction((tx) => tx.query('test.readKinds', readKinds, [[alice, bob]]));
      expect(plain).toEqual(expected);
      for (let run = 0; run < 3; run += 1) {
        expect(await db.query('test.readKinds', readKinds, [[alice, bob]])).toEqual(expected);
      }
      expect(await db.query('test.readKinds', readKinds, [[]])).toEqual([]);
      expect(await db.query('test.nulls', 'select $1::text as t, $2::int as i, $3::date as d', [null, undefined, null])).toEqual([
        { t: null, i: null, d: null },
      ]);
      expect(await db.query('test.count', 'select count(*) as n, sum(visits) as total from db_spec_kinds')).toEqual([
        { n: 2, total: '9007199254740991' },
      ]);
    });

    it('are prepared once per text, not counted as statements, and reused', async () => {
      // PGlite is one session already; a pool needs a database of its own with one connection.
      await (serverUrl ? withOwnDatabase : (work: (own: Database) => Promise<void>) => work(db))(async (own) => {
        await preparedCount(own);
        const before = await preparedCount(own);
        const statements = own.stats.total;
        for (const n of [1, 2, 3]) {
          expect(await own.query('test.plusOne', 'select $1::int + 1 as n', [n])).toEqual([{ n: n + 1 }]);
        }
        expect(own.stats.total - statements).toBe(3);
        expect(await preparedCount(own)).toBe(before + 1);
      });
    });

    it('reject with the fields of a server error, and the database answers the next statement', async () => {
      const duplicate = await db.query('test.insertKind', insertKind, [alice, 'again', true, null, null, null, null, null, null]).catch((error: unknown) => error);
      expect(duplicate).toMatchObject({ code: '23505', constraint: 'db_spec_kinds_pkey', message: expect.stringMatching(/duplicate key/) });
      const badCast = await db.query('test.cast', 'select $1::int as n', ['not a number']).catch((error: unknown) => error);
      expect(badCast).toMatchObject({ code: '22P02' });
      expect(await db.query('test.cast', 'select $1::int as n', ['7'])).toEqual([{ n: 7 }]);
      expect(await db.query('test.readKinds', readKinds, [[bob]])).toMatchObject([{ id: bob }]);
    });

    it('that fail to prepare are prepared again on the next call', async () => {
      const readLate = 'select id from db_spec_late where id = $1';
      await expect(db.query('test.readLate', readLate, [1])).rejects.toMatchObject({ code: '42P01' });
      await db.exec('test.late', 'create table db_spec_late (id int primary key); insert into db_spec_late values (1)');
      expect(await db.query('test.readLate', readLate, [1])).toEqual([{ id: 1 }]);
    });

    it('answer 200 concurrent calls of several texts, failures included, each with its own rows', async () => {
      const before = db.stats.total;
      const calls = Array.from({ length: 200 }, (_, i) => {
        switch (i % 5) {
          case 0:
            return db.query('test.double', 'select $1::int * 2 as n', [i]).then((rows) => expect(rows).toEqual([{ n: i * 2 }]));
          case 1:
            return db.query('test.shout', "select $1::text || '!' as s", [`ə${i}`]).then((rows) => expect(rows).toEqual([{ s: `ə${i}!` }]));
          case 2:
            return db.query('test.readKinds', readKinds, [[i % 2 ? alice : bob]]).then((rows) => expect(rows).toMatchObject([{ id: i % 2 ? alice : bob }]));
          case 3:
            return expect(db.query('test.cast', 'select $1::int as n', [`x${i}`])).rejects.toMatchObject({ code: '22P02' });
          default:
            return db.transaction((tx) => tx.query('test.inTransaction', 'select $1::int as n', [i])).then((rows) => expect(rows).toEqual([{ n: i }]));
        }
      });
      await Promise.all(calls);
      expect(db.stats.total - before).toBe(200);
    });

    it('keep answering after their table gains a column or an index', async () => {
      await db.exec('test.ddl', "create table db_spec_ddl (id int primary key, label text); insert into db_spec_ddl values (1, 'one')");
      const readAll = 'select * from db_spec_ddl where id = $1';
      const readLabel = 'select label from db_spec_ddl where id = $1';
      for (let run = 0; run < 12; run += 1) {
        expect(await db.query('test.readAll', readAll, [1])).toEqual([{ id: 1, label: 'one' }]);
        expect(await db.query('test.readLabel', readLabel, [1])).toEqual([{ label: 'one' }]);
      }
      await db.exec('test.ddl', "alter table db_spec_ddl add column note text default 'new'");
      const before = db.stats.total;
      for (let run = 0; run < 12; run += 1) {
        expect(await db.query('test.readAll', readAll, [1])).toEqual([{ id: 1, label: 'one', note: 'new' }]);
        expect(await db.query('test.readLabel', readLabel, [1])).toEqual([{ label: 'one' }]);
      }
      // Preparing again after the refusal is not counted.
      expect(db.stats.total - before).toBe(24);
      await db.exec('test.ddl', 'create index db_spec_ddl_label on db_spec_ddl (label)');
      expect(await db.query('test.readAll', readAll, [1])).toEqual([{ id: 1, label: 'one', note: 'new' }]);
      expect(await db.query('test.readLabel', readLabel, [1])).toEqual([{ label: 'one' }]);
    });

    it('outside a transaction are not taken into a transaction in progress', async () => {
      let inserted!: () => void;
      const insideDone = new Promise<void>((resolve) => (inserted = resolve));
      let release!: () => void;
      const released = new Promise<void>((resolve) => (release = resolve));
      const insert = 'insert into db_spec_items values ($1, $2, $3, $4)';
      const transaction = db.transaction(async (tx) => {
        await tx.query('test.insert', insert, [20, '2024-01-01', '1', 1]);
        inserted();
        await released;
        throw new Error('roll back');
      });
      await insideDone;
      const outside = db.query('test.insert', insert, [21, '2024-01-01', '1', 1]);
      release();
      await expect(transaction).rejects.toThrow('roll back');
      await outside;
      const rows = await db.query<{ id: number }>('test.read', 'select id from db_spec_items where id = any($1::int[]) order by id', [[20, 21]]);
      expect(rows).toEqual([{ id: 21 }]);
    });

    it(`keep at most ${MAX_PREPARED_STATEMENTS} texts prepared; later texts still answer`, async () => {
      await withOwnDatabase(async (own) => {
        const texts = MAX_PREPARED_STATEMENTS + 5;
        for (let i = 0; i < texts; i += 1) {
          expect(await own.query('test.distinct', `select ${i} as n, $1::text as t`, ['x'])).toEqual([{ n: i, t: 'x' }]);
        }
        expect(await preparedCount(own)).toBe(MAX_PREPARED_STATEMENTS);
        expect(await own.query('test.distinct', 'select 0 as n, $1::text as t', ['again'])).toEqual([{ n: 0, t: 'again' }]);
      });
    });
  });
});

describe('data version of an embedded database kept in a folder', () => {
  it('differs after the database is opened again', async () => {
    const folder = mkdtempSync(path.join(tmpdir(), 'dmx-version-'));
    try {
      const first = await openDatabase({ dataDir: folder });
      await first.exec('test.table', 'create table kept (id int)');
      const before = await first.dataVersion();
      await first.close();
      const second = await openDatabase({ dataDir: folder });
      expect(await second.dataVersion()).not.toBe(before);
      await second.close();
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});

describe('PostgreSQL settings of an embedded database', () => {
  it('reach the database, in a folder kept as initdb wrote it', async () => {
    const folder = mkdtempSync(path.join(tmpdir(), 'dmx-settings-'));
    try {
      const light = await openDatabase({ dataDir: folder, pgliteSettings: { shared_buffers: '16MB', work_mem: '2MB' } });
      const [shown] = await light.query<{ shared_buffers: string }>('test.show', 'show shared_buffers');
      const [work] = await light.query<{ work_mem: string }>('test.show', 'show work_mem');
      expect([shown.shared_buffers, work.work_mem]).toEqual(['16MB', '2MB']);
      await light.close();
      // Given on the command line, not written into the folder: the next opening without them has PGlite's own.
      const plain = await openDatabase({ dataDir: folder });
      const [again] = await plain.query<{ shared_buffers: string }>('test.show', 'show shared_buffers');
      expect(again.shared_buffers).not.toBe('16MB');
      await plain.close();
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it('refuse a setting name that is not one', async () => {
    await expect(openDatabase({ pgliteSettings: { 'shared_buffers=1MB -c fsync': 'off' } })).rejects.toThrow(/Invalid PostgreSQL setting name/);
  });
});

describe('isWrite', () => {
  it.each([
    ['select 1', false],
    ['  SELECT id from persons for update', false],
    ['values (1)', false],
    ['explain select 1', false],
    ['explain analyze delete from t', true],
    ['EXPLAIN (ANALYZE, BUFFERS) update t set a = 1', true],
    ['select * into t2 from t', true],
    ['insert into t values (1)', true],
    ['update t set a = 1', true],
    ['delete from t', true],
    ['with moved as (delete from t returning *) select * from moved', true],
    ['WITH m AS (UPDATE t SET a = 1 RETURNING a) SELECT count(*) FROM m', true],
    ['with n as (select 1) insert into t select * from n', true],
    ['with n as (select 1) select * into t2 from n', true],
    ['with n as (select 1 as a) merge into t using n on t.a = n.a when matched then do nothing', true],
    ['with locked as (select id from t for update skip locked) select * from locked', true],
    ['with horizon as (select pg_snapshot_xmin(pg_current_snapshot()) as xmin) select * from t, horizon where t.updated_at > now()', false],
    ['with recursive r(n) as (values (1) union all select n + 1 from r where n < 3) select n from r', false],
    ['create table t (id int)', true],
  ])('%s: %s', (sql, expected) => {
    expect(isWrite(sql)).toBe(expected);
  });
});

describe('splitStatements', () => {
  it('splits a script at semicolons that end a line', () => {
    expect(splitStatements('create table a (x int);\n  create index b on a (x);\n')).toEqual(['create table a (x int)', 'create index b on a (x)']);
  });
});
