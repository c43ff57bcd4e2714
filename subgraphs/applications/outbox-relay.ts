import { crashPoint } from '../shared/crash-points';
import type { Database } from '../shared/db/database';
import type { GraphClient } from '../shared/graph-client';
import type { BackgroundWork } from '../shared/server/subgraph-definition';
import { ApplicationStore, type OutboxRow } from './application.store';

/** What each message asks of the receiving registry; both receivers are idempotent on the application id. */
const DELIVERY: Record<OutboxRow['kind'], string> = {
  CREATE_STATE_DUTY: `mutation CreateStateDuty($input: StateDutyInput!) { createStateDuty(input: $input) { code } }`,
  CANCEL_STATE_DUTY: `mutation CancelStateDuty($input: CancelStateDutyInput!) { cancelStateDuty(input: $input) { code } }`,
  RECORD_ISSUED_PERMIT: `mutation RecordIssuedPermit($input: IssuedPermitInput!) { recordIssuedPermit(input: $input) { number } }`,
};

export interface RelayOptions {
  db: Database;
  graph: GraphClient;
  log: (message: string, detail?: Record<string, unknown>) => void;
  intervalMs?: number;
  batchSize?: number;
}

/**
 * Delivers the outbox: messages written in the same transaction as the change that caused them, sent
 * until the receiver confirms, then marked delivered. A crash before the mark only means the message
 * is sent again, and the receiver takes it once; so every issued application gets exactly one permit
 * and every duty exactly one payment.
 */
export function startOutboxRelay({ db, graph, log, intervalMs = 250, batchSize = 50 }: RelayOptions): BackgroundWork & { deliverPending(): Promise<number> } {
  const store = new ApplicationStore(db);
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> = Promise.resolve();

  async function deliverPending(): Promise<number> {
    let delivered = 0;
    for (const message of await store.pendingOutbox(batchSize)) {
      if (stopped) break;
      try {
        await graph.query(DELIVERY[message.kind], { input: message.payload }, `outbox-${message.id}`);
        crashPoint('after-outbox-delivery');
        await store.markDelivered(message.id);
        delivered += 1;
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        await store.markFailed(message.id, reason);
        log('outbox delivery failed; will retry', { id: message.id, kind: message.kind, attempts: message.attempts + 1, reason });
      }
    }
    return delivered;
  }

  const tick = () => {
    running = deliverPending()
      .catch((error: unknown) => log('outbox relay failed', { error: String(error) }))
      .finally(() => {
        if (!stopped) timer = setTimeout(tick, intervalMs);
      });
  };
  timer = setTimeout(tick, 0);

  return {
    deliverPending,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
