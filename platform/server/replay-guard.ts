import { SeenNonces, SIGNATURE_WINDOW_SECONDS } from '../../protocol/request-signing';
import type { Database, Queryable } from '../db/database';

/** Whether a signed request's nonce is used for the first time: false for a replay. */
export interface ReplayGuard {
  firstUse(time: number, nonce: string): Promise<boolean>;
  close(): void;
}

/** The nonces one process has seen: enough where one process holds the registry's database (PGlite). */
function processReplayGuard(): ReplayGuard {
  const seen = new SeenNonces();
  return { firstUse: async (time, nonce) => seen.firstUse(time, nonce), close: () => undefined };
}

/** How often the nonces past the signature window are deleted. */
const SWEEP_MS = 60_000;

/**
 * The nonces every process of a registry has seen, in the registry's PostgreSQL database: a replay sent
 * to another process of the same registry is refused too. An unlogged table (a nonce is worth nothing
 * after a crash: the window is a minute), written as bookkeeping, which moves no data version.
 */
async function sharedReplayGuard(db: Queryable): Promise<ReplayGuard> {
  await db
    .query('replay.table', 'create unlogged table if not exists dmx_request_nonces (nonce text primary key, signed_at bigint not null)')
    .catch((error: { code?: string }) => {
      // Two processes creating it at once: one is refused, and the table is there.
      if (error.code !== '23505' && error.code !== '42P07') throw error;
    });
  const sweep = setInterval(() => {
    const before = Math.floor(Date.now() / 1000) - 2 * SIGNATURE_WINDOW_SECONDS;
    void db.query('replay.sweep', 'delete from dmx_request_nonces where signed_at < $1', [before]).catch(() => undefined);
  }, SWEEP_MS);
  sweep.unref();
  return {
    async firstUse(time, nonce) {
      const inserted = await db.query('replay.firstUse', 'insert into dmx_request_nonces (nonce, signed_at) values ($1, $2) on conflict do nothing returning 1 as first', [nonce, time]);
      return inserted.length === 1;
    },
    close: () => clearInterval(sweep),
  };
}

/** The replay guard of a registry on this database: shared by its processes on a server, its own on PGlite. */
export function replayGuardFor(db: Database): Promise<ReplayGuard> {
  return db.kind === 'postgres' ? sharedReplayGuard(db.bookkeeping) : Promise.resolve(processReplayGuard());
}
