import type { Database, Queryable } from '../../platform/db/database';

export interface OutboxRow {
  id: number;
  applicationId: string;
  kind: 'CREATE_STATE_DUTY' | 'CANCEL_STATE_DUTY' | 'RECORD_ISSUED_PERMIT' | 'RECORD_PERSON_FACTS';
  payload: Record<string, unknown>;
  attempts: number;
}

/** An undelivered message, as operators see it (without its payload, which they are not shown). */
export interface UndeliveredRow extends Omit<OutboxRow, 'payload'> {
  lastError: string | null;
  lastAttemptAt: Date | null;
  createdAt: Date;
  deadAt: Date | null;
}

/**
 * The outbox messages a relay may claim now (as `o`): undelivered, not set aside, not claimed, past
 * their pause after a failure, and with no earlier undelivered message of the same application.
 */
const DUE_MESSAGES = `
           where delivered_at is null and dead_at is null
             and (claimed_until is null or claimed_until < now())
             and (last_attempt_at is null or last_attempt_at < now() - least(attempts * attempts, 60) * interval '1 second')
             and not exists (select 1 from outbox earlier
                              where earlier.application_id = o.application_id and earlier.id < o.id
                                and earlier.delivered_at is null and earlier.dead_at is null)`;

/**
 * The outbox's delivery state: claims, deliveries, failures, dead letters. Bookkeeping
 * (Database.bookkeeping, decision 0016): a relay's claims and marks make no new data version, so that
 * the gateway's kept answers of this registry stay valid across deliveries; an answer read from these
 * columns (undelivered messages) is marked not to be kept (`answerNotKept`). A message is written with
 * the change that causes it, in that change's transaction (ApplicationStore.enqueue): that is data.
 */
export class OutboxStore {
  private readonly db: Queryable;

  constructor(
    db: Pick<Database, 'bookkeeping'>,
    /** Marks the request's answer not to be kept by the gateway (RequestInfo.answerNotKept). */
    private readonly answerNotKept: () => void = () => undefined,
  ) {
    this.db = db.bookkeeping;
  }

  /**
   * Claims undelivered messages for one relay, oldest first, each until `leaseSeconds` from now: a
   * relay of another process skips what is claimed (and what another is claiming at this moment), so
   * each message is sent by one relay at a time; a relay that dies leaves its claims to expire. One
   * that failed waits longer after each failure (up to a minute). An application's messages go in the
   * order written: none is claimed while an earlier one of the same application is undelivered (a
   * cancellation never overtakes the bill it cancels), unless that one was set aside (a dead letter
   * waits for an operator, the rest need not).
   */
  async claim(limit: number, leaseSeconds: number): Promise<OutboxRow[]> {
    // Looked for first by a read: an idle relay's passes, four a second, then write nothing.
    const [due] = await this.db.query<{ due: boolean }>(
      'outbox.due',
      `select exists (select 1 from outbox o ${DUE_MESSAGES}) as due`,
    );
    if (!due?.due) return [];
    const rows = await this.db.query<OutboxRow>(
      'outbox.claim',
      `update outbox set claimed_until = now() + $2 * interval '1 second'
        where id in (
          select id from outbox o ${DUE_MESSAGES}
           order by id limit $1
           for update skip locked)
        returning id, application_id as "applicationId", kind, payload, attempts`,
      [limit, leaseSeconds],
    );
    return rows.sort((a, b) => Number(a.id) - Number(b.id));
  }

  /** Gives claimed messages back to whichever relay comes next: all of them (`ids` absent), or those given. */
  async release(ids?: readonly number[]): Promise<void> {
    if (ids === undefined) await this.db.query('outbox.releaseAll', `update outbox set claimed_until = null where claimed_until is not null and delivered_at is null`);
    else if (ids.length > 0) await this.db.query('outbox.release', `update outbox set claimed_until = null where id = any($1::bigint[]) and delivered_at is null`, [ids]);
  }

  /** The outbox's backlog for operators: messages waiting, set aside, and the age of the oldest waiting one in seconds. */
  async backlog(): Promise<{ waiting: number; setAside: number; oldestWaitingSeconds: number }> {
    const [row] = await this.db.query<{ waiting: number; setAside: number; oldestWaitingSeconds: number | null }>(
      'outbox.backlog',
      `select count(*) filter (where dead_at is null)::int as waiting, count(*) filter (where dead_at is not null)::int as "setAside",
              extract(epoch from now() - min(created_at) filter (where dead_at is null))::float8 as "oldestWaitingSeconds"
         from outbox where delivered_at is null`,
    );
    return { waiting: row?.waiting ?? 0, setAside: row?.setAside ?? 0, oldestWaitingSeconds: row?.oldestWaitingSeconds ?? 0 };
  }

  /** Messages not delivered after at least one attempt, and those set aside; oldest first. */
  undelivered(limit: number): Promise<UndeliveredRow[]> {
    this.answerNotKept();
    return this.db.query(
      'outbox.undelivered',
      `select id, application_id as "applicationId", kind, attempts, last_error as "lastError",
              last_attempt_at as "lastAttemptAt", created_at as "createdAt", dead_at as "deadAt"
         from outbox where delivered_at is null and attempts > 0 order by id limit $1`,
      [limit],
    );
  }

  /** Puts a set-aside message back in line, its attempts counted afresh; false when there is no such undelivered message. */
  async redeliver(id: number): Promise<boolean> {
    const rows = await this.db.query('outbox.redeliver', `update outbox set dead_at = null, refusals = 0, last_attempt_at = null, claimed_until = null where id = $1 and delivered_at is null returning id`, [id]);
    return rows.length > 0;
  }

  async markDelivered(id: number): Promise<void> {
    await this.db.query('outbox.delivered', `update outbox set delivered_at = now(), last_error = null, claimed_until = null where id = $1`, [id]);
  }

  /**
   * Counts a failed attempt. Refusals in a row are counted too (an outage between them starts the
   * count again); at `setAsideAfter` of them the message becomes a dead letter, no longer retried
   * until an operator redelivers it. Returns whether it was set aside.
   */
  async markFailed(id: number, error: string, refused: boolean, setAsideAfter: number): Promise<boolean> {
    const [row] = await this.db.query<{ dead: boolean }>(
      'outbox.failed',
      `update outbox set attempts = attempts + 1, last_error = $2, last_attempt_at = now(), claimed_until = null,
                         refusals = case when $3 then refusals + 1 else 0 end,
                         dead_at = case when $3 and refusals + 1 >= $4 then now() else dead_at end
        where id = $1
        returning dead_at is not null as dead`,
      [id, error.slice(0, 1000), refused, setAsideAfter],
    );
    return row?.dead ?? false;
  }
}
