import { Field, Int, ObjectType } from 'type-graphql';
import type { Scope } from '../../protocol/access';
import type { AggregateDisclosure } from '../../platform/aggregates';
import { DateScalar } from '../../platform/scalars';
import { ApplicationStatus } from './application.type';

const WITHHELD = 'Null when withheld: fewer than `suppressedBelow`.';

@ObjectType({ description: 'How many applications are in one status.' })
export class ApplicationStatusCount {
  @Field(() => ApplicationStatus, { description: 'The status counted.' })
  status: ApplicationStatus;

  @Field(() => Int, { nullable: true, description: `Applications in that status. ${WITHHELD}` })
  count: number | null;
}

@ObjectType({
  description:
    'Counts over the applications registry, without personal data: what a dashboard watches. A caller who may not read applications gets no count under `suppressedBelow`.',
})
export class ApplicationStatistics {
  @Field(() => DateScalar, { description: 'The day the counts are for (today in Baku).' })
  asOf: string;

  @Field(() => Int, { nullable: true, description: `Applications awaiting a decision: submitted or under review. ${WITHHELD}` })
  open: number | null;

  @Field(() => Int, { nullable: true, description: `Of those, the ones past their due date (CAL-01): overdue for a decision. ${WITHHELD}` })
  overdue: number | null;

  @Field(() => [ApplicationStatusCount], { description: 'Applications per status, every status listed.' })
  byStatus: ApplicationStatusCount[];

  @Field(() => Int, {
    nullable: true,
    description:
      'Counts under this number are withheld from this caller (given as null): a group that small could single a person out. Null when every count is given whole (a caller with applications:read).',
  })
  suppressedBelow?: number | null;
}

/** Who may read the applications counted, and so count them exactly. */
const READS_APPLICATIONS: readonly Scope[] = ['applications:read'];

/** The statistics as this caller may see them: every count under the threshold withheld from a caller who may only count. */
export function discloseApplicationStatistics(statistics: ApplicationStatistics, aggregates: AggregateDisclosure): ApplicationStatistics {
  const count = (value: number | null) => (value === null ? null : aggregates.count(value, READS_APPLICATIONS));
  return {
    asOf: statistics.asOf,
    open: count(statistics.open),
    overdue: count(statistics.overdue),
    byStatus: statistics.byStatus.map((row) => ({ status: row.status, count: count(row.count) })),
    suppressedBelow: aggregates.suppressedBelow(READS_APPLICATIONS),
  };
}
