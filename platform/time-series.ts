import { badUserInput } from './errors';
import { TimeBucket } from './federation/time-bucket.type';
import { EARLIEST_PLAUSIBLE_DATE } from './plausible-dates';
import { addDays, addMonths, compareIsoDates, dayOfWeek, inclusiveDays } from '../domain/rules/dates';

/**
 * The range of a statistics series (issue 23): `from` and `to` as the caller asked, widened to whole
 * periods (ISO weeks from Monday, calendar months from the 1st), so that no period of a chart counts
 * fewer days than its neighbours.
 */
export interface SeriesPeriod {
  /** The first day counted: the first day of the period holding the `from` asked for. */
  from: string;
  /** The last day counted: the last day of the period holding the `to` asked for. */
  to: string;
  bucket: TimeBucket;
  /** The first day of each period, oldest first. */
  periodStarts: string[];
}

/** The longest range a series may be asked for: two years, both ends included (a leap day among them). */
export const MAX_SERIES_DAYS = 732;
/** The latest day a series may end on: nothing the Service records lies that far ahead. */
const LATEST_SERIES_DATE = '2099-12-31';

/** The first day of the period (ISO week or calendar month) that holds `day`. */
export function periodStartOf(day: string, bucket: TimeBucket): string {
  if (bucket === TimeBucket.MONTH) return `${day.slice(0, 7)}-01`;
  // dayOfWeek counts from Sunday (0); an ISO week starts on Monday.
  return addDays(day, -((dayOfWeek(day) + 6) % 7));
}

/** The range to count for a series asked from `from` to `to` by `bucket`; BAD_USER_INPUT naming the argument when it cannot be. */
export function seriesPeriod(from: string, to: string, bucket: TimeBucket): SeriesPeriod {
  if (compareIsoDates(from, EARLIEST_PLAUSIBLE_DATE) < 0) throw badUserInput(`from must be ${EARLIEST_PLAUSIBLE_DATE} or later`, 'from');
  if (compareIsoDates(to, LATEST_SERIES_DATE) > 0) throw badUserInput(`to must be ${LATEST_SERIES_DATE} or earlier`, 'to');
  if (compareIsoDates(to, from) < 0) throw badUserInput(`to (${to}) must not be before from (${from})`, 'to');
  if (inclusiveDays(from, to) > MAX_SERIES_DAYS) {
    throw badUserInput(`to: the range from ${from} to ${to} is longer than two years (${MAX_SERIES_DAYS} days); ask for a shorter one`, 'to');
  }
  const next = (start: string) => (bucket === TimeBucket.MONTH ? addMonths(start, 1) : addDays(start, 7));
  const periodStarts: string[] = [];
  for (let start = periodStartOf(from, bucket); compareIsoDates(start, to) <= 0; start = next(start)) periodStarts.push(start);
  return { from: periodStarts[0], to: addDays(next(periodStarts[periodStarts.length - 1]), -1), bucket, periodStarts };
}

/** The unit PostgreSQL's date_trunc takes for a bucket (its weeks are ISO weeks, from Monday). */
export function truncUnit(bucket: TimeBucket): 'week' | 'month' {
  return bucket === TimeBucket.MONTH ? 'month' : 'week';
}
