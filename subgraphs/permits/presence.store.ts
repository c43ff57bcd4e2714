import type { Database, Queryable } from '../../platform/db/database';
import type { PresenceSummary } from '../../domain/rules/presence';

/** Overstay length bands (days, both ends included; the last one open), as the statistics give them. */
export const OVERSTAY_BANDS: readonly { minDays: number; maxDays: number | null }[] = [
  { minDays: 1, maxDays: 30 },
  { minDays: 31, maxDays: 90 },
  { minDays: 91, maxDays: 180 },
  { minDays: 181, maxDays: 365 },
  { minDays: 366, maxDays: null },
];

/** The band (its minDays) of an overstay of `length` days, as SQL: fixed text, made once from OVERSTAY_BANDS. */
const BAND_OF = (length: string) =>
  `case ${OVERSTAY_BANDS.filter((band) => band.maxDays !== null)
    .map((band) => `when ${length} <= ${band.maxDays} then ${band.minDays}`)
    .join(' ')} else ${OVERSTAY_BANDS.at(-1)!.minDays} end`;

/** One group of the counts: all persons, one citizenship, or one overstay band. */
export interface PresenceCountRow {
  group: 'all' | 'citizenship' | 'band';
  citizenship: string | null;
  minDays: number | null;
  present: number;
  overstaying: number;
  registrationOverdue: number;
}

/** A person whose status the refresher has claimed, with the version of the change it was claimed at. */
export interface ClaimedPerson {
  personId: string;
  version: number;
}

/** A person's new summary, with the citizenship the counts group by. */
export interface PresenceRow extends PresenceSummary {
  personId: string;
  version: number;
  citizenship: string | null;
}

/**
 * The presence status table (migration 6): the refresher's reads and writes, and the counts. Permit
 * writes mark their holder in their own statement (permit.store.ts, MARK_HOLDERS_CHANGED).
 *
 * The status is the registry's bookkeeping (Database.bookkeeping): the refresher's passes, idle ones
 * too, make no new data version, so the answers the gateway keeps of this registry (permits, legal
 * status) stay valid across them. In exchange an answer worked out from the status must not be kept:
 * the counts and statusAsOf mark theirs (`answerNotKept`).
 */
export class PresenceStore {
  private readonly db: Queryable;

  constructor(
    db: Pick<Database, 'bookkeeping'>,
    /** Marks the answer of the request reading the status as one not to be kept (absent outside requests). */
    private readonly answerNotKept: () => void = () => undefined,
  ) {
    this.db = db.bookkeeping;
  }

  /**
   * Persons whose summary said to look again by `today` are marked changed (since now); returns the
   * database's time, which starts a refresher pass.
   */
  async markDue(today: string): Promise<{ startedAt: Date; due: number }> {
    const [row] = await this.db.query<{ startedAt: Date; due: number }>(
      'presence.markDue',
      `with due as (
         update presence_status set dirty_since = now(), dirty_version = dirty_version + 1
          where recheck_on <= $1 and dirty_since is null
         returning 1
       )
       select now() as "startedAt", (select count(*) from due)::int as due`,
      [today],
    );
    return row;
  }

  async feedState(): Promise<{ cursor: string | null; caughtUpAt: Date | null }> {
    const [row] = await this.db.query<{ cursor: string | null; caughtUpAt: Date | null }>(
      'presence.feedState',
      `select cursor, caught_up_at as "caughtUpAt" from presence_feed where id = 1`,
    );
    return row;
  }

  /**
   * Takes in a page of the persons registry's feed, in one statement: its persons marked changed and
   * the cursor moved on, only if the cursor is still `from` (another process may have taken the page).
   * `caughtUpAt`: the page reached the end of the feed, so every change before that time is in.
   * A person marked here is changed since at least the feed's previous catch-up (every change before
   * it was taken in then), not since the marking: the status stays as of that catch-up until the
   * person is evaluated (statusAsOf). Before the first catch-up, since ever.
   */
  async takeFeedPage(personIds: readonly string[], from: string | null, to: string, caughtUpAt: Date | null): Promise<boolean> {
    const [row] = await this.db.query<{ moved: number }>(
      'presence.takeFeedPage',
      `with moved as (
         update presence_feed set cursor = $3, caught_up_at = greatest(caught_up_at, $4::timestamptz)
          where id = 1 and cursor is not distinct from $2
         returning id
       ), marked as (
         insert into presence_status (person_id, dirty_since, dirty_version)
         select person_id, (select coalesce(caught_up_at, 'epoch'::timestamptz) from presence_feed where id = 1), 1
           from unnest($1::uuid[]) as person_id where exists (select 1 from moved)
         on conflict (person_id) do update set dirty_since = least(presence_status.dirty_since, excluded.dirty_since), dirty_version = presence_status.dirty_version + 1
       )
       select count(*)::int as moved from moved`,
      [personIds, from, to, caughtUpAt],
    );
    return row.moved === 1;
  }

