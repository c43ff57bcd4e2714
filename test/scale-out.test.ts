import { demoRules } from '../demo/demo-rules';
import { demoHistory } from '../demo/world';
import { sharedRateLimiter, type RateLimiter } from '../gateway/features/rate-limit/rate-limit';
import { freshServerDatabase } from '../platform/testing/subgraph-test-app';
import { SUBGRAPH_NAMES, type SubgraphName } from '../protocol/registries';
import { SIGNATURE_HEADER } from '../protocol/request-signing';
import { eventually, expectData, payStateDuty, REFERENCE_DATE, startGraph, type AnotherGateway, type RunningGraph } from './harness';

/**
 * Issue 22, item 5: several gateway processes and several applications processes on one PostgreSQL
 * server work as one graph. Two gateways (each with its own connection pool to the rate budgets, as
 * two processes would have) and two applications processes (each with its own pool and outbox relay)
 * share the registries' databases: one rate budget per agency, each issued application's permit
 * recorded once with every outbox message delivered, a replay refused by either process, and one intact audit chain. Runs when
 * TEST_DATABASE_URL names a server (CI starts one).
 */
const serverUrl = process.env.TEST_DATABASE_URL;
const onServer = serverUrl ? describe : describe.skip;
const SEED = 'scale-out';
const PERSONS = 30;
const BUDGET = 30;

onServer('two gateways and two applications processes on one PostgreSQL server', () => {
  let graph: RunningGraph;
  let second: AnotherGateway;
  let secondApplications: { url: string };
  const limiters: RateLimiter[] = [];
  const databases: Awaited<ReturnType<typeof freshServerDatabase>>[] = [];
  beforeAll(async () => {
    const databaseUrls: Partial<Record<SubgraphName, string>> = {};
    for (const name of SUBGRAPH_NAMES) {
      const database = await freshServerDatabase(serverUrl!, name);
      databases.push(database);
      databaseUrls[name] = database.url;
    }
    const budgets = await freshServerDatabase(serverUrl!, 'ratelimit');
    databases.push(budgets);
    const limits = { perAgencyPerMinute: BUDGET, anonymousPerMinute: BUDGET };
    limiters.push(await sharedRateLimiter(limits, budgets.url), await sharedRateLimiter(limits, budgets.url));
    graph = await startGraph({ persons: PERSONS, seed: SEED, databaseUrls, rateLimiter: limiters[0] });
    secondApplications = await graph.addRegistry('applications');
    second = await graph.addGateway({ subgraphUrls: { applications: secondApplications.url }, rateLimiter: limiters[1] });
  });
  afterAll(async () => {
    await graph?.stop();
    for (const limiter of limiters) await limiter.close();
    for (const database of databases) await database.drop();
  });

  it("counts an agency's requests through both gateways against one budget", async () => {
    const police = await graph.caller('police', 'PUBLIC_ORDER');
    const statuses: number[] = [];
    for (let i = 0; i < BUDGET; i += 1) {
      statuses.push((await graph.query('{ __typename }', {}, police)).status, (await second.query('{ __typename }', {}, police)).status);
    }
    // Each gateway alone would have let all BUDGET of its own through.
    expect(statuses.filter((status) => status === 200)).toHaveLength(BUDGET);
    expect(statuses.filter((status) => status === 429)).toHaveLength(BUDGET);
  });

  it('issues applications through both gateways and both applications processes: one permit each, every message delivered once', async () => {
    const waiting = Array.from({ length: PERSONS }, (_, index) => demoHistory(SEED, index, REFERENCE_DATE, demoRules))
      .flatMap((history) => history.applications)
      .filter((application) => application.status === 'SUBMITTED' && !application.type.startsWith('CITIZENSHIP') && application.type !== 'REGISTRATION_BY_PLACE_OF_STAY')
      .slice(0, 4);
    expect(waiting.length).toBeGreaterThanOrEqual(2);
    const gateways = [graph, second];
    for (const [index, application] of waiting.entries()) {
      const through = gateways[index % 2];
      const step = async (mutation: string, extra = '') =>
        expectData(await through.query(`mutation($id: ID!) { ${mutation}(id: $id, officer: "Scale Out"${extra}) { status } }`, { id: application.id }));
      await step('takeApplicationForReview');
      await step('approveApplication');
      await payStateDuty(graph, application.id);
      expect(await step('issueApplication', ', validUntil: "2027-12-31"')).toEqual({ issueApplication: { status: 'ISSUED' } });
    }
    const permits = graph.subgraphs.permits!.db;
    const applications = graph.subgraphs.applications!.db;
    const ids = waiting.map((application) => application.id);
    await eventually(
      async () =>
        (await applications.query<{ n: number }>('test.undelivered', `select count(*)::int as n from outbox where application_id = any($1::uuid[]) and delivered_at is null`, [ids]))[0].n === 0,
      'every outbox message to be delivered',
      60_000,
    );
    const counts = await permits.query<{ applicationId: string; n: number }>(
      'test.permits',
      `select application_id as "applicationId", count(*)::int as n from permits where application_id = any($1::uuid[]) group by application_id`,
      [ids],
    );
    expect(counts.map((row) => row.n)).toEqual(ids.map(() => 1));
    // Each message was sent by one relay once: no message was attempted after it was delivered.
    const sends = await applications.query<{ attempts: number }>('test.attempts', `select attempts from outbox where application_id = any($1::uuid[])`, [ids]);
    expect(sends.every((row) => row.attempts === 0)).toBe(true);
  });

  it('refuses a signed request replayed to the other applications process (issue 18, item 3)', async () => {
    const body = JSON.stringify({ query: '{ __typename }' });
    const headers = { 'content-type': 'application/json', [SIGNATURE_HEADER]: graph.signAsGateway({ audience: 'applications', body }) };
    const send = (url: string) => fetch(url, { method: 'POST', headers, body });
    expect((await send(graph.subgraphs.applications!.url)).status).toBe(200);
    const replayed = await send(secondApplications.url);
    expect({ status: replayed.status, body: await replayed.json() }).toMatchObject({ status: 401, body: { errors: [{ message: 'Refused: replayed signature.' }] } });
  });

  it('keeps one intact audit chain for the reads of both gateways', async () => {
    const officer = await graph.caller('migration-officer', 'CASE_PROCESSING');
    const { persons } = expectData(await graph.query('{ persons(first: 10) { nodes { id } } }'));
    await Promise.all(
      (persons.nodes as { id: string }[]).flatMap(({ id }) => [
        graph.query('query($id: ID!) { person(id: $id) { surname } }', { id }, officer),
        second.query('query($id: ID!) { person(id: $id) { surname } }', { id }, officer),
      ]),
    );
    const check = await graph.audit.log.verify();
    expect(check).toMatchObject({ intact: true });
    expect((check as { records: number }).records).toBeGreaterThanOrEqual(20);
  });
});
