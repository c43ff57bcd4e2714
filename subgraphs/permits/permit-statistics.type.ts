import { Field, Int, ObjectType } from 'type-graphql';
import type { Scope } from '../../protocol/access';
import type { AggregateDisclosure } from '../../platform/aggregates';
import { DateScalar } from '../../platform/scalars';
import { PermitKind } from './permit.type';

const WITHHELD = 'Null when withheld: fewer than `suppressedBelow`.';

@ObjectType({ description: 'How many permits of one kind are in force, and how many of them end soon.' })
export class PermitKindStatistics {
  @Field(() => PermitKind, { description: 'The kind counted.' })
  kind: PermitKind;

  @Field(() => Int, { nullable: true, description: `In force on the day: valid on it and not revoked. ${WITHHELD}` })
  inForce: number | null;

  @Field(() => Int, { nullable: true, description: `Of those, the ones whose last day of validity falls within the window. ${WITHHELD}` })
  expiring: number | null;
}

@ObjectType({ description: 'How many permits of one kind in force on the day end within a window of days.' })
export class PermitExpiryCount {
  @Field(() => Int, { description: 'The window: permits whose last day of validity falls within this many days from `asOf`, `asOf` included.' })
  withinDays: number;

  @Field(() => PermitKind, { description: 'The kind counted.' })
  kind: PermitKind;

  @Field(() => Int, { nullable: true, description: `Permits of that kind in force on \`asOf\` that end within the window (a wider window includes the narrower). ${WITHHELD}` })
  count: number | null;
}

@ObjectType({
  description:
    'Counts over the permits registry, without personal data: what a dashboard watches. A caller who may not read permits gets no count under `suppressedBelow`.',
})
export class PermitStatistics {
  @Field(() => DateScalar, { description: 'The day the counts are for (today in Baku).' })
  asOf: string;

  @Field(() => Int, { description: 'The window for `expiring`: permits ending within this many days from `asOf`, `asOf` included.' })
  expiringWithinDays: number;

  @Field(() => [PermitKindStatistics], { description: 'Per kind of permit, every kind listed.' })
  byKind: PermitKindStatistics[];

  @Field(() => Int, {
    nullable: true,
    description:
      'Counts under this number are withheld from this caller (given as null): a group that small could single a person out. Null when every count is given whole (a caller with permits:read).',
  })
  suppressedBelow?: number | null;
}

/** Who may read the permits counted, and so count them exactly. */
const READS_PERMITS: readonly Scope[] = ['permits:read'];

/** The statistics as this caller may see them: every count under the threshold withheld from a caller who may only count. */
export function disclosePermitStatistics(statistics: PermitStatistics, aggregates: AggregateDisclosure): PermitStatistics {
  const count = (value: number | null) => (value === null ? null : aggregates.count(value, READS_PERMITS));
  return {
    asOf: statistics.asOf,
    expiringWithinDays: statistics.expiringWithinDays,
    byKind: statistics.byKind.map((row) => ({ kind: row.kind, inForce: count(row.inForce), expiring: count(row.expiring) })),
    suppressedBelow: aggregates.suppressedBelow(READS_PERMITS),
  };
}

/** Expiry counts as this caller may see them: none under the threshold to a caller who may only count. */
export function disclosePermitExpiry(counts: readonly PermitExpiryCount[], aggregates: AggregateDisclosure): PermitExpiryCount[] {
  return counts.map((row) => ({ ...row, count: row.count === null ? null : aggregates.count(row.count, READS_PERMITS) }));
}
