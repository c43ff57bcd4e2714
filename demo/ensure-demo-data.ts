import type { Database } from '../platform/db/database';
import type { SubgraphDefinition } from '../platform/server/subgraph-definition';
import { demoRules } from './demo-rules';
import { demoHistory, type DemoHistory } from './world';

export interface DemoDataOptions {
  persons: number;
  seed: string;
  /** The day the demo world is generated up to. */
  referenceDate: string;
  log: (message: string) => void;
  /** Histories per insert statement batch. */
  batchSize?: number;
}

/**
 * Seeds the subgraph's slice of the demo world on first start, in one transaction with a marker row,
 * so a crash half-way leaves nothing behind and a later start simply reuses what is there.
 */
/** The advisory lock seeding holds (any fixed number, apart from the migrations' own). */
const DEMO_DATA_LOCK_KEY = 7_312_004;

export async function ensureDemoData<S>(
  db: Database,
  definition: Pick<SubgraphDefinition<S>, 'name' | 'seedDemoData'>,
  options: DemoDataOptions,
): Promise<'seeded' | 'reused' | 'skipped'> {
  // Under the seeding lock: `create table if not exists` run by two processes at once can still collide.
  await db.transaction(async (tx) => {
    await tx.query('demoData.lock', 'select pg_advisory_xact_lock($1)', [DEMO_DATA_LOCK_KEY]);
    await tx.query(
      'demoData.ensureTable',
      `create table if not exists demo_data (
       seed text not null,
       persons integer not null,
       reference_date date not null,
       seeded_at timestamptz not null default now()
     )`,
    );
  });
  const [existing] = await db.query<{ seed: string; persons: number; referenceDate: string }>(
    'demoData.marker',
    `select seed, persons, reference_date as "referenceDate" from demo_data limit 1`,
  );
  if (existing) {
    options.log(`demo data reused: ${existing.persons} persons, seed ${existing.seed}, as of ${existing.referenceDate}`);
    return 'reused';
  }
  // A subgraph with no slice of the demo world (the audit log starts empty) has nothing to seed.
  if (options.persons === 0 || !definition.seedDemoData) return 'skipped';
  const seed = definition.seedDemoData.bind(definition);

  const started = Date.now();
  const batchSize = options.batchSize ?? 2000;
  const seeded = await db.transaction(async (tx) => {
    // Several processes of a registry may start at once on one server: one seeds, the others find its
    // marker once its transaction has committed.
    await tx.query('demoData.lock', 'select pg_advisory_xact_lock($1)', [DEMO_DATA_LOCK_KEY]);
    const [marked] = await tx.query('demoData.markerLocked', 'select 1 from demo_data limit 1');
    if (marked) return false;
    for (let first = 0; first < options.persons; first += batchSize) {
      const histories: DemoHistory[] = [];
      for (let index = first; index < Math.min(first + batchSize, options.persons); index += 1) {
        histories.push(demoHistory(options.seed, index, options.referenceDate, demoRules));
      }
      await seed(tx, histories);
    }
    await tx.query('demoData.mark', `insert into demo_data (seed, persons, reference_date) values ($1, $2, $3)`, [
      options.seed,
      options.persons,
      options.referenceDate,
    ]);
    return true;
  });
  if (!seeded) {
    options.log('demo data reused: another process seeded it meanwhile');
    return 'reused';
  }
  // Statistics for the planner on the new rows: without them it guesses row counts (PGlite never
  // gathers them itself, having no autovacuum) and picks plans for the wrong sizes.
  await db.exec('demoData.analyze', 'analyze');
  options.log(`${definition.name}: demo data seeded, ${options.persons} persons in ${Date.now() - started} ms`);
  return 'seeded';
}
