import type { Queryable } from '../../platform/db/database';

/** A place in the feed: after the change of this transaction and sequence number. */
export interface FeedPosition {
  xid: string;
  seq: number;
}

export interface StayFactChangeRows {
  personIds: string[];
  /** Where the next page starts. */
  next: FeedPosition;
  /** True when the page reached every change committed when it was read. */
  complete: boolean;
}

/**
 * The feed of persons whose stay facts changed (stay_fact_changes, written by the statements that record
 * crossings). Read in (transaction id, sequence) order and only below the oldest transaction still in
 * flight: a change committed later can only come after the position given, so none is passed over.
 */
export class StayFactsStore {
  constructor(
    private readonly db: Queryable,
    /** Marks the answer of the request reading the feed as one not to be kept (absent outside requests). */
    private readonly answerNotKept: () => void = () => undefined,
  ) {}

  async changesAfter(after: FeedPosition | null, limit: number): Promise<StayFactChangeRows> {
    // A page depends on the transactions in flight (its horizon), which move with every transaction,
    // bookkeeping's too, and which no data version tells: the gateway must not keep it.
    this.answerNotKept();
    const rows = await this.db.query<{ personId: string | null; xid: string; seq: number; horizon: string }>(
      'stayFactChanges.page',
      `with horizon as (select pg_snapshot_xmin(pg_current_snapshot()) as xmin)
       select changes.person_id as "personId", changes.xid::text as xid, changes.seq, horizon.xmin::text as horizon
         from horizon
         left join lateral (
           select person_id, xid, seq from stay_fact_changes
            where (xid, seq) > ($1::xid8, $2::bigint) and xid < horizon.xmin
            order by xid, seq
            limit $3
         ) changes on true`,
      [after?.xid ?? '0', after?.seq ?? 0, limit],
    );
    const found = rows.filter((row) => row.personId !== null);
    const last = found.at(-1);
    const complete = found.length < limit;
    return {
      personIds: found.map((row) => row.personId!),
      // A page that reached the end starts the next one at the horizon: everything below it has been read.
      next: complete ? maxPosition(after, { xid: rows[0].horizon, seq: 0 }) : { xid: last!.xid, seq: last!.seq },
      complete,
    };
  }
}

/** The later of two positions (a horizon never moves back, but a caller's position may be ahead of it). */
function maxPosition(a: FeedPosition | null, b: FeedPosition): FeedPosition {
  if (!a) return b;
  const ax = BigInt(a.xid);
  const bx = BigInt(b.xid);
  return ax > bx || (ax === bx && a.seq >= b.seq) ? a : b;
}
