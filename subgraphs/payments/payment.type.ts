import { RequiresScopes } from '../../platform/requires-scopes';
import { Directive, Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { DateScalar } from '../../platform/scalars';
import { Money } from '../../platform/federation/money.type';
import { Application } from './application.type';
import { Person } from './person.type';

export enum PaymentPurpose {
  STATE_DUTY = 'STATE_DUTY',
  FINE = 'FINE',
}

registerEnumType(PaymentPurpose, {
  name: 'PaymentPurpose',
  description: 'What a payment is for.',
  valuesConfig: {
    STATE_DUTY: { description: 'The state duty of an application (WP-06, TRP-03, VISA-02, CIT-05).' },
    FINE: { description: 'An administrative fine (FINE-01).' },
  },
});

export enum PaymentStatus {
  UNPAID = 'UNPAID',
  PAID = 'PAID',
  CANCELLED = 'CANCELLED',
}

registerEnumType(PaymentStatus, {
  name: 'PaymentStatus',
  description: 'Whether the amount has been paid.',
  valuesConfig: {
    UNPAID: { description: 'Owed and not yet paid.' },
    PAID: { description: 'Paid in full.' },
    CANCELLED: { description: 'No longer owed (the application was withdrawn or refused before payment).' },
  },
});

export enum PaymentChannel {
  ONLINE = 'ONLINE',
  BANK_BRANCH = 'BANK_BRANCH',
  EXPRESS_PAY_TERMINAL = 'EXPRESS_PAY_TERMINAL',
  ASAN_PAYMENT_TERMINAL = 'ASAN_PAYMENT_TERMINAL',
}

registerEnumType(PaymentChannel, {
  name: 'PaymentChannel',
  description: 'Where a payment was made (PAY-03).',
  valuesConfig: {
    ONLINE: { description: "Online payment on the Service's website." },
    BANK_BRANCH: { description: 'At a bank branch.' },
    EXPRESS_PAY_TERMINAL: { description: 'At an expressPay terminal.' },
    ASAN_PAYMENT_TERMINAL: { description: 'At an ASAN payment terminal.' },
  },
});

export enum FineOffence {
  OVERSTAY = 'OVERSTAY',
  NO_REGISTRATION = 'NO_REGISTRATION',
  WORK_WITHOUT_PERMIT = 'WORK_WITHOUT_PERMIT',
  BREACH_OF_PURPOSE = 'BREACH_OF_PURPOSE',
  LOST_RESIDENCE_DOCUMENT = 'LOST_RESIDENCE_DOCUMENT',
}

registerEnumType(FineOffence, {
  name: 'FineOffence',
  description: 'What a fine was imposed for (FINE-01, F3).',
  valuesConfig: {
    OVERSTAY: { description: 'Staying beyond the lawful period (STAY-03).' },
    NO_REGISTRATION: { description: 'Staying without documents or registration by place of stay (REG-01).' },
    WORK_WITHOUT_PERMIT: { description: 'Working without a work permit (WP-01).' },
    BREACH_OF_PURPOSE: { description: 'Acting against the declared purpose of entry.' },
    LOST_RESIDENCE_DOCUMENT: { description: 'A lost or damaged residence document (F3).' },
  },
});

@Directive('@key(fields: "id")')
@ObjectType({ description: 'An administrative fine for breaking the rules of stay and residence (FINE-01).' })
export class Fine {
  @Field(() => ID, { description: 'Registry identifier (UUID).' })
  id: string;

  @RequiresScopes('fines:read', 'persons:read')
  @Field(() => Person, { nullable: true, description: 'The person fined (resolved by the persons registry).' })
  person: Person;

  @Field(() => FineOffence, { description: 'What the fine was imposed for.' })
  offence: FineOffence;

  @Field(() => String, { description: 'The article of the Code of Administrative Offences applied.' })
  legalArticle: string;

  @Field(() => Money, { description: 'Amount of the fine.' })
  amount: Money;

  @Field(() => DateScalar, { description: 'Day the fine was imposed.' })
  issuedOn: string;

  @Field(() => DateScalar, { description: 'Day by which it is to be paid.' })
  dueOn: string;

  @Field(() => DateScalar, { nullable: true, description: 'Day it was paid; null while outstanding.' })
  paidOn: string | null;

  @Field(() => Boolean, { description: 'True until paid (FINE-02); an outstanding fine is refusal ground PR-RF-16.' })
  outstanding: boolean;

  @Field(() => String, { description: 'The payment code to pay the fine with (PAY-02).' })
  paymentCode: string;
}

@Directive('@key(fields: "id")')
@ObjectType({ description: 'A payment owed to the Service, payable by its payment code (PAY-02, PAY-03).' })
export class Payment {
  @Field(() => ID, { description: 'Registry identifier (UUID).' })
  id: string;

  @Field(() => String, { description: 'The 12-digit payment code (the last digit is a Luhn check digit).' })
  code: string;

  @Field(() => PaymentPurpose, { description: 'What the payment is for.' })
  purpose: PaymentPurpose;

  @Field(() => Application, { nullable: true, description: 'The application whose state duty this is.' })
  application: Application | null;

  @RequiresScopes('payments:read', 'persons:read')
  @Field(() => Person, { nullable: true, description: 'The person who owes it (resolved by the persons registry).' })
  payer: Person;

  @Field(() => Money, { description: 'Amount owed.' })
  amount: Money;

  @Field(() => PaymentStatus, { description: 'Whether it has been paid.' })
  status: PaymentStatus;

  @Field(() => PaymentChannel, { nullable: true, description: 'Where it was paid; null while unpaid.' })
  channel: PaymentChannel | null;

  @Field(() => DateScalar, { description: 'Day the payment was requested.' })
  createdOn: string;

  @Field(() => DateScalar, { nullable: true, description: 'Day it was paid; null while unpaid.' })
  paidOn: string | null;

  /** Not in the schema: the key `fine` is resolved from. */
  fineId: string | null;
}
