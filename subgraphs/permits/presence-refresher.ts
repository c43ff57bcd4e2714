import { randomUUID } from 'node:crypto';
import { summarizePresence } from '../../domain/rules/presence';
import { PRESENCE_REFRESH_MAX_WAIT_MS } from '../../platform/config';
import type { Database } from '../../platform/db/database';
import type { GraphClient } from '../../platform/graph-client';
import { repeatPass, type PassTimer } from '../../platform/server/repeated-pass';
import type { BackgroundLog, BackgroundWork } from '../../platform/server/subgraph-definition';
import { stayFactsOf } from './legal.service';
import { PermitStore, type PermitRow } from './permit.store';
import { PresenceStore, type PresenceRow } from './presence.store';

/**
 * Failed passes before the first that worked taken for a start's (the gateway not up yet) and only noted;
 * the third, at the interval's default about 30 s in, is a warning.
 */
const STARTUP_FAILURES = 3;

/** The persons registry's feed of persons whose crossings or citizenship changed (a page of ids). */
const STAY_FACT_CHANGES = /* GraphQL */ `
  query StayFactChanges($after: String, $first: Int) {
    stayFactChanges(after: $after, first: $first) {
      personIds
      endCursor
      complete
    }
  }
`;

/** The stay facts of a batch of persons, in one request. */
const STAY_FACTS_OF = /* GraphQL */ `
  query StayFactsOf($personIds: [ID!]!) {
    stayFactsOf(personIds: $personIds) {
      id
      citizenship
      borderCrossings {
        direction
        date
      }
    }
  }
`;

interface PersonFacts {
  id: string;
  citizenship: string | null;
  borderCrossings: { direction: 'ENTRY' | 'EXIT'; date: string }[];
}

export interface PresenceRefresherOptions {
  db: Database;
  graph: GraphClient;
  log: BackgroundLog;
  /** Today in Baku, the day summaries are made on and rechecks fall due. */
  today: () => string;
  /** The wait after a pass that found work (PRESENCE_REFRESH_INTERVAL_MS). */
  intervalMs?: number;
  /**
   * The longest wait, after passes that found nothing or failed (doubling from `intervalMs`): by
   * default six intervals, at most PRESENCE_REFRESH_MAX_WAIT_MS.
   */
  maxWaitMs?: number;
  /** Where the passes are scheduled (tests step through them). */
  timer?: PassTimer;
  /** Persons evaluated per graph request. */
  batchSize?: number;
  /** Persons per page of the feed. */
  feedPageSize?: number;
  /** How long a pass holds the persons it claimed; past it, another process may evaluate them. */
  leaseSeconds?: number;
}

export interface PresenceRefresher extends BackgroundWork {
  /** One pass now (tests). */
  refresh(): Promise<RefreshPass>;
  /** A permit was written in this process (its holder marked): an idle wait is cut back to the interval. */
  wake(): void;
}

/** What one pass did. */
export interface RefreshPass {
  feedPages: number;
  evaluated: number;
  caughtUp: boolean;
}

/**
 * Keeps the presence status (presence_status, domain/rules/presence.ts) current. Each pass: persons
 * whose summary fell due today are marked; the persons registry's feed of changed crossings and
 * citizenship is read to its end (through the graph, as this registry), its persons marked; then every
 * marked person (permit writes mark their holder themselves) is evaluated again, a batch at a time:
 * their facts in one graph request, their permits in one statement, their summaries in one. On an empty
 * table the feed holds every person with a crossing, so the first pass fills it.
 *
 * Nothing is lost or done twice by a restart: a feed page's persons are marked in the same statement
 * that moves the cursor, and a mark is cleared only by a summary made from facts read after it.
 * Several permits processes share the work: the feed cursor moves only from where a process read it,
 * and each batch is claimed for a lease (FOR UPDATE SKIP LOCKED), so no two evaluate one person at once.
 */
