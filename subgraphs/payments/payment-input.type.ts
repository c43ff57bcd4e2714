import { Field, ID, InputType } from 'type-graphql';
import { Currency } from '../../platform/federation/money.type';
import { DateScalar } from '../../platform/scalars';
import { FineOffence, PaymentChannel } from './payment.type';

@InputType({ description: 'The state duty an application owes, as the applications registry bills it.' })
export class StateDutyInput {
  @Field(() => ID, { description: 'The application; one duty per application, so a repeated message bills once.' })
  applicationId: string;

  @Field(() => ID, { description: 'The applicant, who owes the duty.' })
  personId: string;

  @Field(() => String, { description: 'Amount, decimal with up to two digits after the point.' })
  amount: string;

  @Field(() => Currency, { description: 'Currency of the amount.' })
  currency: Currency;

  @Field(() => DateScalar, { description: 'Day the duty became owed (the submission day).' })
  createdOn: string;
}

@InputType({ description: 'An application no longer owes its duty (withdrawn or refused), as the applications registry reports it.' })
export class CancelStateDutyInput {
  @Field(() => ID, { description: 'The application.' })
  applicationId: string;

  @Field(() => DateScalar, { description: 'Day of the withdrawal or refusal.' })
  cancelledOn: string;
}

@InputType({ description: 'A payment received at a channel against a payment code (PAY-02, PAY-03).' })
export class RecordPaymentInput {
  @Field(() => String, { description: 'The 12-digit payment code.' })
  code: string;

  @Field(() => PaymentChannel, { description: 'Where it was paid.' })
  channel: PaymentChannel;

  @Field(() => String, { description: 'Amount paid, decimal; must be exactly the amount owed.' })
  amount: string;

  @Field(() => String, { description: "The channel's transaction key (8-128 characters): a retry with the same key is the same payment, taken once." })
  idempotencyKey: string;
}

@InputType({ description: 'An administrative fine imposed for breaking the rules of stay and residence (FINE-01).' })
export class IssueFineInput {
  @Field(() => ID, { description: 'The person fined.' })
  personId: string;

  @Field(() => FineOffence, { description: 'What it is imposed for.' })
  offence: FineOffence;

  @Field(() => String, { description: 'The article of the Code of Administrative Offences applied.' })
  legalArticle: string;

  @Field(() => String, { description: 'Amount in AZN, decimal; within the range the rules give for the offence (FINE-01, F3).' })
  amount: string;

  @Field(() => DateScalar, { nullable: true, description: 'Day imposed; default today.' })
  issuedOn?: string | null;

  @Field(() => DateScalar, { nullable: true, description: 'Day by which to pay; default 60 days after imposition.' })
  dueOn?: string | null;

  @Field(() => String, { description: 'The issuing system\'s key for this fine (8-128 characters): a retry returns the same fine.' })
  idempotencyKey: string;
}
