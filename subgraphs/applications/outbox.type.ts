import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import type { OutboxRow } from './outbox.store';

/** The schema's enum: the store's message kinds as an object for type-graphql, typed so that it names each of them and no other. */
const OutboxMessageKind: { readonly [Kind in OutboxRow['kind']]: Kind } = {
  CREATE_STATE_DUTY: 'CREATE_STATE_DUTY',
  CANCEL_STATE_DUTY: 'CANCEL_STATE_DUTY',
  RECORD_ISSUED_PERMIT: 'RECORD_ISSUED_PERMIT',
  RECORD_PERSON_FACTS: 'RECORD_PERSON_FACTS',
};

registerEnumType(OutboxMessageKind, {
  name: 'OutboxMessageKind',
  description: 'What a message from the applications registry asks of another registry.',
  valuesConfig: {
    CREATE_STATE_DUTY: { description: 'Bill the state duty of an application (payments).' },
    CANCEL_STATE_DUTY: { description: 'Cancel the unpaid duty of an application withdrawn or refused (payments).' },
    RECORD_PERSON_FACTS: { description: "Record the facts an application's documents prove, e.g. CIT-01's lawful income (permits)." },
    RECORD_ISSUED_PERMIT: { description: 'Record the permit issued on an application (permits).' },
  },
});

@ObjectType({ description: 'A message to another registry that has not been delivered yet: still retried, or set aside after its receiver refused it.' })
export class UndeliveredMessage {
  @Field(() => ID, { description: 'The message, for redeliverMessage.' })
  id: string;

  /** Not in the schema: the application, loaded by the `application` field. */
  applicationId: string;

  @Field(() => OutboxMessageKind, { description: 'What it asks of the receiver.' })
  kind: OutboxRow['kind'];

  @Field(() => Int, { description: 'Attempts so far.' })
  attempts: number;

  @Field(() => String, { nullable: true, description: 'What the last attempt got.' })
  lastError: string | null;

  @Field(() => String, { nullable: true, description: 'When it was last tried (ISO 8601).' })
  lastAttemptAt: string | null;

  @Field(() => String, { description: 'When the change that caused it was committed (ISO 8601).' })
  createdAt: string;

  @Field(() => Boolean, { description: 'True when its receiver kept refusing it: it is no longer retried until redelivered.' })
  setAside: boolean;
}
