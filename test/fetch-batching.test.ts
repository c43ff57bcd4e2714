import type { SubgraphName } from '../protocol/registries';
import {
  ApplicationByNumberDocument,
  DashboardDocument,
  PaymentByCodeDocument,
  PersonByDocumentDocument,
  PersonPictureDocument,
  PersonsWithRelationsDocument,
} from './generated/operations';
import { expectData, startGraph, type RunningGraph } from './harness';

const REGISTRIES: SubgraphName[] = ['persons', 'applications', 'payments', 'permits'];

/**
 * Issue 6: the reads of concurrent requests by one caller share fetches (gateway/subgraph-fetch/fetch-batching.ts).
 * Each request must still get exactly what it gets alone; the registries serve fewer fetches and
 * send fewer SQL statements for the same answers.
 */
describe('the reads of concurrent requests share fetches (issue 6)', () => {
  let graph: RunningGraph;
  let ids: string[];

  beforeAll(async () => {
    // Latency lets concurrent requests overlap at the registries as they do under load; in one process
    // with none, the gateway takes them nearly one at a time.
    graph = await startGraph({ persons: 40, registryLatencyMs: 20 });
    ids = expectData(await graph.query<{ persons: { nodes: { id: string }[] } }>('{ persons(first: 20) { nodes { id } } }')).persons.nodes.map(({ id }) => id);
  });
  afterAll(() => graph?.stop());

  /** Fetches served and SQL statements sent by the four registries (the audit's own left out) while `run` runs. */
  async function measured<T>(run: () => Promise<T>): Promise<{ result: T; fetches: number; statements: number }> {
    const registryStatements = () => graph.statementCount() - graph.subgraphs.audit!.db.stats.total;
    const fetches = () => REGISTRIES.reduce((sum, name) => sum + graph.fetchCount(name), 0);
    const [fetchesBefore, statementsBefore] = [fetches(), registryStatements()];
    const result = await run();
    return { result, fetches: fetches() - fetchesBefore, statements: registryStatements() - statementsBefore };
  }

  const picture = (id: string, headers?: Record<string, string>) => graph.query(PersonPictureDocument, { id }, headers);

  it('answers twenty pictures asked at once exactly as each is answered alone, in fewer fetches and SQL statements', async () => {
    const alone = await measured(async () => {
      const answers = [];
      for (const id of ids) answers.push((await picture(id)).body);
      return answers;
    });
    // Nothing the gateway kept from the reads alone is still its answer (read-cache.ts): the reads together go to the registries.
    await graph.writeInEveryRegistry();
    const together = await measured(() => Promise.all(ids.map(async (id) => (await picture(id)).body)));
    expect(together.result).toEqual(alone.result);
    for (const [index, answer] of together.result.entries()) expect(answer.data?.person?.id).toBe(ids[index]);
    // Alone, each picture is its own root fetch and entity fetches; together, their reads join.
    expect(together.fetches).toBeLessThan(alone.fetches);
    expect(together.statements).toBeLessThan(alone.statements);
  });

  it('keeps callers apart: each gets, asked at once with others, what it gets alone', async () => {
    const callers = [
      await graph.caller('border-service', 'BORDER_CONTROL'),
      await graph.caller('police', 'PUBLIC_ORDER'),
      await graph.caller('border-service', 'BORDER_CONTROL', { subject: 'another-officer' }),
      // An officer of the same agency whose token holds fewer scopes: never joined with the others.
      await graph.caller('border-service', 'BORDER_CONTROL', { subject: 'narrow-officer', scopes: ['persons:read', 'status:read'] }),
    ];
    const asks = ids.slice(0, 16).map((id, index) => ({ id, headers: callers[index % callers.length] }));
    const alone = [];
    for (const { id, headers } of asks) alone.push((await picture(id, headers)).body);
    await graph.writeInEveryRegistry();
    const together = await Promise.all(asks.map(async ({ id, headers }) => (await picture(id, headers)).body));
    expect(together).toEqual(alone);
    // The police's profile does not reach every field of the picture: its answers differ from the border's.
    expect(alone[1]).not.toEqual(alone[0]);
    // Nor does the narrower token: its permits are refused, where its colleagues' are served.
    const refused = (answer: { errors?: { extensions?: { code?: string }; path?: readonly (string | number)[] }[] }) =>
      (answer.errors ?? []).filter((error) => error.extensions?.code === 'FORBIDDEN').map((error) => error.path?.join('.'));
    expect(refused(together[3])).toContain('person.permits');
    expect(refused(together[2])).not.toContain('person.permits');
  });

  it('joins the reads of officers of one agency: each answered as alone, in fewer fetches, each read audited under its own officer', async () => {
    const officers = await Promise.all(ids.map((_, n) => graph.caller('border-service', 'BORDER_CONTROL', { subject: `border-officer-${n}` })));
    const asks = ids.map((id, n) => ({ id, headers: { ...officers[n], 'x-request-id': `officers-${n}` } }));
    const alone = await measured(async () => {
      const answers = [];
      for (const { id, headers } of asks) answers.push((await picture(id, headers)).body);
      return answers;
    });
    // Nothing the gateway kept from the reads alone is still its answer (read-cache.ts): the reads together go to the registries.
    await graph.writeInEveryRegistry();
    const together = await measured(() => Promise.all(asks.map(async ({ id, headers }) => (await picture(id, headers)).body)));
    expect(together.result).toEqual(alone.result);
    for (const [index, answer] of together.result.entries()) expect(answer.data?.person?.id).toBe(ids[index]);
    expect(together.fetches).toBeLessThan(alone.fetches);
    const records = await graph.audit.db.query<{ request_id: string; subject: string; person_ids: string[] }>(
      'test.audit-officers',
      "select request_id, subject, person_ids from audit_records where request_id like 'officers-%'",
    );
    // Asked twice (alone, then together): each time under the officer who asked, about the person asked for.
    expect(records).toHaveLength(2 * ids.length);
    for (const record of records) {
      const n = Number(record.request_id.slice('officers-'.length));
      expect({ subject: record.subject, persons: record.person_ids }).toEqual({ subject: `border-officer-${n}`, persons: [ids[n]] });
    }
  });

  it('answers every committed operation, asked many times at once with different inputs, as it answers each alone', async () => {
    type Found = { persons: { edges: { cursor: string; node: { travelDocuments: { issuingCountry: string; number: string }[]; applications: { number: string; payments: { code: string }[] }[] } }[] } };
    const edges = expectData(
      await graph.query<Found>('{ persons(first: 30) { edges { cursor node { travelDocuments { issuingCountry number } applications { number payments { code } } } } } }'),
    ).persons.edges;
    const documents = edges.flatMap(({ node }) => node.travelDocuments).slice(0, 6);
    const applications = edges.flatMap(({ node }) => node.applications);
    const codes = applications.flatMap((application) => application.payments).slice(0, 6);
    const asks: { document: any; variables: Record<string, unknown> }[] = [
      ...edges.slice(0, 6).map(({ cursor }) => ({ document: PersonsWithRelationsDocument, variables: { first: 3, after: cursor } })),
      ...documents.map((document) => ({ document: PersonByDocumentDocument, variables: { country: document.issuingCountry, number: document.number } })),
      ...applications.slice(0, 6).map((application) => ({ document: ApplicationByNumberDocument, variables: { number: application.number } })),
      ...codes.map(({ code }) => ({ document: PaymentByCodeDocument, variables: { code } })),
      ...[7, 30, 90, 30].map((expiringWithinDays) => ({ document: DashboardDocument, variables: { expiringWithinDays } })),
      ...ids.slice(0, 4).map((id) => ({ document: PersonPictureDocument, variables: { id } })),
      { document: PersonByDocumentDocument, variables: { country: 'AZE', number: 'NO-SUCH-DOCUMENT' } },
    ];
    expect(documents.length * applications.length * codes.length).toBeGreaterThan(0);
    const alone = [];
    for (const { document, variables } of asks) alone.push((await graph.query(document, variables)).body);
    const askAll = () => Promise.all(asks.map(async ({ document, variables }) => (await graph.query(document, variables)).body));
    // Once the connections are open and kept alive, the requests of a wave reach the gateway together.
    await askAll();
    await graph.writeInEveryRegistry();
    const together = await askAll();
    expect(together).toEqual(alone);
    expect(alone.filter((answer) => answer.errors).length).toBeLessThanOrEqual(1);
  });
});
