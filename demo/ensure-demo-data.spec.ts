import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { personsSubgraph } from '../subgraphs/persons/app';
import { openDatabase } from '../platform/db/database';
import { migrate } from '../platform/db/migrate';
import { freshServerDatabase, TEST_SERVER_URL } from '../platform/testing/subgraph-test-app';
import { ensureDemoData } from './ensure-demo-data';

describe('demo data on an embedded database kept on disk', () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'dmx-demo-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));
  const options = { persons: 25, seed: 'restart', referenceDate: '2026-11-01', log: () => undefined };
  const countPersons = async (db: Awaited<ReturnType<typeof openDatabase>>) =>
    (await db.query<{ n: number }>('test.count', 'select count(*)::int as n from persons'))[0].n;

  it('is seeded on the first start and survives a restart, reused rather than seeded again', async () => {
    const first = await openDatabase({ dataDir });
    expect(await migrate(first, personsSubgraph.migrations)).toEqual(personsSubgraph.migrations.map((migration) => migration.version));
    expect(await ensureDemoData(first, personsSubgraph, options)).toBe('seeded');
    expect(await countPersons(first)).toBe(25);
    // The planner has statistics on the seeded rows (PGlite gathers none by itself).
    const [analyzed] = await first.query<{ n: number }>('test.stats', "select count(*)::int as n from pg_stats where tablename = 'persons'");
    expect(analyzed.n).toBeGreaterThan(0);
    await first.close();

    const second = await openDatabase({ dataDir });
    expect(await migrate(second, personsSubgraph.migrations)).toEqual([]);
    expect(await ensureDemoData(second, personsSubgraph, { ...options, persons: 99 })).toBe('reused');
    expect(await countPersons(second)).toBe(25);
    await second.close();
  });

  it('leaves nothing behind when seeding fails half-way', async () => {
    const db = await openDatabase({});
    await migrate(db, personsSubgraph.migrations);
    let batches = 0;
    const failing = {
      name: personsSubgraph.name,
      seedDemoData: async (...args: Parameters<NonNullable<typeof personsSubgraph.seedDemoData>>) => {
        batches += 1;
        if (batches === 2) throw new Error('disk full');
        return personsSubgraph.seedDemoData!(...args);
      },
    };
    await expect(ensureDemoData(db, failing, { ...options, batchSize: 10 })).rejects.toThrow('disk full');
    expect(await countPersons(db)).toBe(0);
    expect(await ensureDemoData(db, personsSubgraph, options)).toBe('seeded');
    expect(await countPersons(db)).toBe(25);
    await db.close();
  });
});

const onServer = TEST_SERVER_URL ? describe : describe.skip;

onServer('demo data seeded by two processes of a registry starting at once on one server', () => {
  it('is seeded by one of them; the other finds it, and every person is there once', async () => {
    const database = await freshServerDatabase(TEST_SERVER_URL!, 'demo_race');
    const [first, second] = [await openDatabase({ url: database.url }), await openDatabase({ url: database.url })];
    try {
      await migrate(first, personsSubgraph.migrations);
      const options = { persons: 40, seed: 'race', referenceDate: '2026-11-01', log: () => undefined };
      const outcomes = await Promise.all([ensureDemoData(first, personsSubgraph, options), ensureDemoData(second, personsSubgraph, options)]);
      expect(outcomes.sort()).toEqual(['reused', 'seeded']);
      const [{ n }] = await first.query<{ n: number }>('test.count', 'select count(*)::int as n from persons');
      expect(n).toBe(40);
    } finally {
      await first.close();
      await second.close();
      await database.drop();
    }
  });
});
