import { randomUUID } from 'node:crypto';
import { openDatabase, type Database } from '../../platform/db/database';
import { migrate } from '../../platform/db/migrate';
import { DATABASE_TARGETS, freshServerDatabase } from '../../platform/testing/subgraph-test-app';
import { personsMigrations } from './migrations';
import { PersonStore } from './person.store';
import { StayFactsStore, type FeedPosition } from './stay-facts.store';

describe.each(DATABASE_TARGETS)('the feed of changed stay facts on %s', (_kind, serverUrl) => {
  let db: Database;
  let server: { url: string; drop(): Promise<void> } | undefined;
  beforeAll(async () => {
    server = serverUrl ? await freshServerDatabase(serverUrl, 'stay_facts') : undefined;
    db = await openDatabase({ url: server?.url, maxConnections: 4 });
    await migrate(db, personsMigrations);
  }, 120_000);
  afterAll(async () => {
    await db.close();
    await server?.drop();
  });

  async function person(): Promise<string> {
    const id = randomUUID();
    await new PersonStore(db).insertPersons([{ id, fin: null, givenName: 'Test', surname: 'Person', patronymic: null, birthDate: '1990-01-01', sex: 'FEMALE', citizenship: 'TUR' }]);
    return id;
  }
  const cross = (store: PersonStore, personId: string, date: string) =>
    store.insertCrossing({ id: randomUUID(), personId, direction: 'ENTRY', date, checkpoint: 'SAMUR', travelDocumentId: null });

  async function readAll(from: FeedPosition | null): Promise<{ personIds: string[]; next: FeedPosition }> {
    const personIds: string[] = [];
    let position = from;
    for (;;) {
      const page = await new StayFactsStore(db).changesAfter(position, 2);
      personIds.push(...page.personIds);
      position = page.next;
      if (page.complete) return { personIds, next: position };
    }
  }

  it('holds each person whose crossings changed once, moved to the end by each change, a page at a time', async () => {
    const [a, b, c] = [await person(), await person(), await person()];
    const store = new PersonStore(db);
    await cross(store, a, '2026-10-01');
    await store.insertCrossings([
      { id: randomUUID(), personId: b, direction: 'ENTRY', date: '2026-10-02', checkpoint: 'SAMUR', travelDocumentId: null },
      { id: randomUUID(), personId: b, direction: 'EXIT', date: '2026-10-05', checkpoint: 'SAMUR', travelDocumentId: null },
      { id: randomUUID(), personId: c, direction: 'ENTRY', date: '2026-10-03', checkpoint: 'SAMUR', travelDocumentId: null },
    ]);
    const first = await readAll(null);
    expect(first.personIds).toEqual([a, expect.any(String), expect.any(String)]);
    expect(new Set(first.personIds)).toEqual(new Set([a, b, c]));

    // Nothing new: nothing more. A new crossing of a: a again, and only a.
    expect((await readAll(first.next)).personIds).toEqual([]);
    await cross(store, a, '2026-10-20');
    expect((await readAll(first.next)).personIds).toEqual([a]);
  });

  if (serverUrl) {
    it('never passes over a change committed after a later one was read', async () => {
      const [early, late] = [await person(), await person()];
      const { next } = await readAll(null);
      let release!: () => void;
      const held = new Promise<void>((resolve) => (release = resolve));
      let started!: () => void;
      const inFlight = new Promise<void>((resolve) => (started = resolve));
      // A transaction records a crossing and stays open while another commits and the feed is read.
      const slow = db.transaction(async (tx) => {
        await cross(new PersonStore(tx), early, '2026-10-01');
        started();
        await held;
      });
      await inFlight;
      await cross(new PersonStore(db), late, '2026-10-02');
      const during = await readAll(next);
      expect(during.personIds).toEqual([]);
      release();
      await slow;
      expect((await readAll(during.next)).personIds).toEqual([early, late]);
    });
  }
});
