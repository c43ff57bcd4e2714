import type { Database } from './database';

/** One versioned schema change of a subgraph's own database. Versions only ever grow. */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/** Arbitrary but fixed key: several processes starting against one server apply migrations one at a time. */
const MIGRATION_LOCK_KEY = 7_305_116;

/**
 * Applies, in order and each in its own transaction, the migrations the database has not seen yet.
 * Returns the versions applied now.
 */
export async function migrate(db: Database, migrations: readonly Migration[]): Promise<number[]> {
  assertWellFormed(migrations);
  await db.exec(
    'migrations.ensureTable',
    `create table if not exists schema_migrations (
       version integer primary key,
       name text not null,
       applied_at timestamptz not null default now()
     )`,
  );
  const applied: number[] = [];
  for (const migration of migrations) {
    const done = await db.transaction(async (tx) => {
      if (db.kind === 'postgres') {
        await tx.query('migrations.lock', 'select pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
      }
      const seen = await tx.query('migrations.seen', 'select 1 from schema_migrations where version = $1', [
        migration.version,
      ]);
      if (seen.length > 0) return false;
      for (const statement of splitStatements(migration.sql)) {
        await tx.query(`migrations.v${migration.version}`, statement);
      }
      await tx.query('migrations.record', 'insert into schema_migrations (version, name) values ($1, $2)', [
        migration.version,
        migration.name,
      ]);
      return true;
    });
    if (done) applied.push(migration.version);
  }
  return applied;
}

function assertWellFormed(migrations: readonly Migration[]): void {
  migrations.forEach((migration, index) => {
    if (index > 0 && migration.version <= migrations[index - 1].version) {
      throw new Error(`Migration versions must increase: ${migration.version} after ${migrations[index - 1].version}`);
    }
  });
}

/**
 * Migrations are written as plain statements separated by semicolons at the end of a line; no
 * function bodies, so this split is enough and keeps each statement parameter-free and tagged.
 */
export function splitStatements(script: string): string[] {
  return script
    .split(/;\s*$/m)
    .map((statement) => statement.trim())
    .filter((statement) => statement.length > 0);
}
