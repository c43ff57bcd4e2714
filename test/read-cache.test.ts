import type { SubgraphName } from '../protocol/registries';
import { DashboardPresenceDocument, PersonPictureDocument } from './generated/operations';
import { eventually, expectData, startGraph, type RunningGraph } from './harness';

const REGISTRIES: SubgraphName[] = ['persons', 'applications', 'payments', 'permits'];

/**
 * Issue 6: the gateway keeps the registries' answers to reads asked more than once (issue 24), each
 * under the registry's state (its data's version and the day), and gives one again only after a probe
 * finds the registry still in that state (gateway/subgraph-fetch/read-cache.ts). A read must answer exactly what the registries would answer now.
 */
describe("the registries' answers kept by the gateway (issue 6)", () => {
  let graph: RunningGraph;
  let ids: string[];

  beforeAll(async () => {
    graph = await startGraph({ persons: 12 });
    ids = expectData(await graph.query<{ persons: { nodes: { id: string }[] } }>('{ persons(first: 12) { nodes { id } } }')).persons.nodes.map(({ id }) => id);
  });
  afterAll(() => graph?.stop());

  /** GraphQL requests each registry served while `run` ran. */
  async function fetchesDuring<T>(run: () => Promise<T>): Promise<{ result: T; fetches: Record<string, number> }> {
    const before = REGISTRIES.map((name) => graph.fetchCount(name));
    const result = await run();
    return { result, fetches: Object.fromEntries(REGISTRIES.map((name, index) => [name, graph.fetchCount(name) - before[index]])) };
  }
  const none = Object.fromEntries(REGISTRIES.map((name) => [name, 0]));
  const picture = async (id: string, headers?: Record<string, string>) => expectData(await graph.query(PersonPictureDocument, { id }, headers)).person;

  it('caches an answer once its read is asked a second time, then answers other officers of the agency without executing it', async () => {
    const asOfficer = async (subject: string) => fetchesDuring(async () => picture(ids[0], await graph.caller('administrator', 'ADMINISTRATION', { subject })));
    // Asked for the first time: sent, and not cached (most reads are asked once).
    const first = await asOfficer('officer-1');
    expect(Object.values(first.fetches).every((count) => count > 0)).toBe(true);
    // The second time: sent again, and now cached.
    const second = await asOfficer('officer-2');
    expect(second.fetches).toEqual(first.fetches);
    const again = await asOfficer('officer-3');
    expect(again.fetches).toEqual(none);
    expect(again.result).toEqual(first.result);
  });

  it('records each read in the audit all the same, under its own officer', async () => {
    const subject = 'officer-audited';
    const logged = async () => (await graph.audit.log.forPerson(ids[1], 100)).filter((record) => record.subject === subject).length;
    await picture(ids[1]);
    await picture(ids[1]);
    const read = async () => fetchesDuring(async () => picture(ids[1], await graph.caller('administrator', 'ADMINISTRATION', { subject })));
    expect((await read()).fetches).toEqual(none);
    expect((await read()).fetches).toEqual(none);
    expect(await logged()).toBe(2);
  });

  it('gives the next read what a write through the gateway changed, asking again only the registry written', async () => {
    await picture(ids[2]);
    const before = (await picture(ids[2]))!;
    const police = await graph.caller('police', 'PUBLIC_ORDER');
    const fine = expectData(
      await graph.query<{ issueFine: { paymentCode: string } }>(
        `mutation($input: IssueFineInput!) { issueFine(input: $input) { paymentCode } }`,
        { input: { personId: ids[2], offence: 'OVERSTAY', legalArticle: 'İXM 575.1', amount: '300.00', idempotencyKey: 'read-cache-fine-1' } },
        police,
      ),
    ).issueFine;
    const after = await fetchesDuring(() => picture(ids[2]));
    expect(after.result!.outstandingFines).toEqual([...before.outstandingFines!, { offence: 'OVERSTAY', amount: { amount: '300.00', currency: 'AZN' }, paymentCode: fine.paymentCode, outstanding: true }]);
    expect(after.fetches).toMatchObject({ persons: 0, applications: 0, permits: 0 });
    expect(after.fetches.payments).toBeGreaterThan(0);

    // Paid at a bank: the fine is no longer outstanding at the next read.
    await graph.query(
      `mutation($input: RecordPaymentInput!) { recordPayment(input: $input) { status } }`,
      { input: { code: fine.paymentCode, channel: 'BANK_BRANCH', amount: '300.00', idempotencyKey: 'read-cache-bank-1' } },
      await graph.caller('bank', 'PAYMENT_PROCESSING'),
    );
    expect((await picture(ids[2]))!.outstandingFines).toEqual(before.outstandingFines);
  });

  it('keeps the answers for one agency and scopes from callers with others', async () => {
    const query = '{ person(id: "ID") { id surname legalStatus { outcome } } }';
    const administrator = await fetchesDuring(() => graph.query(query.replace('ID', ids[3])));
    expect(administrator.fetches.persons).toBeGreaterThan(0);
    const border = await fetchesDuring(async () => graph.query(query.replace('ID', ids[3]), {}, await graph.caller('border-service', 'BORDER_CONTROL')));
    expect(border.fetches.persons).toBeGreaterThan(0);
    expect(expectData(border.result).person).toEqual(expectData(administrator.result).person);
    // A token of the same agency with fewer scopes is another kind of caller too.
    const narrower = await fetchesDuring(async () =>
      graph.query(query.replace('ID', ids[3]), {}, await graph.caller('border-service', 'BORDER_CONTROL', { scopes: ['persons:read', 'status:read'] })),
    );
    expect(narrower.fetches.persons).toBeGreaterThan(0);
  });

  it('asks the registries every time when it keeps nothing (READ_CACHE=off)', async () => {
    const uncached = await startGraph({ persons: 3, readCacheBytes: 0 });
    try {
      const id = expectData(await uncached.query<{ persons: { nodes: { id: string }[] } }>('{ persons(first: 1) { nodes { id } } }')).persons.nodes[0].id;
      await uncached.query(PersonPictureDocument, { id });
      const before = uncached.fetchCount('permits');
      await uncached.query(PersonPictureDocument, { id });
      expect(uncached.fetchCount('permits') - before).toBeGreaterThan(0);
    } finally {
      await uncached.stop();
    }
  });

  it('gives no kept answer of a registry that cannot be reached: its fields are reported missing', async () => {
    await picture(ids[4]);
    await graph.subgraphs.payments!.app.close();
    const response = await graph.query(PersonPictureDocument, { id: ids[4] });
    expect(response.body.data?.person?.outstandingFines ?? null).toBeNull();
    expect(response.body.errors?.map((error) => error.extensions?.code)).toContain('SUBGRAPH_UNAVAILABLE');
  });
});

