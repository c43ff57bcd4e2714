/**
 * Calendar-date arithmetic on 'YYYY-MM-DD' strings. Every computation goes through a UTC day number
 * (days since 1970-01-01 via Date.UTC), so the host time zone and daylight saving never matter.
 */
import { IsoDate, RuleInputError } from './types';

const MS_PER_DAY = 86_400_000;
const HYPHEN = 45;
const ZERO = 48;
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

export interface CalendarParts {
  year: number;
  month: number; // 1..12
  day: number; // 1..31
}

/** The number the `count` ASCII digits of `value` from `start` write; -1 when one is not a digit. */
function digits(value: string, start: number, count: number): number {
  let number = 0;
  for (let index = start; index < start + count; index += 1) {
    const digit = value.charCodeAt(index) - ZERO;
    if (!(digit >= 0 && digit <= 9)) return -1;
    number = number * 10 + digit;
  }
  return number;
}

/**
 * A validated ISO date as one number, YYYYMMDD; throws RuleInputError for anything that is not a real
 * calendar day. No object is made: the rules turn thousands of dates into day numbers for a page.
 */
function packedDate(value: IsoDate): number {
  const wellFormed = typeof value === 'string' && value.length === 10 && value.charCodeAt(4) === HYPHEN && value.charCodeAt(7) === HYPHEN;
  const year = wellFormed ? digits(value, 0, 4) : -1;
  const month = wellFormed ? digits(value, 5, 2) : -1;
  const day = wellFormed ? digits(value, 8, 2) : -1;
  if (year < 0 || month < 0 || day < 0) throw new RuleInputError(`Not an ISO calendar date (YYYY-MM-DD): ${String(value)}`, 'INVALID_DATE');
  if (year < 1000 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) {
    throw new RuleInputError(`Not a real calendar date: ${value}`, 'INVALID_DATE');
  }
  return year * 10_000 + month * 100 + day;
}

/** Splits and validates an ISO date; throws RuleInputError for anything that is not a real calendar day. */
export function parseIsoDate(value: IsoDate): CalendarParts {
  const packed = packedDate(value);
  return { year: Math.floor(packed / 10_000), month: Math.floor(packed / 100) % 100, day: packed % 100 };
}

export function isIsoDate(value: unknown): value is IsoDate {
  try {
    parseIsoDate(value as string);
    return true;
  } catch {
    return false;
  }
}

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

export function daysInMonth(year: number, month: number): number {
  return month === 2 && isLeapYear(year) ? 29 : DAYS_IN_MONTH[month - 1];
}

/** Days since 1970-01-01 (UTC). */
export function toDayNumber(date: IsoDate): number {
  const packed = packedDate(date);
  return Math.round(Date.UTC(Math.floor(packed / 10_000), (Math.floor(packed / 100) % 100) - 1, packed % 100) / MS_PER_DAY);
}

export function fromDayNumber(dayNumber: number): IsoDate {
  if (!Number.isInteger(dayNumber)) throw new RuleInputError(`Not a day number: ${dayNumber}`, 'INVALID_ARGUMENT');
  return new Date(dayNumber * MS_PER_DAY).toISOString().slice(0, 10);
}

export function addDays(date: IsoDate, days: number): IsoDate {
  return fromDayNumber(toDayNumber(date) + days);
}

/** Signed number of days from `from` to `to` (to - from). */
export function daysBetween(from: IsoDate, to: IsoDate): number {
  return toDayNumber(to) - toDayNumber(from);
}

/** Days from `from` to `to` counting both ends (same day = 1). 0 when `to` is before `from`. */
export function inclusiveDays(from: IsoDate, to: IsoDate): number {
  return Math.max(0, daysBetween(from, to) + 1);
}

export function compareIsoDates(a: IsoDate, b: IsoDate): number {
  return toDayNumber(a) - toDayNumber(b);
}

export function minDate(a: IsoDate, b: IsoDate): IsoDate {
  return compareIsoDates(a, b) <= 0 ? a : b;
}

export function maxDate(a: IsoDate, b: IsoDate): IsoDate {
  return compareIsoDates(a, b) >= 0 ? a : b;
}

/** 0 = Sunday .. 6 = Saturday. */
export function dayOfWeek(date: IsoDate): number {
  // 1970-01-01 was a Thursday (4).
  return (((toDayNumber(date) + 4) % 7) + 7) % 7;
}

export function isWeekend(date: IsoDate): boolean {
  const weekday = dayOfWeek(date);
  return weekday === 0 || weekday === 6;
}

/**
 * Adds calendar months. When the target month is shorter (31 Jan + 1 month, 29 Feb + 12 months) the result is
 * the last day of that month: a term "expires on the corresponding day of the last month, or on the last day
 * of the month when there is no corresponding day".
 */
export function addMonths(date: IsoDate, months: number): IsoDate {
  if (!Number.isInteger(months)) throw new RuleInputError(`Months must be whole: ${months}`, 'INVALID_ARGUMENT');
  const { year, month, day } = parseIsoDate(date);
  const monthIndex = year * 12 + (month - 1) + months;
  const targetYear = Math.floor(monthIndex / 12);
  const targetMonth = (monthIndex % 12) + 1;
  const targetDay = Math.min(day, daysInMonth(targetYear, targetMonth));
  return `${String(targetYear).padStart(4, '0')}-${String(targetMonth).padStart(2, '0')}-${String(targetDay).padStart(2, '0')}`;
}

export function addYears(date: IsoDate, years: number): IsoDate {
  return addMonths(date, years * 12);
}

export function yearOf(date: IsoDate): number {
  return parseIsoDate(date).year;
}

/** True when `date` lies in [from, until]; a null `until` is open-ended. */
export function isWithin(date: IsoDate, from: IsoDate, until: IsoDate | null): boolean {
  const day = toDayNumber(date);
  return day >= toDayNumber(from) && (until === null || day <= toDayNumber(until));
}

export interface DateInterval {
  from: IsoDate;
  /** Last day included; null = open-ended. */
  until: IsoDate | null;
}

/**
 * The first day of the unbroken run of intervals that covers `asOf` (intervals that touch or overlap chain
 * together: the next may start on the day after the previous one ends). Null when `asOf` is not covered.
 */
export function continuousCoverageStart(intervals: readonly DateInterval[], asOf: IsoDate): IsoDate | null {
  const asOfDay = toDayNumber(asOf);
  const ranges = intervals
    .map((interval) => ({
      from: toDayNumber(interval.from),
      until: interval.until === null ? Number.POSITIVE_INFINITY : toDayNumber(interval.until),
    }))
    .filter((range) => range.from <= range.until)
    .sort((a, b) => a.from - b.from);
  let runFrom: number | null = null;
  let runUntil = Number.NEGATIVE_INFINITY;
  for (const range of ranges) {
    if (range.from > asOfDay) break;
    if (runFrom === null || range.from > runUntil + 1) {
      runFrom = range.from;
      runUntil = range.until;
    } else {
      runUntil = Math.max(runUntil, range.until);
    }
  }
  return runFrom !== null && runUntil >= asOfDay ? fromDayNumber(runFrom) : null;
}
