import { CLAIMS_HEADER } from '../../protocol/headers';
import { encodeClaims } from '../../protocol/claims';
import { GraphClientError, type GraphClient } from '../../platform/graph-client';
import { DATABASE_TARGETS, startSubgraphUnderTest, type SubgraphUnderTest } from '../../platform/testing/subgraph-test-app';
import { openDatabase, type Database } from '../../platform/db/database';
import { applicationsSubgraph } from './app';
import { ApplicationStore } from './application.store';
import { startOpsServer } from '../../platform/telemetry/ops-server';
import { startTelemetry } from '../../platform/telemetry/telemetry';
import { isRefusal, REFUSALS_BEFORE_SET_ASIDE, startOutboxRelay } from './outbox-relay';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
// The backlog gauges are read from this process's telemetry (the relay observes its store when it starts).
const telemetry = startTelemetry({ service: 'dmx-applications', env: {} });

describe('the outbox relay', () => {
  let subgraph: SubgraphUnderTest;
  beforeAll(async () => {
    subgraph = await startSubgraphUnderTest(applicationsSubgraph, 10);
  });
  afterAll(() => subgraph.close());

  it('keeps a message until the receiver confirms, pausing longer after each failure, and sends it once confirmed', async () => {
    const application = subgraph.histories.flatMap((h) => h.applications)[0];
    await new ApplicationStore(subgraph.db).enqueue(application.id, 'RECORD_ISSUED_PERMIT', { applicationId: application.id });
    // The message is data, written with its cause; its delivery is bookkeeping (OutboxStore).
    const version = await subgraph.db.dataVersion();
    let calls = 0;
    let reachable = false;
    const graph: GraphClient = {
      async query<Data>(operation: string, variables: Record<string, unknown>) {
        calls += 1;
        expect(operation).toContain('recordIssuedPermit');
        expect(variables).toEqual({ input: { applicationId: application.id } });
        if (!reachable) throw new Error('permits registry unreachable');
        return {} as Data;
      },
    };
    const logged: string[] = [];
    const relay = startOutboxRelay({ db: subgraph.db, graph, log: (message) => logged.push(message), intervalMs: 20 });
    const state = async () =>
      (
        await subgraph.db.query<{ attempts: number; lastError: string | null; delivered: boolean }>(
          'test.outbox',
          `select attempts, last_error as "lastError", delivered_at is not null as delivered from outbox where application_id = $1`,
          [application.id],
        )
      )[0];
    try {
      await sleep(400);
      // Twenty ticks passed, but after a failure the message waits (1 s after the first).
      expect(calls).toBe(1);
      expect(await state()).toEqual({ attempts: 1, lastError: expect.stringContaining('unreachable'), delivered: false });
      expect(logged).toHaveLength(1);

      reachable = true;
      await sleep(1500);
      expect(calls).toBe(2);
      expect(await state()).toMatchObject({ attempts: 1, lastError: null, delivered: true });
      await sleep(200);
      expect(calls).toBe(2);
      // Claims, a failure and the delivery made no new data version: the gateway's kept answers stay good.
      expect(await subgraph.db.dataVersion()).toBe(version);
    } finally {
      await relay.stop();
    }
  });

  it('shows operators the backlog: messages waiting, set aside, and the age of the oldest', async () => {
    const application = subgraph.histories.flatMap((h) => h.applications)[5];
    await new ApplicationStore(subgraph.db).enqueue(application.id, 'CREATE_STATE_DUTY', { applicationId: application.id });
    const graph: GraphClient = { query: () => Promise.reject(new Error('payments registry unreachable')) };
    const relay = startOutboxRelay({ db: subgraph.db, graph, log: () => undefined, intervalMs: 20 });
    const ops = await startOpsServer({ port: 0, host: '127.0.0.1', telemetry, ready: async () => ({ ready: true, checks: {} }) });
    try {
      const text = await (await fetch(new URL('metrics', ops.url))).text();
      expect(text).toMatch(/dmx_outbox_messages\{[^}]*dmx_outbox_state="waiting"[^}]*\} [1-9]/);
      expect(text).toMatch(/dmx_outbox_messages\{[^}]*dmx_outbox_state="set_aside"[^}]*\} \d+/);
      expect(text).toMatch(/dmx_outbox_oldest_waiting_age\{[^}]*\} [\d.e+-]+/);
    } finally {
      await ops.close();
      await relay.stop();
      await subgraph.db.query('test.outbox-clear', `update outbox set delivered_at = now() where application_id = $1`, [application.id]);
    }
  });

  it("sends an application's messages in the order written: a cancellation waits behind an undelivered bill", async () => {
    const application = subgraph.histories.flatMap((h) => h.applications)[1];
    const store = new ApplicationStore(subgraph.db);
    await store.enqueue(application.id, 'CREATE_STATE_DUTY', { applicationId: application.id });
    await store.enqueue(application.id, 'CANCEL_STATE_DUTY', { applicationId: application.id });
    const delivered: string[] = [];
    let billingDown = true;
    const graph: GraphClient = {
      async query<Data>(operation: string) {
        const kind = operation.includes('createStateDuty') ? 'bill' : 'cancel';
        if (kind === 'bill' && billingDown) throw new Error('payments registry unreachable');
        delivered.push(kind);
        return {} as Data;
      },
    };
    const relay = startOutboxRelay({ db: subgraph.db, graph, log: () => undefined, intervalMs: 20 });
    try {
      await sleep(400);
      expect(delivered).toEqual([]);
      billingDown = false;
      await sleep(1500);
      expect(delivered).toEqual(['bill', 'cancel']);
    } finally {
      await relay.stop();
    }
  });

  describe('a message its receiver keeps refusing (nothing lost, nothing stuck)', () => {
    const state = async (applicationId: string) =>
      (
        await subgraph.db.query<{ id: number; attempts: number; refusals: number; dead: boolean; delivered: boolean }>(
          'test.outbox-state',
          `select id, attempts, refusals, dead_at is not null as dead, delivered_at is not null as delivered from outbox where application_id = $1`,
          [applicationId],
        )
      )[0];
    /** Makes the message due again at once (instead of waiting out its pause). */
    const due = (id: number) => subgraph.db.query('test.outbox-due', 'update outbox set last_attempt_at = null where id = $1', [id]);

    it(`is set aside after ${REFUSALS_BEFORE_SET_ASIDE} refusals in a row, listed for operators, and redelivered on request`, async () => {
      const application = subgraph.histories.flatMap((h) => h.applications)[2];
      await new ApplicationStore(subgraph.db).enqueue(application.id, 'RECORD_ISSUED_PERMIT', { applicationId: application.id });
      let accept = false;
      let calls = 0;
      const graph: GraphClient = {
        async query<Data>() {
          calls += 1;
          if (!accept) throw new GraphClientError('validUntil: must be after validFrom', ['BAD_USER_INPUT']);
          return {} as Data;
        },
      };
      const relay = startOutboxRelay({ db: subgraph.db, graph, log: () => undefined, intervalMs: 10 });
      try {
        for (let refusal = 1; refusal <= REFUSALS_BEFORE_SET_ASIDE; refusal += 1) {
          await eventuallyTrue(async () => (await state(application.id)).refusals === refusal);
          await due((await state(application.id)).id);
        }
        expect(await state(application.id)).toMatchObject({ refusals: REFUSALS_BEFORE_SET_ASIDE, dead: true, delivered: false });
        await sleep(200);
        expect(calls).toBe(REFUSALS_BEFORE_SET_ASIDE); // set aside: no longer tried

        // Asked over HTTP as the gateway asks: an answer read from the delivery state says not to be kept.
        const asked = await subgraph.app.inject({
          method: 'POST',
          url: '/graphql',
          headers: { 'content-type': 'application/json' },
          payload: { query: `{ undeliveredMessages { id kind attempts lastError setAside application { id } } }` },
        });
        expect(asked.headers['cache-control']).toBe('no-store');
        const listed = asked.json();
        const message = listed.data.undeliveredMessages.find((m: { application: { id: string } }) => m.application.id === application.id);
        expect(message).toMatchObject({ kind: 'RECORD_ISSUED_PERMIT', attempts: REFUSALS_BEFORE_SET_ASIDE, setAside: true, lastError: expect.stringContaining('validUntil') });

        // An officer without operations:admin may not see or redeliver it (the subgraph's own check).
        const officer = { [CLAIMS_HEADER]: encodeClaims({ agency: 'migration-officer', subject: 'o', scopes: ['applications:read', 'applications:write'] }) };
        const refused = await subgraph.client.query(`mutation($id: ID!) { redeliverMessage(id: $id) }`, { variables: { id: message.id }, headers: officer });
        expect(refused.errors?.[0].extensions?.code).toBe('FORBIDDEN');

        accept = true;
        const redelivered = await subgraph.client.query(`mutation($id: ID!) { redeliverMessage(id: $id) }`, { variables: { id: message.id } });
        expect(redelivered.data).toEqual({ redeliverMessage: true });
        await eventuallyTrue(async () => (await state(application.id)).delivered);
        const again = await subgraph.client.query(`mutation($id: ID!) { redeliverMessage(id: $id) }`, { variables: { id: message.id } });
        expect(again.errors?.[0].extensions?.code).toBe('NOT_FOUND');
      } finally {
        await relay.stop();
      }
    });

    it('an outage is never a refusal: the message is retried for as long as it lasts', async () => {
      const application = subgraph.histories.flatMap((h) => h.applications)[3];
      await new ApplicationStore(subgraph.db).enqueue(application.id, 'RECORD_ISSUED_PERMIT', { applicationId: application.id });
      const graph: GraphClient = {
        async query<Data>(): Promise<Data> {
          throw new GraphClientError('The permits registry is unavailable', ['SUBGRAPH_UNAVAILABLE']);
        },
      };
      const relay = startOutboxRelay({ db: subgraph.db, graph, log: () => undefined, intervalMs: 10 });
      try {
        for (let attempt = 1; attempt <= REFUSALS_BEFORE_SET_ASIDE + 3; attempt += 1) {
          await eventuallyTrue(async () => (await state(application.id)).attempts === attempt);
          await due((await state(application.id)).id);
        }
        expect(await state(application.id)).toMatchObject({ refusals: 0, dead: false });
        expect(isRefusal(new GraphClientError('x', ['SUBGRAPH_UNAVAILABLE']))).toBe(false);
        expect(isRefusal(new GraphClientError('x', []))).toBe(false);
        expect(isRefusal(new GraphClientError('x', ['BAD_USER_INPUT', 'INTERNAL_SERVER_ERROR']))).toBe(false);
        expect(isRefusal(new GraphClientError('x', ['INVALID_TRANSITION']))).toBe(true);
      } finally {
        await relay.stop();
      }
    });

    it('refuses malformed and unknown message ids clearly', async () => {
      const malformed = await subgraph.client.query(`mutation { redeliverMessage(id: "abc") }`);
      expect(malformed.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
      const unknown = await subgraph.client.query(`mutation { redeliverMessage(id: "999999") }`);
      expect(unknown.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    });
  });
});

