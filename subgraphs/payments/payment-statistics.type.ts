import { Field, Int, ObjectType } from 'type-graphql';
import type { Scope } from '../../protocol/access';
import type { AggregateDisclosure } from '../../platform/aggregates';
import { Money } from '../../platform/federation/money.type';
import { SeriesRange } from '../../platform/federation/time-bucket.type';
import { DateScalar } from '../../platform/scalars';
import { PaymentChannel } from './payment.type';

/** An amount owed in one currency, with how many payments it totals (what decides whether it may be shown). */
export type OwedAmount = Money & { count: number };

/** What the registry counts, before it is disclosed to a caller (disclosePaymentStatistics). */
export interface OwedTotals {
  outstandingFines: number;
  outstandingFineAmounts: OwedAmount[];
  unpaidStateDuties: number;
  unpaidStateDutyAmounts: OwedAmount[];
}

const WITHHELD = 'Null when withheld: fewer than `suppressedBelow`.';
const AMOUNTS_WITHHELD =
  'Null when their count is withheld; for a caller who may only count, a currency with fewer than `suppressedBelow` of them is left out.';
const SUPPRESSED_BELOW =
  'Counts under this number are withheld from this caller (given as null): a group that small could single a person out. Null when every count is given whole (a caller with payments:read and fines:read).';

@ObjectType({
  description:
    'What is owed to the state across the payments registry, without personal data: what a dashboard watches. A caller who may not read fines and payments gets no count under `suppressedBelow`.',
})
export class PaymentStatistics {
  @Field(() => Int, { nullable: true, description: `Administrative fines not paid: outstanding until paid (FINE-02). ${WITHHELD}` })
  outstandingFines: number | null;

  @Field(() => [Money], { nullable: true, description: `The outstanding fines in total, one amount per currency (none when nothing is owed). ${AMOUNTS_WITHHELD}` })
  outstandingFineAmounts: Money[] | null;

  @Field(() => Int, { nullable: true, description: `State duties billed and not paid (cancelled duties are not owed). ${WITHHELD}` })
  unpaidStateDuties: number | null;

  @Field(() => [Money], { nullable: true, description: `The unpaid state duties in total, one amount per currency. ${AMOUNTS_WITHHELD}` })
  unpaidStateDutyAmounts: Money[] | null;

  @Field(() => Int, { nullable: true, description: SUPPRESSED_BELOW })
  suppressedBelow?: number | null;
}

@ObjectType({ description: 'The outstanding fines (FINE-02) of one age: imposed between `minDays` and `maxDays` days before the day counted.' })
export class OutstandingFinesOfAge {
  @Field(() => Int, { description: 'The youngest age in the group, in days since the fine was imposed (0: imposed on the day).' })
  minDays: number;

  @Field(() => Int, { nullable: true, description: 'The oldest age in the group, in days, included; null for the oldest group, which has no upper bound.' })
  maxDays: number | null;

  @Field(() => Int, { nullable: true, description: `Outstanding fines of that age. ${WITHHELD}` })
  count: number | null;

  @Field(() => [Money], { nullable: true, description: `Their total, one amount per currency. ${AMOUNTS_WITHHELD}` })
  amounts: Money[] | null;
}

@ObjectType({ description: 'The payments made at one channel (PAY-03) in one period.' })
export class ChannelPayments {
  @Field(() => DateScalar, { description: 'The first day of the period: a Monday for WEEK, the 1st for MONTH.' })
  periodStart: string;

  @Field(() => PaymentChannel, { description: 'Where the payments were made.' })
  channel: PaymentChannel;

  @Field(() => Int, { nullable: true, description: `Payments made there in the period, state duties and fines, by the day paid. ${WITHHELD}` })
  count: number | null;

  @Field(() => [Money], { nullable: true, description: `Their total, one amount per currency paid in (none when nothing was paid). ${AMOUNTS_WITHHELD}` })
  amounts: Money[] | null;
}

@ObjectType({
  description:
    'Payments per period and channel (PAY-03), without personal data: every period of the range and every channel listed, so a chart needs no gap filled. A caller who may not read fines and payments gets no count under `suppressedBelow`.',
})
export class PaymentsByChannel extends SeriesRange {
  @Field(() => [ChannelPayments], { description: 'One entry per period and channel: periods oldest first, channels in the order of `PaymentChannel`.' })
  series: ChannelPayments[];

  @Field(() => Int, { nullable: true, description: SUPPRESSED_BELOW })
  suppressedBelow?: number | null;
}

/** A group of payments as the registry counts it (before disclosure): its count, and its total per currency with each one's count. */
export interface CountedPayments {
  count: number;
  amounts: OwedAmount[];
}

/** Who may read the fines and duties counted, and so count them exactly. */
const READS_PAYMENTS: readonly Scope[] = ['payments:read', 'fines:read'];

/**
 * A group's count and totals as this caller may see them: for a caller who may only count, no count
 * under the threshold, no total of a withheld count, and no currency's total over fewer payments than
 * the threshold (one fine's amount is a fact about one person).
 */
function discloseCounted(group: CountedPayments, aggregates: AggregateDisclosure): { count: number | null; amounts: Money[] | null } {
  const whole = aggregates.readsRecords(READS_PAYMENTS);
  const count = aggregates.count(group.count, READS_PAYMENTS);
  const amounts =
    count === null ? null : group.amounts.filter((amount) => whole || amount.count >= aggregates.minCount).map(({ amount, currency }) => ({ amount, currency }));
  return { count, amounts };
}

/** Fines by age as this caller may see them. */
export function discloseFinesByAge(
  groups: readonly (CountedPayments & { minDays: number; maxDays: number | null })[],
  aggregates: AggregateDisclosure,
): OutstandingFinesOfAge[] {
  return groups.map(({ minDays, maxDays, ...group }) => ({ minDays, maxDays, ...discloseCounted(group, aggregates) }));
}

/** The series as this caller may see it. */
export function disclosePaymentsByChannel(
  payments: Omit<PaymentsByChannel, 'series'> & { series: (CountedPayments & { periodStart: string; channel: PaymentChannel })[] },
  aggregates: AggregateDisclosure,
): PaymentsByChannel {
  return {
    from: payments.from,
    to: payments.to,
    bucket: payments.bucket,
    series: payments.series.map(({ periodStart, channel, ...group }) => ({ periodStart, channel, ...discloseCounted(group, aggregates) })),
    suppressedBelow: aggregates.suppressedBelow(READS_PAYMENTS),
  };
}

/** The statistics as this caller may see them (discloseCounted says what a caller who may only count is not given). */
export function disclosePaymentStatistics(
  statistics: OwedTotals,
  aggregates: AggregateDisclosure,
): PaymentStatistics {
  const fines = discloseCounted({ count: statistics.outstandingFines, amounts: statistics.outstandingFineAmounts }, aggregates);
  const duties = discloseCounted({ count: statistics.unpaidStateDuties, amounts: statistics.unpaidStateDutyAmounts }, aggregates);
  return {
    outstandingFines: fines.count,
    outstandingFineAmounts: fines.amounts,
    unpaidStateDuties: duties.count,
    unpaidStateDutyAmounts: duties.amounts,
    suppressedBelow: aggregates.suppressedBelow(READS_PAYMENTS),
  };
}
