import { registerEnumType } from 'type-graphql';

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
