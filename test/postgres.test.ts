import { openAuditLog, type AuditEntry } from '../subgraphs/audit/audit-log';
import { SUBGRAPH_NAMES, type SubgraphName } from '../protocol/registries';
import { freshServerDatabase } from '../platform/testing/subgraph-test-app';
import { PersonPictureDocument, PersonsWithRelationsDocument } from './generated/operations';
import { expectData, startGraph, type RunningGraph } from './harness';

/**
 * The same graph on a PostgreSQL server instead of the embedded PGlite: each registry in a database
 * of its own, as in production. Runs when TEST_DATABASE_URL names a server (CI starts one; see
 * .ci/run); without one there is no server to run against.
 */
const serverUrl = process.env.TEST_DATABASE_URL;
const onServer = serverUrl ? describe : describe.skip;

onServer('the federated graph on a PostgreSQL server', () => {
  let graph: RunningGraph;
  const databases: Awaited<ReturnType<typeof freshServerDatabase>>[] = [];
  beforeAll(async () => {
    const databaseUrls: Partial<Record<SubgraphName, string>> = {};
    for (const name of SUBGRAPH_NAMES) {
      const database = await freshServerDatabase(serverUrl!, name);
      databases.push(database);
      databaseUrls[name] = database.url;
    }
    graph = await startGraph({ persons: 120, databaseUrls });
  });
  afterAll(async () => {
    await graph?.stop();
    for (const database of databases) await database.drop();
  });

  it('runs on the server, not on PGlite', () => {
    for (const { db } of Object.values(graph.subgraphs)) expect(db.kind).toBe('postgres');
  });

  it('answers the person picture from four databases', async () => {
    const page = expectData(await graph.query('{ persons(first: 30) { nodes { id } } }')) as { persons: { nodes: { id: string }[] } };
    let applications = 0;
    for (const { id } of page.persons.nodes) {
      const person = expectData(await graph.query(PersonPictureDocument, { id })).person!;
      expect(person.id).toBe(id);
      applications += person.applications!.length;
    }
    expect(applications).toBeGreaterThan(0);
  });

  it('keeps SQL statements per request constant from 10 to 50 persons (every relation: about as many as the cost limit allows)', async () => {
    const count = async (first: number) => {
      const before = graph.statementCount();
      expectData(await graph.query(PersonsWithRelationsDocument, { first }));
      return graph.statementCount() - before;
    };
    expect(await count(50)).toBe(await count(10));
  });
});

onServer('the audit chain on a PostgreSQL server', () => {
  it('two audit processes writing one database at once both append, and the chain stays one chain', async () => {
    const database = await freshServerDatabase(serverUrl!, 'audit');
    const key = 'k'.repeat(40);
    // Two pools, as two processes would have; opened one after the other, so they migrate once.
    const first = await openAuditLog({ url: database.url, key });
    const second = await openAuditLog({ url: database.url, key });
    try {
      const entry = (index: number): AuditEntry => ({
        agency: 'police', subject: `officer-${index}`, purpose: 'PUBLIC_ORDER', operation: 'PersonPicture',
        fields: ['Query.person'], personIds: [], requestId: `req-${index}`, entryId: `entry-${index}`, outcome: 'SERVED',
      });
      await Promise.all(Array.from({ length: 200 }, (_, index) => (index % 2 ? first : second).log.append(entry(index))));
      // Turn by turn: each writer's idea of the head is stale every time, so each append is retried once.
      const headReads = () => first.db.stats.byName.get('audit.head') ?? 0;
      const before = headReads();
      for (let index = 200; index < 206; index += 1) await (index % 2 ? first : second).log.append(entry(index));
      expect(headReads() - before).toBe(3);
      expect(await first.log.verify()).toEqual({ intact: true, records: 206, head: expect.any(String) });
    } finally {
      await first.db.close();
      await second.db.close();
      await database.drop();
    }
  });
});
