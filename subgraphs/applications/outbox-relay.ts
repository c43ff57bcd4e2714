import { crashPoint } from '../../platform/crash-points';
import type { Database } from '../../platform/db/database';
import { GraphClientError, type GraphClient } from '../../platform/graph-client';
import type { BackgroundLog, BackgroundWork } from '../../platform/server/subgraph-definition';
import { repeatPass } from '../../platform/server/repeated-pass';
import { telemetry } from '../../platform/telemetry/telemetry';
import { OutboxStore, type OutboxRow } from './outbox.store';

/** What each message asks of the receiving registry; both receivers are idempotent on the application id. */
const DELIVERY: Record<OutboxRow['kind'], string> = {
  CREATE_STATE_DUTY: `mutation CreateStateDuty($input: StateDutyInput!) { createStateDuty(input: $input) { code } }`,
  CANCEL_STATE_DUTY: `mutation CancelStateDuty($input: CancelStateDutyInput!) { cancelStateDuty(input: $input) { code } }`,
  RECORD_ISSUED_PERMIT: `mutation RecordIssuedPermit($input: IssuedPermitInput!) { recordIssuedPermit(input: $input) { number } }`,
  RECORD_PERSON_FACTS: `mutation RecordPersonFacts($input: RecordPersonFactsInput!) { recordPersonFacts(input: $input) { id } }`,
};

/**
 * Answers that say the receiver will refuse this message however often it is sent: the message
 * itself is wrong (or no longer allowed), not the moment. Anything else (unreachable, unavailable,
 * internal) is a moment, retried for as long as it lasts.
 */
const REFUSALS = new Set(['BAD_USER_INPUT', 'INVALID_TRANSITION', 'IDEMPOTENCY_KEY_REUSED', 'NOT_FOUND', 'FORBIDDEN', 'UNAUTHENTICATED', 'GRAPHQL_VALIDATION_FAILED', 'PURPOSE_REQUIRED', 'PURPOSE_NOT_ALLOWED', 'PERSISTED_QUERY_NOT_IN_SAFELIST']);
/** Refused this many times in a row, a message is set aside (a dead letter) for an operator to look at. */
export const REFUSALS_BEFORE_SET_ASIDE = 3;

/** The longest wait between relay passes after failures in a row. */
const RETRY_MAX_WAIT_MS = 5000;

export function isRefusal(error: unknown): boolean {
  return error instanceof GraphClientError && error.codes.length > 0 && error.codes.every((code) => REFUSALS.has(code));
}

export interface RelayOptions {
  db: Database;
  graph: GraphClient;
  log: BackgroundLog;
  intervalMs?: number;
  batchSize?: number;
  /** How long a relay holds the messages it claimed; past it, another process's relay may send them. */
  leaseSeconds?: number;
}

/**
 * Delivers the outbox: messages written in the same transaction as the change that caused them, sent
 * until the receiver confirms, then marked delivered. A message the receiver keeps refusing is set
 * aside, not lost: operators see it in `undeliveredMessages` and put it back with `redeliverMessage`. A crash before the mark only means the message
 * is sent again, and the receiver takes it once; so every issued application gets exactly one permit
 * and every duty exactly one payment. Several applications processes may each run a relay: each
 * message is claimed by one of them at a time (OutboxStore.claim).
 */
export function startOutboxRelay({ db, graph, log, intervalMs = 250, batchSize = 50, leaseSeconds = 60 }: RelayOptions): BackgroundWork & { deliverPending(): Promise<number> } {
  const store = new OutboxStore(db);
  // An embedded database belongs to this one process: claims left in it are a dead relay's, free at once.
  // On a server, another process's relay may be alive, so its claims are left to expire.
  const first = db.kind === 'pglite' ? store.release() : Promise.resolve();
  const stopObserving = observeBacklog(store);

  async function deliverPending(): Promise<number> {
    let delivered = 0;
    const claimed = await store.claim(batchSize, leaseSeconds);
    for (const [index, message] of claimed.entries()) {
      if (passes.stopped) {
        // What this relay will not send goes back at once, not when its lease ends.
        await store.release(claimed.slice(index).map((unsent) => unsent.id));
        break;
      }
      try {
        await graph.query(DELIVERY[message.kind], { input: message.payload }, `outbox-${message.id}`);
        crashPoint('after-outbox-delivery');
        await store.markDelivered(message.id);
        delivered += 1;
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        // Refusals in a row set the message aside; an outage never does, however long it lasts.
        const setAside = await store.markFailed(message.id, reason, isRefusal(error), REFUSALS_BEFORE_SET_ASIDE);
        log(setAside ? 'outbox message refused by its receiver; set aside for an operator (undeliveredMessages)' : 'outbox delivery failed; will retry', {
          id: message.id,
          kind: message.kind,
          attempts: message.attempts + 1,
          reason,
        });
      }
    }
    return delivered;
  }

  // Idle passes keep the short wait: one that finds nothing asks only this registry's database. A failed
  // pass (the database unreachable) is retried less and less often, up to RETRY_MAX_WAIT_MS.
  const passes = repeatPass(deliverPending, { name: 'outbox relay', intervalMs, maxIntervalMs: Math.max(intervalMs, RETRY_MAX_WAIT_MS), first, log });

  return {
    deliverPending,
    async stop() {
      stopObserving();
      await passes.stop();
    },
  };
}

/** The backlog as operators watch it: messages waiting and set aside, and how long the oldest has waited (read at each scrape). */
function observeBacklog(store: OutboxStore): () => void {
  const { enabled, meter } = telemetry();
  if (!enabled) return () => undefined;
  const messages = meter.createObservableGauge('dmx.outbox.messages', { unit: '{message}', description: 'Outbox messages not yet delivered, by state (waiting, set_aside).' });
  const oldest = meter.createObservableGauge('dmx.outbox.oldest_waiting.age', { unit: 's', description: 'How long the oldest waiting outbox message has waited.' });
  const observe = async (result: import('@opentelemetry/api').BatchObservableResult) => {
    const backlog = await store.backlog();
    result.observe(messages, backlog.waiting, { 'dmx.outbox.state': 'waiting' });
    result.observe(messages, backlog.setAside, { 'dmx.outbox.state': 'set_aside' });
    result.observe(oldest, backlog.oldestWaitingSeconds);
  };
  meter.addBatchObservableCallback(observe, [messages, oldest]);
  return () => meter.removeBatchObservableCallback(observe, [messages, oldest]);
}
