import type { GraphClient } from '../shared/graph-client';
import { startSubgraphUnderTest, type SubgraphUnderTest } from '../shared/testing/subgraph-test-app';
import { applicationsSubgraph } from './app';
import { ApplicationStore } from './application.store';
import { startOutboxRelay } from './outbox-relay';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('the outbox relay', () => {
  let subgraph: SubgraphUnderTest;
  beforeAll(async () => {
    subgraph = await startSubgraphUnderTest(applicationsSubgraph, 3);
  });
  afterAll(() => subgraph.close());

  it('keeps a message until the receiver confirms, pausing longer after each failure, and sends it once confirmed', async () => {
    const application = subgraph.histories.flatMap((h) => h.applications)[0];
    await new ApplicationStore(subgraph.db).enqueue(application.id, 'RECORD_ISSUED_PERMIT', { applicationId: application.id });
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
    } finally {
      await relay.stop();
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
});