export function startPresenceRefresher({
  db,
  graph,
  log,
  today,
  intervalMs = 5000,
  maxWaitMs = Math.min(intervalMs * 6, PRESENCE_REFRESH_MAX_WAIT_MS),
  timer,
  batchSize = 500,
  feedPageSize = 1000,
  leaseSeconds = 60,
}: PresenceRefresherOptions): PresenceRefresher {
  const store = new PresenceStore(db);
  const permits = new PermitStore(db);
  // An embedded database belongs to this one process: claims left in it are a dead process's, free at once.
  const first = db.kind === 'pglite' ? store.releaseClaims(null) : Promise.resolve();

  async function readFeed(startedAt: Date): Promise<{ pages: number; caughtUp: boolean }> {
    let pages = 0;
    while (!passes.stopped) {
      const { cursor } = await store.feedState();
      const { stayFactChanges: page } = await graph.query<{ stayFactChanges: { personIds: string[]; endCursor: string; complete: boolean } }>(
        STAY_FACT_CHANGES,
        { after: cursor, first: feedPageSize },
        `presence-${randomUUID()}`,
      );
      pages += 1;
      // Another process took this page first: its persons are marked; it reads on.
      if (!(await store.takeFeedPage(page.personIds, cursor, page.endCursor, page.complete ? startedAt : null))) return { pages, caughtUp: false };
      if (page.complete) return { pages, caughtUp: true };
    }
    return { pages, caughtUp: false };
  }

  async function evaluateBatch(day: string): Promise<number> {
    const { claimedAt, persons } = await store.claimChanged(batchSize, leaseSeconds);
    if (persons.length === 0 || !claimedAt) return 0;
    const ids = persons.map((person) => person.personId);
    try {
      const [{ stayFactsOf: found }, held] = await Promise.all([
        graph.query<{ stayFactsOf: PersonFacts[] }>(STAY_FACTS_OF, { personIds: ids }, `presence-${randomUUID()}`),
        permits.ofHolders(ids),
      ]);
      const factsById = new Map(found.map((person) => [person.id.toLowerCase(), person]));
      const permitsOf = new Map<string, PermitRow[]>();
      for (const permit of held) permitsOf.set(permit.holderId, [...(permitsOf.get(permit.holderId) ?? []), permit]);
      const rows: PresenceRow[] = persons.map(({ personId, version }) => {
        // A person the persons registry does not know has no crossing: not present.
        const person = factsById.get(personId) ?? { citizenship: null, borderCrossings: [] };
        const facts = stayFactsOf({ citizenship: person.citizenship, crossings: person.borderCrossings }, permitsOf.get(personId) ?? []);
        return { personId, version, citizenship: person.citizenship, ...summarizePresence(facts, day) };
      });
      await store.saveSummaries(rows, claimedAt);
      return rows.length;
    } catch (error) {
      // Given back at once, not when the lease ends: the next pass tries again.
      await store.releaseClaims(ids).catch(() => undefined);
      throw error;
    }
  }

  async function refresh(): Promise<RefreshPass> {
    const day = today();
    const { startedAt } = await store.markDue(day);
    const feed = await readFeed(startedAt);
    let evaluated = 0;
    while (!passes.stopped) {
      const count = await evaluateBatch(day);
      if (count === 0) break;
      evaluated += count;
    }
    return { feedPages: feed.pages, evaluated, caughtUp: feed.caughtUp };
  }

  // A pass that took in no change and evaluated nobody was idle: the next waits longer (up to maxWaitMs),
  // so that a quiet registry reads the feed through the gateway a few times a minute, not every interval.
  const passes = repeatPass(refresh, {
    name: 'presence refresher',
    intervalMs,
    maxIntervalMs: maxWaitMs,
    idle: (pass) => pass.caughtUp && pass.evaluated === 0,
    first,
    log,
    timer,
    // The gateway it reads through starts after the registries: its first passes may fail for that alone.
    startupFailures: STARTUP_FAILURES,
  });

  return { refresh, wake: () => passes.wake(), stop: () => passes.stop() };
}
