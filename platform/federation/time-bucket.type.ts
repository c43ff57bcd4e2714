import { ArgsType, Field, ObjectType, registerEnumType } from 'type-graphql';
import { DateScalar } from '../scalars';

/** How a statistics series cuts its range into periods; one definition for every registry that gives a series. */
export enum TimeBucket {
  WEEK = 'WEEK',
  MONTH = 'MONTH',
}

registerEnumType(TimeBucket, {
  name: 'TimeBucket',
  description: 'The period a statistics series counts by.',
  valuesConfig: {
    WEEK: { description: 'ISO weeks, Monday to Sunday; a period is named by its Monday.' },
    MONTH: { description: 'Calendar months; a period is named by its first day.' },
  },
});

/** The arguments of every statistics series, in the order a partner reads them (a class keeps it; parameters would not). */
@ArgsType()
export class SeriesRangeArgs {
  @Field(() => DateScalar, { description: 'The first day of the range; counting starts with the period holding it.' })
  from: string;

  @Field(() => DateScalar, { description: 'The last day of the range, not before `from` and at most two years after it; counting ends with the period holding it.' })
  to: string;

  @Field(() => TimeBucket, { defaultValue: TimeBucket.WEEK, description: 'The period to count by.' })
  bucket: TimeBucket;
}

/** The range a statistics series answers for, as it counted it: the fields every series shares. */
@ObjectType()
export abstract class SeriesRange {
  @Field(() => DateScalar, { description: 'The first day counted: the range asked for, widened to start with its first whole period.' })
  from: string;

  @Field(() => DateScalar, { description: 'The last day counted: the range asked for, widened to end with its last whole period.' })
  to: string;

  @Field(() => TimeBucket, { description: 'The period counted by.' })
  bucket: TimeBucket;
}
