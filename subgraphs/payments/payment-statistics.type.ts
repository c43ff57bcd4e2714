import { Field, Int, ObjectType } from 'type-graphql';
import { Money } from '../shared/federation/money.type';

@ObjectType({ description: 'What is owed to the state across the payments registry, without personal data: what a dashboard watches.' })
export class PaymentStatistics {
  @Field(() => Int, { description: 'Administrative fines not paid: outstanding until paid (FINE-02).' })
  outstandingFines: number;

  @Field(() => [Money], { description: 'The outstanding fines in total, one amount per currency (none when nothing is owed).' })
  outstandingFineAmounts: Money[];

  @Field(() => Int, { description: 'State duties billed and not paid (cancelled duties are not owed).' })
  unpaidStateDuties: number;

  @Field(() => [Money], { description: 'The unpaid state duties in total, one amount per currency.' })
  unpaidStateDutyAmounts: Money[];
}
