import { Field, Int, ObjectType } from 'type-graphql';
import type { Scope } from '../../protocol/access';
import type { AggregateDisclosure } from '../../platform/aggregates';
import { SeriesRange } from '../../platform/federation/time-bucket.type';
import { DateScalar } from '../../platform/scalars';
import { ApplicationChannel, ApplicationStatus, ApplicationType, RegionalMigrationOffice } from './application.type';

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

@ObjectType({ description: 'How many applications of one type were submitted in one period.' })
export class SubmittedApplicationCount {
  @Field(() => DateScalar, { description: 'The first day of the period: a Monday for WEEK, the 1st for MONTH.' })
  periodStart: string;

  @Field(() => ApplicationType, { description: 'The type counted.' })
  type: ApplicationType;

  @Field(() => Int, { nullable: true, description: `Applications of that type submitted in the period, whatever became of them since. ${WITHHELD}` })
  count: number | null;
}

@ObjectType({
  description:
    'Applications submitted per period and type, without personal data: every period of the range and every type listed, so a chart needs no gap filled. A caller who may not read applications gets no count under `suppressedBelow`.',
})
export class SubmittedApplications extends SeriesRange {
  @Field(() => [SubmittedApplicationCount], { description: 'One count per period and type: periods oldest first, types in the order of `ApplicationType`.' })
  series: SubmittedApplicationCount[];

  @Field(() => Int, {
    nullable: true,
    description:
      'Counts under this number are withheld from this caller (given as null): a group that small could single a person out. Null when every count is given whole (a caller with applications:read).',
  })
  suppressedBelow?: number | null;
}

const OLDEST_WITHHELD = 'Null when there is none, or when the count is withheld.';

@ObjectType({ description: 'The applications submitted at one regional migration office that are overdue for a decision (CAL-01).' })
export class OverdueApplicationsAtOffice {
  @Field(() => RegionalMigrationOffice, { description: 'The office.' })
  office: RegionalMigrationOffice;

  @Field(() => Int, { nullable: true, description: `Applications awaiting a decision past their due date. ${WITHHELD}` })
  count: number | null;

  @Field(() => DateScalar, { nullable: true, description: `The day the oldest of them was submitted. ${OLDEST_WITHHELD}` })
  oldestSubmittedOn: string | null;
}

@ObjectType({ description: 'The applications that reached the Service by one channel and are overdue for a decision (CAL-01).' })
export class OverdueApplicationsByChannel {
  @Field(() => ApplicationChannel, { description: 'The channel.' })
  channel: ApplicationChannel;

  @Field(() => Int, { nullable: true, description: `Applications awaiting a decision past their due date. ${WITHHELD}` })
  count: number | null;

  @Field(() => DateScalar, { nullable: true, description: `The day the oldest of them was submitted. ${OLDEST_WITHHELD}` })
  oldestSubmittedOn: string | null;
}

/** Overdue applications per channel and office, as the registry counts them (before disclosure). */
export interface OverdueGroups {
  byOffice: { office: RegionalMigrationOffice; count: number; oldestSubmittedOn: string | null }[];
  byChannel: { channel: ApplicationChannel; count: number; oldestSubmittedOn: string | null }[];
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

/** A series as this caller may see it: no count under the threshold to a caller who may only count. */
export function discloseSubmittedApplications(submitted: SubmittedApplications, aggregates: AggregateDisclosure): SubmittedApplications {
  return {
    ...submitted,
    series: submitted.series.map((row) => ({ ...row, count: row.count === null ? null : aggregates.count(row.count, READS_APPLICATIONS) })),
    suppressedBelow: aggregates.suppressedBelow(READS_APPLICATIONS),
  };
}

/** Overdue groups as this caller may see them: the oldest day goes with its count, withheld with it. */
export function discloseOverdue<Group extends { count: number; oldestSubmittedOn: string | null }>(
  groups: readonly Group[],
  aggregates: AggregateDisclosure,
): (Omit<Group, 'count'> & { count: number | null })[] {
  return groups.map((group) => {
    const count = aggregates.count(group.count, READS_APPLICATIONS);
    return { ...group, count, oldestSubmittedOn: count === null ? null : group.oldestSubmittedOn };
  });
}
