import { GraphQLError } from 'graphql';
import { badUserInput } from '../../platform/errors';
import { pageSize } from '../../platform/pagination';
import type { OutboxStore, UndeliveredRow } from './outbox.store';
import type { UndeliveredMessage } from './outbox.type';

/** What operators see of the outbox, and the one thing they may do: put a set-aside message back in line. */
export class OutboxService {
  constructor(private readonly store: OutboxStore) {}

  async undelivered(first: number): Promise<UndeliveredMessage[]> {
    return (await this.store.undelivered(pageSize(first, 50, 'first', { min: 1, max: 500 }))).map(toMessage);
  }

  async redeliver(id: string): Promise<boolean> {
    if (!/^[1-9][0-9]{0,17}$/.test(id)) throw badUserInput('id: a message id is a positive whole number', 'id');
    if (!(await this.store.redeliver(Number(id)))) {
      throw new GraphQLError(`No undelivered message with id ${id}`, { extensions: { code: 'NOT_FOUND' } });
    }
    return true;
  }
}

function toMessage(row: UndeliveredRow): UndeliveredMessage {
  return {
    id: String(row.id),
    applicationId: row.applicationId,
    kind: row.kind,
    attempts: row.attempts,
    lastError: row.lastError,
    lastAttemptAt: row.lastAttemptAt ? new Date(row.lastAttemptAt).toISOString() : null,
    createdAt: new Date(row.createdAt).toISOString(),
    setAside: row.deadAt !== null,
  };
}