async function eventuallyTrue(check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('timed out');
    await sleep(20);
  }
}

describe.each(DATABASE_TARGETS)('several relays on one %s database (several applications processes)', (_kind, serverUrl) => {
  let subgraph: SubgraphUnderTest;
  let second: Database | undefined;
  beforeAll(async () => {
    subgraph = await startSubgraphUnderTest(applicationsSubgraph, 30, { serverUrl, backgroundWork: false });
    // On a server, the second relay has a pool of its own, as another process would.
    second = subgraph.databaseUrl ? await openDatabase({ url: subgraph.databaseUrl, maxConnections: 4 }) : undefined;
  }, 120_000);
  afterAll(async () => {
    await second?.close();
    await subgraph.close();
  });

  it('sends each message once, whichever relay claims it', async () => {
    const store = new ApplicationStore(subgraph.db);
    const applications = subgraph.histories.flatMap((h) => h.applications).slice(0, 24);
    for (const application of applications) await store.enqueue(application.id, 'RECORD_PERSON_FACTS', { applicationId: application.id });
    const sent = new Map<string, string[]>();
    const graphOf = (relay: string): GraphClient => ({
      async query<Data>(_operation: string, variables: Record<string, unknown>) {
        const { applicationId } = variables.input as { applicationId: string };
        sent.set(applicationId, [...(sent.get(applicationId) ?? []), relay]);
        await sleep(5); // a receiver takes a moment: the relays overlap
        return {} as Data;
      },
    });
    const relays = [
      startOutboxRelay({ db: subgraph.db, graph: graphOf('a'), log: () => undefined, intervalMs: 5, batchSize: 4 }),
      startOutboxRelay({ db: second ?? subgraph.db, graph: graphOf('b'), log: () => undefined, intervalMs: 5, batchSize: 4 }),
    ];
    try {
      await eventuallyTrue(async () => applications.every((application) => sent.has(application.id)));
      await sleep(200);
    } finally {
      await Promise.all(relays.map((relay) => relay.stop()));
    }
    expect([...sent.values()].filter((relays) => relays.length !== 1)).toEqual([]);
    const [{ undelivered, claimed }] = await subgraph.db.query<{ undelivered: number; claimed: number }>(
      'test.outbox-left',
      `select count(*) filter (where delivered_at is null)::int as undelivered, count(*) filter (where claimed_until is not null)::int as claimed from outbox where kind = 'RECORD_PERSON_FACTS'`,
    );
    expect({ undelivered, claimed }).toEqual({ undelivered: 0, claimed: 0 });
    if (subgraph.db.kind === 'postgres') {
      // On a server both relays did part of the work (each claims a few at a time).
      expect(new Set([...sent.values()].flat())).toEqual(new Set(['a', 'b']));
    }
  });

  it('a relay stopped mid-batch gives its claims back at once', async () => {
    const store = new ApplicationStore(subgraph.db);
    const applications = subgraph.histories.flatMap((h) => h.applications).slice(24, 30);
    for (const application of applications) await store.enqueue(application.id, 'RECORD_PERSON_FACTS', { applicationId: application.id });
    let relay: ReturnType<typeof startOutboxRelay> | undefined;
    let stopping: Promise<void> | undefined;
    const graph: GraphClient = {
      async query<Data>() {
        // The first message is being sent when the relay is told to stop.
        stopping ??= relay!.stop();
        return {} as Data;
      },
    };
    relay = startOutboxRelay({ db: subgraph.db, graph, log: () => undefined, intervalMs: 5, batchSize: 6 });
    await eventuallyTrue(async () => stopping !== undefined);
    await stopping;
    const rows = await subgraph.db.query<{ delivered: boolean; claimed: boolean }>(
      'test.outbox-after-stop',
      `select delivered_at is not null as delivered, claimed_until is not null as claimed from outbox where application_id = any($1::uuid[]) order by id`,
      [applications.map((application) => application.id)],
    );
    expect(rows.filter((row) => row.delivered)).toHaveLength(1);
    expect(rows.filter((row) => row.claimed)).toEqual([]);
  });
});