  /** Up to `limit` changed persons, oldest change first, held for `leaseSeconds` (another process skips them meanwhile). */
  async claimChanged(limit: number, leaseSeconds: number): Promise<{ claimedAt: Date | null; persons: ClaimedPerson[] }> {
    const rows = await this.db.query<ClaimedPerson & { claimedAt: Date }>(
      'presence.claimChanged',
      `update presence_status set claimed_until = now() + make_interval(secs => $2)
        where person_id in (
          select person_id from presence_status
           where dirty_since is not null and (claimed_until is null or claimed_until < now())
           order by dirty_since
           limit $1
           for update skip locked
        )
       returning person_id as "personId", dirty_version as version, now() as "claimedAt"`,
      [limit, leaseSeconds],
    );
    return { claimedAt: rows[0]?.claimedAt ?? null, persons: rows.map(({ personId, version }) => ({ personId, version })) };
  }

  /** Gives claims back: these persons (or, with null, every claim of a process that died) are free at once. */
  async releaseClaims(personIds: readonly string[] | null): Promise<void> {
    await this.db.query(
      'presence.releaseClaims',
      `update presence_status set claimed_until = null where claimed_until is not null and ($1::uuid[] is null or person_id = any($1::uuid[]))`,
      [personIds],
    );
  }

  /**
   * Stores new summaries made from facts read after `claimedAt`. A person changed again since the claim
   * (another version) stays marked, but only since the claim: what came before it is in.
   */
  async saveSummaries(rows: readonly PresenceRow[], claimedAt: Date): Promise<void> {
    if (rows.length === 0) return;
    const column = <K extends keyof PresenceRow>(key: K) => rows.map((row) => row[key]);
    await this.db.query(
      'presence.saveSummaries',
      `update presence_status s set
          citizenship = v.citizenship, present_since = v.present_since, overstay_from = v.overstay_from,
          overstay_origin = v.overstay_origin, registration_overdue_from = v.overdue_from, recheck_on = v.recheck_on,
          evaluated_on = v.evaluated_on, evaluated_at = now(), claimed_until = null,
          dirty_since = case when s.dirty_version = v.version then null else greatest(s.dirty_since, $10::timestamptz) end
        from unnest($1::uuid[], $2::bigint[], $3::char(3)[], $4::date[], $5::date[], $6::date[], $7::date[], $8::date[], $9::date[])
          as v(person_id, version, citizenship, present_since, overstay_from, overstay_origin, overdue_from, recheck_on, evaluated_on)
       where s.person_id = v.person_id`,
      [
        column('personId'), column('version'), column('citizenship'), column('presentSince'), column('overstayFrom'), column('overstayOrigin'),
        column('registrationOverdueFrom'), column('recheckOn'), column('evaluatedOn'), claimedAt,
      ],
    );
  }

  /**
   * Persons present on `day`, overstaying (STAY-03) and overdue for registration (REG-02): in all, per
   * citizenship, and per overstay band (overstaying only); one statement over the maintained status
   * (domain/rules/presence.ts, presenceOn, says what each column means on a day).
   */
  counts(day: string): Promise<PresenceCountRow[]> {
    this.answerNotKept();
    return this.db.query(
      'presence.counts',
      `select case when grouping(citizenship) = 0 then 'citizenship' when grouping(band) = 0 then 'band' else 'all' end as "group",
              citizenship, band as "minDays",
              count(*)::int as present,
              count(*) filter (where overstaying)::int as overstaying,
              count(*) filter (where overdue)::int as "registrationOverdue"
         from (
           select citizenship,
                  coalesce(overstay_from <= $1::date, false) as overstaying,
                  coalesce(registration_overdue_from <= $1::date, false) as overdue,
                  case when overstay_from <= $1::date then ${BAND_OF('($1::date - overstay_origin + 1)')} end as band
             from presence_status
            where present_since is not null
         ) as status
        group by grouping sets ((), (citizenship), (band))`,
      [day],
    );
  }

  /** Every change before this time is in the counts: the feed's last catch-up, or the oldest change not yet evaluated; null before the first catch-up. */
  async statusAsOf(): Promise<Date | null> {
    this.answerNotKept();
    const [row] = await this.db.query<{ statusAsOf: Date | null }>(
      'presence.statusAsOf',
      `select case when feed.caught_up_at is not null
                   then least(feed.caught_up_at, (select min(dirty_since) from presence_status where dirty_since is not null)) end as "statusAsOf"
         from presence_feed feed where feed.id = 1`,
    );
    return row.statusAsOf;
  }
}
