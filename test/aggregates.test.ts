import { randomBytes } from 'node:crypto';
import { CursorCodec } from '../platform/pagination';
import { DashboardDocument } from './generated/operations';
import { expectData, startGraph, type RunningGraph } from './harness';

/**
 * Issue 18, items 1 and 6, through the gateway over HTTP: a caller who may only count (the internal
 * dashboard: aggregates:read, purpose STATISTICS) gets counts, never a position in the list, a
 * question about one person, or a count under AGGREGATE_MIN_COUNT (10 by default); and every cursor
 * is sealed, so none can be read, made up or changed.
 */
describe('aggregates reveal no individual; cursors are opaque (issue 18)', () => {
  let graph: RunningGraph;
  let dashboard: Record<string, string>;
  let people: { id: string; surname: string; birthDate: string; citizenship: string | null }[];
  const THRESHOLD = 10;

  beforeAll(async () => {
    graph = await startGraph({ persons: 30 });
    dashboard = await graph.caller('internal-dashboard', 'STATISTICS');
    people = (expectData(await graph.query('{ persons(first: 100) { nodes { id surname birthDate citizenship } } }')) as any).persons.nodes;
  }, 180_000);
  afterAll(() => graph.stop());

  const codes = (body: { errors?: { extensions?: Record<string, unknown> }[] }) => (body.errors ?? []).map((error) => [error.extensions?.code, error.extensions?.field]);
  const readableCursor = (key: string) => Buffer.from(JSON.stringify({ l: 'persons', k: key })).toString('base64url');
  /** The administrator's cursor pointing at the first person (a reader of persons pages with it). */
  const firstCursor = async () => (expectData(await graph.query('{ persons(first: 1) { pageInfo { endCursor } } }')) as any).persons.pageInfo.endCursor as string;

  describe('the dashboard counts, and asks nothing about one person', () => {
    it('cannot run the binary search of the red-team report: no endCursor, no after', async () => {
      const target = people[0];
      const attack = await graph.query(
        `query($c: String, $p: String, $from: Date, $to: Date, $cit: CountryCode) {
           persons(first: 1, after: $c, filter: { surnamePrefix: $p, bornFrom: $from, bornTo: $to, citizenship: $cit }) { totalCount pageInfo { endCursor } } }`,
        { c: await firstCursor(), p: target.surname.slice(0, 2), from: target.birthDate, to: target.birthDate, cit: target.citizenship },
        dashboard,
      );
      expect(attack.body.data ?? null).toBeNull();
      expect(codes(attack.body)).toContainEqual(['FORBIDDEN', 'PersonConnection.pageInfo']);
      expect(JSON.stringify(attack.body)).not.toMatch(/endCursor"\s*:\s*"/);
    });

    it('gets no page position: pageInfo is FORBIDDEN', async () => {
      const { body } = await graph.query('{ persons(first: 1) { pageInfo { endCursor hasNextPage } } }', undefined, dashboard);
      expect(body.data ?? null).toBeNull();
      expect(body.errors).toEqual([expect.objectContaining({ path: ['persons', 'pageInfo'], extensions: expect.objectContaining({ code: 'FORBIDDEN' }) })]);
    });

    it('may not pass a cursor, even one a reader was given', async () => {
      const { body } = await graph.query('query($c: String) { persons(first: 1, after: $c) { totalCount } }', { c: await firstCursor() }, dashboard);
      expect(body.data ?? null).toBeNull();
      expect(codes(body)).toEqual([['FORBIDDEN', 'after']]);
    });

    it('may not filter by surname, nor by birth dates finer than whole years', async () => {
      const target = people[0];
      const surname = await graph.query('query($p: String) { persons(filter: { surnamePrefix: $p }) { totalCount } }', { p: target.surname.slice(0, 3) }, dashboard);
      expect(codes(surname.body)).toEqual([['FORBIDDEN', 'filter.surnamePrefix']]);
      const day = await graph.query('query($d: Date) { persons(filter: { bornFrom: $d, bornTo: $d }) { totalCount } }', { d: target.birthDate }, dashboard);
      expect(codes(day.body)).toEqual([['FORBIDDEN', 'filter.bornFrom']]);
      const to = await graph.query('{ persons(filter: { bornFrom: "1990-01-01", bornTo: "1990-06-30" }) { totalCount } }', undefined, dashboard);
      expect(codes(to.body)).toEqual([['FORBIDDEN', 'filter.bornTo']]);
      const years = await graph.query('{ persons(filter: { bornFrom: "1900-01-01", bornTo: "2100-12-31" }) { totalCount suppressedBelow } }', undefined, dashboard);
      expect(expectData(years)).toEqual({ persons: { totalCount: people.length, suppressedBelow: THRESHOLD } });
    });

    it('gets no count under the threshold (an empty group included), and is told below which number counts are withheld', async () => {
      const bySize = new Map<string, number>();
      for (const person of people) if (person.citizenship) bySize.set(person.citizenship, (bySize.get(person.citizenship) ?? 0) + 1);
      const [small, size] = [...bySize].find(([, count]) => count < THRESHOLD)!;
      const count = `query($c: CountryCode) { persons(filter: { citizenship: $c }) { totalCount suppressedBelow } }`;
      expect(expectData(await graph.query(count, { c: small }, dashboard))).toEqual({ persons: { totalCount: null, suppressedBelow: THRESHOLD } });
      expect(expectData(await graph.query(count, { c: 'ISL' }, dashboard))).toEqual({ persons: { totalCount: null, suppressedBelow: THRESHOLD } });
      expect(expectData(await graph.query(count, {}, dashboard))).toEqual({ persons: { totalCount: people.length, suppressedBelow: THRESHOLD } });
      // A reader of persons counts exactly.
      expect(expectData(await graph.query(count, { c: small }))).toEqual({ persons: { totalCount: size, suppressedBelow: null } });
      expect(expectData(await graph.query(count, { c: 'ISL' }))).toEqual({ persons: { totalCount: 0, suppressedBelow: null } });
    });

    it("withholds the registries' statistics under the threshold too, and gives a reader of the records every count", async () => {
      const withheld = expectData(await graph.query(DashboardDocument, {}, dashboard));
      const whole = expectData(await graph.query(DashboardDocument, {}));
      const counts = (statistics: typeof whole) => [
        statistics.applicationStatistics.open,
        statistics.applicationStatistics.overdue,
        ...statistics.applicationStatistics.byStatus.map((row) => row.count),
        ...statistics.permitStatistics.byKind.flatMap((row) => [row.inForce, row.expiring]),
        statistics.paymentStatistics.outstandingFines,
        statistics.paymentStatistics.unpaidStateDuties,
      ];
      const exact = counts(whole) as number[];
      expect(exact.every((count) => Number.isInteger(count))).toBe(true);
      expect(counts(withheld)).toEqual(exact.map((count) => (count >= THRESHOLD ? count : null)));
      // Not vacuous: this world has counts on both sides of the threshold.
      expect(exact.some((count) => count < THRESHOLD) && exact.some((count) => count >= THRESHOLD)).toBe(true);
      const markers = (statistics: typeof whole) =>
        [statistics.applicationStatistics, statistics.permitStatistics, statistics.paymentStatistics].map((part) => part.suppressedBelow);
      expect(markers(withheld)).toEqual([THRESHOLD, THRESHOLD, THRESHOLD]);
      expect(markers(whole)).toEqual([null, null, null]);
      for (const [count, amounts] of [
        [withheld.paymentStatistics.outstandingFines, withheld.paymentStatistics.outstandingFineAmounts],
        [withheld.paymentStatistics.unpaidStateDuties, withheld.paymentStatistics.unpaidStateDutyAmounts],
      ] as const) {
        if (count === null) expect(amounts).toBeNull();
      }
    });
  });

  describe('cursors are sealed', () => {
    it('name no person, and still page a reader through the list', async () => {
      const first = (expectData(await graph.query('{ persons(first: 3) { nodes { id } pageInfo { endCursor } } }')) as any).persons;
      const again = await firstCursor();
      const ids = first.nodes.map((node: { id: string }) => node.id);
      for (const cursor of [first.pageInfo.endCursor, again]) {
        const bytes = Buffer.from(cursor, 'base64url').toString('latin1');
        expect(`${cursor} ${bytes}`).not.toMatch(/persons|"k"|"l"/);
        for (const id of ids) expect(`${cursor} ${bytes}`).not.toContain(id.slice(0, 8));
      }
      const next = (expectData(await graph.query('query($c: String) { persons(first: 3, after: $c) { nodes { id } } }', { c: first.pageInfo.endCursor })) as any).persons;
      const expected = people.map((person) => person.id).sort();
      expect([...ids, ...next.nodes.map((node: { id: string }) => node.id)]).toEqual(expected.slice(0, 6));
    });

    it('refuse a cursor made from an id, changed, or sealed under another key: BAD_USER_INPUT on after', async () => {
      const genuine = await firstCursor();
      const middle = Math.floor(genuine.length / 2);
      const changed = `${genuine.slice(0, middle)}${genuine[middle] === 'A' ? 'B' : 'A'}${genuine.slice(middle + 1)}`;
      const foreign = () => new CursorCodec(randomBytes(32).toString('hex'), 'persons').encode('persons', people[1].id);
      // In this order: the readable cursor (the red team's) first.
      for (const make of [() => readableCursor(people[1].id), () => changed, foreign]) {
        const cursor = make();
        const { body } = await graph.query('query($c: String) { persons(first: 1, after: $c) { nodes { id } } }', { c: cursor });
        expect(body.data ?? null).toBeNull();
        expect(codes(body)).toEqual([['BAD_USER_INPUT', 'after']]);
      }
    });

    it('refuse a well-formed cursor whose key is no UUID with BAD_USER_INPUT, not an internal error with SQL (item 6)', async () => {
      for (const key of ['not-a-uuid', "1' or '1'='1", '']) {
        const response = await graph.query('query($c: String) { persons(first: 1, after: $c) { nodes { id } } }', { c: readableCursor(key) });
        expect(response.status).toBeLessThan(500);
        expect(codes(response.body)).toEqual([['BAD_USER_INPUT', 'after']]);
        expect(JSON.stringify(response.body)).not.toMatch(/uuid|syntax|select|stack|INTERNAL/i);
      }
    });
  });
});
