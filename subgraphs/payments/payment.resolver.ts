import { RequiresScopes } from '../../platform/requires-scopes';
import { Arg, Args, Ctx, FieldResolver, Mutation, Query, Resolver, Root } from 'type-graphql';
import { CancelStateDutyInput, IssueFineInput, RecordPaymentInput, StateDutyInput } from './payment-input.type';
import type { RequestContext } from '../../platform/context';
import type { PaymentsServices } from './app';
import { Application } from './application.type';
import { Person } from './person.type';
import { SeriesRangeArgs } from '../../platform/federation/time-bucket.type';
import { DateScalar } from '../../platform/scalars';
import {
  discloseFinesByAge, disclosePaymentsByChannel, disclosePaymentStatistics, OutstandingFinesOfAge, PaymentsByChannel, PaymentStatistics,
} from './payment-statistics.type';
import { Fine, Payment } from './payment.type';

type Context = RequestContext<PaymentsServices>;

@Resolver(() => Payment)
export class PaymentResolver {
  @RequiresScopes('payments:read')
  @Query(() => Payment, {
    nullable: true,
    description: 'Looks up a state duty or fine by its payment code (PAY-02); null when no payment has that code.',
  })
  paymentByCode(@Arg('code', () => String, { description: 'The 12-digit payment code.' }) code: string, @Ctx() ctx: Context) {
    return ctx.services.payments.byCode(code);
  }

  @RequiresScopes('aggregates:read')
  @Query(() => PaymentStatistics, {
    description:
      'What is owed to the state now: outstanding fines and unpaid state duties, counted and totalled; no personal data, and no count under `suppressedBelow` to a caller who may only count.',
  })
  async paymentStatistics(@Ctx() ctx: Context) {
    return disclosePaymentStatistics(await ctx.services.payments.statistics(), ctx.aggregates);
  }

  @RequiresScopes('aggregates:read')
  @Query(() => PaymentsByChannel, {
    description:
      'Payments made per week or month and per channel (PAY-03), counted and totalled per currency, over a range of at most two years; no personal data, and no count under `suppressedBelow` to a caller who may only count.',
  })
  async paymentsByChannel(
    @Args(() => SeriesRangeArgs) { from, to, bucket }: SeriesRangeArgs,
    @Ctx() ctx: Context,
  ) {
    return disclosePaymentsByChannel(await ctx.services.payments.paidByChannel(from, to, bucket), ctx.aggregates);
  }

  @RequiresScopes('payments:read', 'fines:read')
  @FieldResolver(() => Fine, { nullable: true, description: 'The fine this pays, for a fine payment.' })
  fine(@Root() payment: Payment, @Ctx() ctx: Context) {
    return ctx.services.payments.fineOfPayment(payment);
  }
}

/** The parts of the statistics asked for only when selected. */
@Resolver(() => PaymentStatistics)
export class PaymentStatisticsResolver {
  @FieldResolver(() => DateScalar, { description: 'The day the counts are for (today in Baku): the ages of fines are counted to it.' })
  asOf(@Ctx() ctx: Context) {
    return ctx.today;
  }

  @FieldResolver(() => [OutstandingFinesOfAge], {
    description:
      'The outstanding fines (FINE-02) by age, in days since imposed: 0–30, 31–90, 91–365 and over 365, every group listed, each counted and totalled per currency.',
  })
  async outstandingFinesByAge(@Ctx() ctx: Context) {
    return discloseFinesByAge(await ctx.services.payments.outstandingFinesByAge(ctx.today), ctx.aggregates);
  }
}

@Resolver(() => Payment)
export class PaymentRecordsResolver {
  @RequiresScopes('duties:write')
  @Mutation(() => Payment, {
    description: 'Bills the state duty of an application (sent by the applications registry); billed once per application, whatever the retries.',
  })
  createStateDuty(@Arg('input', () => StateDutyInput) input: StateDutyInput, @Ctx() ctx: Context) {
    return ctx.services.records.billStateDuty(input);
  }

  @RequiresScopes('duties:write')
  @Mutation(() => Payment, {
    nullable: true,
    description:
      'Cancels the unpaid duty of an application withdrawn or refused (sent by the applications registry); null when none was billed.',
  })
  cancelStateDuty(@Arg('input', () => CancelStateDutyInput) input: CancelStateDutyInput, @Ctx() ctx: Context) {
    return ctx.services.records.cancelStateDuty(input);
  }

  @RequiresScopes('payments:write')
  @Mutation(() => Payment, {
    description:
      'Records a payment made at a channel against a payment code (PAY-02, PAY-03). Taken exactly once: a retry with the same key returns the same payment; paying a paid duty again, or a wrong amount, is refused.',
  })
  recordPayment(@Arg('input', () => RecordPaymentInput) input: RecordPaymentInput, @Ctx() ctx: Context) {
    return ctx.services.records.recordPayment(input);
  }

  @RequiresScopes('fines:write')
  @Mutation(() => Fine, {
    description:
      'Imposes an administrative fine (FINE-01) with its payment code; pay it with recordPayment. Taken once per idempotency key; outstanding until paid (FINE-02, PR-RF-16).',
  })
  issueFine(@Arg('input', () => IssueFineInput) input: IssueFineInput, @Ctx() ctx: Context) {
    return ctx.services.records.issueFine(input);
  }
}

@Resolver(() => Person)
export class PersonFinesResolver {
  @RequiresScopes('fines:read', 'applications:read')
  @FieldResolver(() => [Fine], { nullable: true, description: 'Administrative fines not yet paid (FINE-02), oldest first (payments registry).' })
  outstandingFines(@Root() person: Person, @Ctx() ctx: Context) {
    return ctx.services.payments.finesOf(person.id, true);
  }

  @RequiresScopes('fines:read')
  @FieldResolver(() => [Fine], { nullable: true, description: 'All administrative fines, paid or not, oldest first (payments registry).' })
  fines(@Root() person: Person, @Ctx() ctx: Context) {
    return ctx.services.payments.finesOf(person.id, false);
  }
}

@Resolver(() => Application)
export class ApplicationPaymentsResolver {
  @FieldResolver(() => [Payment], { nullable: true, description: 'State duty payments of the application (payments registry).' })
  payments(@Root() application: Application, @Ctx() ctx: Context) {
    return ctx.services.payments.ofApplication(application.id);
  }
}
