import { randomUUID } from 'node:crypto';
import { addDays, summarizePresence } from '../../domain/rules';
import { openDatabase, type Database } from '../../platform/db/database';
import { migrate } from '../../platform/db/migrate';
import { DATABASE_TARGETS, freshServerDatabase } from '../../platform/testing/subgraph-test-app';
import type { GraphClient } from '../../platform/graph-client';
import { permitsMigrations } from './migrations';
import { PermitStore } from './permit.store';
import { startPresenceRefresher } from './presence-refresher';
import { PresenceStore } from './presence.store';
import { steppedTimer } from '../../platform/testing/stepped-timer';

const TODAY = '2026-11-02';

interface FakePerson {
  id: string;
  citizenship: string | null;
  borderCrossings: { direction: 'ENTRY' | 'EXIT'; date: string }[];
}

/**
 * The persons registry as the refresher sees it through the graph: a feed (one entry per change, the
 * cursor its index) and the facts by id. Counts what it was asked, and fails when told to.
 */
function fakePersons(count: number) {
  const persons = new Map<string, FakePerson>();
  const feed: string[] = [];
  for (let index = 0; index < count; index += 1) {
    const id = randomUUID();
    persons.set(id, { id, citizenship: index % 3 === 0 ? 'TUR' : 'IND', borderCrossings: [{ direction: 'ENTRY', date: addDays(TODAY, -index * 7) }] });
    feed.push(id);
  }
  const asked: string[] = [];
  let failFacts = false;
  let feedRequests = 0;
  let gatewayDown = false;
  const graph: GraphClient = {
    async query<Data>(operation: string, variables: Record<string, unknown>): Promise<Data> {
      await new Promise((resolve) => setImmediate(resolve));
      if (gatewayDown) throw new TypeError('fetch failed');
      if (operation.includes('stayFactChanges')) {
        feedRequests += 1;
        const from = variables.after ? Number(variables.after) : 0;
        const page = feed.slice(from, from + (variables.first as number));
        const end = from + page.length;
        return { stayFactChanges: { personIds: [...new Set(page)], endCursor: String(end), complete: end === feed.length } } as Data;
      }
      if (failFacts) throw new Error('the gateway is unreachable');
      const ids = variables.personIds as string[];
      asked.push(...ids);
      return { stayFactsOf: ids.flatMap((id) => (persons.has(id) ? [persons.get(id)!] : [])) } as Data;
    },
  };
  return {
    persons,
    graph,
    asked,
    failFacts: (fail: boolean) => (failFacts = fail),
    gatewayDown: (down: boolean) => (gatewayDown = down),
    get feedRequests() {
      return feedRequests;
    },
    cross(id: string, direction: 'ENTRY' | 'EXIT', date: string) {
      persons.get(id)!.borderCrossings.push({ direction, date });
      feed.push(id);
    },
  };
}

async function rows(db: Database) {
  return db.query<{ personId: string; presentSince: string | null; overstayFrom: string | null; recheckOn: string | null; dirty: boolean }>(
    'test.presence',
    `select person_id as "personId", present_since as "presentSince", overstay_from as "overstayFrom", recheck_on as "recheckOn",
            dirty_since is not null as dirty
       from presence_status order by person_id`,
  );
}

/** The summary each person should have, made from the facts alone. */
function expectedRows(persons: Map<string, FakePerson>) {
  return [...persons.values()]
    .map((person) => {
      const summary = summarizePresence({ citizenships: person.citizenship ? [person.citizenship] : [], crossings: person.borderCrossings, lawfulBases: [], registrations: [] }, TODAY);
      return { personId: person.id, presentSince: summary.presentSince, overstayFrom: summary.overstayFrom, recheckOn: summary.recheckOn, dirty: false };
    })
    .sort((a, b) => a.personId.localeCompare(b.personId));
}

