import { Field, Int, ObjectType } from 'type-graphql';
import type { Scope } from '../../protocol/access';
import type { AggregateDisclosure } from '../../platform/aggregates';
import { Money } from '../../platform/federation/money.type';

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

  @Field(() => Int, {
    nullable: true,
    description:
      'Counts under this number are withheld from this caller (given as null): a group that small could single a person out. Null when every count is given whole (a caller with payments:read and fines:read).',
  })
  suppressedBelow?: number | null;
}

/** Who may read the fines and duties counted, and so count them exactly. */
const READS_PAYMENTS: readonly Scope[] = ['payments:read', 'fines:read'];

/**
 * The statistics as this caller may see them. A caller who may only count gets no count under the
 * threshold, no total whose count is withheld, and no currency's total over fewer payments than the
 * threshold (one fine's amount is a fact about one person).
 */
export function disclosePaymentStatistics(
  statistics: OwedTotals,
  aggregates: AggregateDisclosure,
): PaymentStatistics {
  const whole = aggregates.readsRecords(READS_PAYMENTS);
  const amounts = (count: number | null, owed: OwedAmount[]): Money[] | null =>
    count === null ? null : owed.filter((amount) => whole || amount.count >= aggregates.minCount).map(({ amount, currency }) => ({ amount, currency }));
  const outstandingFines = aggregates.count(statistics.outstandingFines, READS_PAYMENTS);
  const unpaidStateDuties = aggregates.count(statistics.unpaidStateDuties, READS_PAYMENTS);
  return {
    outstandingFines,
    outstandingFineAmounts: amounts(outstandingFines, statistics.outstandingFineAmounts),
    unpaidStateDuties,
    unpaidStateDutyAmounts: amounts(unpaidStateDuties, statistics.unpaidStateDutyAmounts),
    suppressedBelow: aggregates.suppressedBelow(READS_PAYMENTS),
  };
}