/**
 * The permits registry's presence refresher writes its status as bookkeeping (Database.bookkeeping): its
 * passes, idle ones too, leave the registry's state, so they make nothing kept stale; and the answers
 * worked out from that status say they are not to be kept (Cache-Control: no-store), so none is kept.
 */
describe("the answers kept across the presence refresher's passes", () => {
  let graph: RunningGraph;

  beforeAll(async () => {
    graph = await startGraph({ persons: 12, presence: { intervalMs: 100 } });
  }, 600_000);
  afterAll(() => graph?.stop());

  it('keeps answering a person kept before three passes without asking any registry, and asks permits for every presence count', async () => {
    const id = expectData(await graph.query<{ persons: { nodes: { id: string }[] } }>('{ persons(first: 1) { nodes { id } } }')).persons.nodes[0].id;
    const picture = () => graph.query(PersonPictureDocument, { id });
    await picture();
    await picture();
    const dashboard = await graph.caller('internal-dashboard', 'STATISTICS');
    const passes = new Set<string>();
    let countsRead = 0;
    let permitsAsked = 0;
    await eventually(async () => {
      const before = graph.fetchCount('permits');
      const { statusAsOf } = expectData(await graph.query(DashboardPresenceDocument, {}, dashboard)).presenceStatistics;
      countsRead += 1;
      permitsAsked += graph.fetchCount('permits') - before;
      passes.add(statusAsOf);
      return passes.size >= 3;
    }, 'three refresher passes', 60_000);
    expect(permitsAsked).toBe(countsRead);

    // The persons registry is left out: the refresher itself reads its feed through the gateway meanwhile.
    const asked = REGISTRIES.filter((name) => name !== 'persons');
    const before = asked.map((name) => graph.fetchCount(name));
    const again = await picture();
    expect(expectData(again).person?.id).toBe(id);
    expect(asked.map((name) => graph.fetchCount(name))).toEqual(before);
  });
});