async function until(check: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe.each(DATABASE_TARGETS)('the presence refresher on %s', (_kind, serverUrl) => {
  let db: Database;
  let server: { url: string; drop(): Promise<void> } | undefined;
  beforeEach(async () => {
    server = serverUrl ? await freshServerDatabase(serverUrl, 'presence') : undefined;
    db = await openDatabase({ url: server?.url, maxConnections: 4 });
    await migrate(db, permitsMigrations);
  }, 120_000);
  afterEach(async () => {
    await db.close();
    await server?.drop();
  });

  const start = (graph: GraphClient) =>
    startPresenceRefresher({ db, graph, log: () => undefined, today: () => TODAY, intervalMs: 10, batchSize: 5, feedPageSize: 7 });
  const settled = async () => (await rows(db)).every((row) => !row.dirty);

  it('fills an empty table from the feed; stopped half-way and started again, it loses nothing and doubles nothing', async () => {
    const world = fakePersons(40);
    world.failFacts(true);
    const first = start(world.graph);
    // The feed is taken in (every person marked) but no fact can be read: nothing is evaluated.
    await until(async () => (await rows(db)).length === 40, 'the feed to be taken in');
    await first.stop();
    expect((await rows(db)).every((row) => row.dirty)).toBe(true);

    world.failFacts(false);
    const second = start(world.graph);
    try {
      await until(settled, 'every person to be evaluated');
      expect(await rows(db)).toEqual(expectedRows(world.persons));
      expect(world.asked).toHaveLength(40);

      // A crossing recorded later reaches the status through the feed, and only that person is evaluated again.
      const leaving = [...world.persons.keys()][3];
      world.cross(leaving, 'EXIT', TODAY);
      await until(async () => (await rows(db)).find((row) => row.personId === leaving)!.presentSince === null, 'the exit to be taken in');
      await until(settled, 'the status to settle');
      expect(await rows(db)).toEqual(expectedRows(world.persons));
      expect(world.asked).toHaveLength(41);
    } finally {
      await second.stop();
    }
  });

  it('does not count a change taken in from the feed as in the counts before its person is evaluated (statusAsOf)', async () => {
    const world = fakePersons(5);
    const store = new PresenceStore(db);
    // Passes run only when asked, after the first.
    const refresher = startPresenceRefresher({ db, graph: world.graph, log: () => undefined, today: () => TODAY, intervalMs: 3_600_000, maxWaitMs: 3_600_000, batchSize: 5, feedPageSize: 7 });
    try {
      await until(async () => (await rows(db)).length === 5 && (await settled()), 'the first fill');
      const filledAsOf = (await store.statusAsOf())!;
      const crossedAt = new Date();
      const leaving = [...world.persons.keys()][1];
      world.cross(leaving, 'EXIT', TODAY);
      // The feed is read to its end after the crossing, but the person's facts cannot be read.
      world.failFacts(true);
      await expect(refresher.refresh()).rejects.toThrow('unreachable');
      expect((await store.statusAsOf())!.getTime()).toBeLessThan(crossedAt.getTime());
      expect((await store.statusAsOf())!.getTime()).toBe(filledAsOf.getTime());
      // Evaluated, the crossing is in the counts, and the status says so.
      world.failFacts(false);
      await refresher.refresh();
      expect((await store.statusAsOf())!.getTime()).toBeGreaterThan(crossedAt.getTime());
    } finally {
      await refresher.stop();
    }
  });

  it('shares the work between two processes without evaluating anyone twice', async () => {
    const world = fakePersons(60);
    // On a server, the second refresher has a pool of its own, as another process would.
    const other = server ? await openDatabase({ url: server.url, maxConnections: 4 }) : db;
    const refreshers = [start(world.graph), startPresenceRefresher({ db: other, graph: world.graph, log: () => undefined, today: () => TODAY, intervalMs: 10, batchSize: 5, feedPageSize: 7 })];
    try {
      await until(async () => (await rows(db)).length === 60 && (await settled()), 'every person to be evaluated');
      expect(await rows(db)).toEqual(expectedRows(world.persons));
      expect(world.asked).toHaveLength(60);
      expect(new Set(world.asked).size).toBe(60);
    } finally {
      await Promise.all(refreshers.map((refresher) => refresher.stop()));
      if (other !== db) await other.close();
    }
  });

  it('marks a permit holder in the statement that records the permit, and evaluates again those whose summary fell due', async () => {
    const world = fakePersons(3);
    const refresher = start(world.graph);
    try {
      await until(async () => (await rows(db)).length === 3 && (await settled()), 'the first fill');
      const [holder] = [...world.persons.keys()];
      await new PermitStore(db).insertHistorical({
        id: randomUUID(), number: null, numberPrefix: 'TR', kind: 'TEMPORARY_RESIDENCE_PERMIT', visaType: null, holderId: holder, applicationId: null,
        issuedOn: TODAY, validFrom: TODAY, validUntil: addDays(TODAY, 364), revokedOn: null, address: null, ground: null, groundArticle: null,
        familyMemberOfSpecialHolder: null, sourceDocumentKind: 'PERMIT_COPY', sourceDocumentNumber: 'X1', recordedBy: 'test', idempotencyKey: 'presence-spec-1',
      });
      const before = world.asked.length;
      await until(settled, 'the holder to be evaluated again');
      expect(world.asked.slice(before)).toEqual([holder]);

      await db.query('test.due', `update presence_status set recheck_on = $1 where person_id = $2`, [TODAY, holder]);
      await until(async () => world.asked.length === before + 2 && (await settled()), 'the due summary to be evaluated again');
      expect(world.asked.at(-1)).toBe(holder);
    } finally {
      await refresher.stop();
    }
  });

  it('waits longer while passes find nothing (up to its cap), is back at its interval once one finds work or a permit is written, and logs an outage once', async () => {
    const world = fakePersons(12);
    const stepped = steppedTimer();
    const logged: [string, string, Record<string, unknown> | undefined][] = [];
    const refresher = startPresenceRefresher({
      db, graph: world.graph, today: () => TODAY, intervalMs: 5000, batchSize: 5, feedPageSize: 7, timer: stepped.timer,
      log: (message, detail, level = 'warn') => logged.push([level, message, detail]),
    });
    try {
      // At start-up the gateway is not up yet: two passes noted, the third a warning, retries less and less often.
      world.gatewayDown(true);
      for (let n = 0; n < 4; n += 1) await stepped.step();
      world.gatewayDown(false);
      await stepped.step();
      expect(logged).toEqual([
        ['info', 'presence refresher not running yet at start-up; will retry', { error: 'TypeError: fetch failed', failedPasses: 1 }],
        ['info', 'presence refresher not running yet at start-up; will retry', { error: 'TypeError: fetch failed', failedPasses: 2 }],
        ['warn', 'presence refresher failed; will retry', { error: 'TypeError: fetch failed' }],
        ['debug', 'presence refresher failed again; will retry', { error: 'TypeError: fetch failed', failedPasses: 4 }],
        ['info', 'presence refresher recovered after 4 failed passes', { failedPasses: 4 }],
      ]);
      expect(await settled()).toBe(true);
      // The fifth pass filled the table (work): back to the interval.
      expect(stepped.waits).toEqual([0, 10_000, 20_000, 30_000, 30_000, 5000]);

      // Nothing changes: each idle pass reads the feed once and waits longer, six intervals at most.
      const before = world.feedRequests;
      for (let n = 0; n < 4; n += 1) await stepped.step();
      expect(world.feedRequests - before).toBe(4);
      expect(stepped.waits.slice(6)).toEqual([10_000, 20_000, 30_000, 30_000]);

      // A crossing in the feed is work: the pass that takes it in is followed by the interval again.
      world.cross([...world.persons.keys()][0], 'EXIT', TODAY);
      await stepped.step();
      expect(stepped.waits.at(-1)).toBe(5000);
      expect(await rows(db)).toEqual(expectedRows(world.persons));

      // A permit written in this process wakes an idle wait back to the interval.
      await stepped.step();
      expect(stepped.waits.at(-1)).toBe(10_000);
      refresher.wake();
      expect(stepped.waits.at(-1)).toBe(5000);
    } finally {
      await refresher.stop();
    }
  });
});
