import { Field, Int, ObjectType } from 'type-graphql';
import { DateScalar } from '../shared/scalars';
import { ApplicationStatus } from './application.type';

@ObjectType({ description: 'How many applications are in one status.' })
export class ApplicationStatusCount {
  @Field(() => ApplicationStatus, { description: 'The status counted.' })
  status: ApplicationStatus;

  @Field(() => Int, { description: 'Applications in that status.' })
  count: number;
}

@ObjectType({ description: 'Counts over the applications registry, without personal data: what a dashboard watches.' })
export class ApplicationStatistics {
  @Field(() => DateScalar, { description: 'The day the counts are for (today in Baku).' })
  asOf: string;

  @Field(() => Int, { description: 'Applications awaiting a decision: submitted or under review.' })
  open: number;

  @Field(() => Int, { description: 'Of those, the ones past their due date (CAL-01): overdue for a decision.' })
  overdue: number;

  @Field(() => [ApplicationStatusCount], { description: 'Applications per status, every status listed.' })
  byStatus: ApplicationStatusCount[];
}
