import { z } from 'zod';
import { ConfigError, parseEnvironment } from './config';
import { badUserInput } from './errors';
import { addDays } from '../domain/rules/dates';

/** No record of the Service is about a day before this one (the earliest birth date a person may have). */
export const EARLIEST_PLAUSIBLE_DATE = '1900-01-01';

/** The variable that sets how many days past today a reported day may lie. */
export const WRITE_DATE_MARGIN_VARIABLE = 'WRITE_DATE_MARGIN_DAYS';

export const writeDatesEnvironment = z.object({
  /**
   * Days past today (in Baku) that the day of a reported event may lie: a feed whose clock or time zone
   * runs ahead of Baku's may report tomorrow's date for a crossing made tonight. Small on purpose.
   */
  [WRITE_DATE_MARGIN_VARIABLE]: z.coerce.number().int().min(0).max(7).default(1),
});

/** What the registries' write paths accept as a plausible day. */
export interface WriteDates {
  /** Days past today that a reported event may lie (WRITE_DATE_MARGIN_DAYS). */
  marginDays: number;
}

export const DEFAULT_WRITE_DATES: WriteDates = { marginDays: writeDatesEnvironment.parse({})[WRITE_DATE_MARGIN_VARIABLE] };

/** The write dates a registry's environment configures; a bad value throws a ConfigError naming the variable. */
export function writeDatesFrom(env: NodeJS.ProcessEnv): WriteDates {
  return { marginDays: parseEnvironment(writeDatesEnvironment, env)[WRITE_DATE_MARGIN_VARIABLE] };
}

/** For a registry's main.ts: as writeDatesFrom, but a bad value stops the process with the message, as the shared bootstrap does. */
export function writeDatesOrExit(registry: string, env: NodeJS.ProcessEnv = process.env): WriteDates {
  try {
    return writeDatesFrom(env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(`[${registry}] ${error.message}`);
    process.exit(1);
  }
}

/** One end of a window of days, with what it is, for the message. */
export interface DayBound {
  date: string;
  label: string;
  /** A day of a stored record (a person's birth): the message names it by its label alone, never its date. */
  withheld?: boolean;
}

/** The days a date may fall on, both ends included; no latest end for a date with no ceiling (a document's expiry). */
export interface DayWindow {
  earliest: DayBound;
  latest: DayBound | null;
}

/**
 * The days a reported event may fall on (a crossing, a fine imposed, a document issued, a duty
 * billed): from 1900-01-01 to today plus the configured margin.
 */
export function eventDays(today: string, dates: WriteDates): DayWindow {
  const margin = dates.marginDays === 1 ? '1 day' : `${dates.marginDays} days`;
  return {
    earliest: { date: EARLIEST_PLAUSIBLE_DATE, label: EARLIEST_PLAUSIBLE_DATE },
    latest: { date: addDays(today, dates.marginDays), label: `today plus ${WRITE_DATE_MARGIN_VARIABLE} = ${margin}` },
  };
}

/**
 * The days a message of another registry may carry (a duty billed or cancelled, on the applications
 * registry's own clock): from 1900-01-01 to a year past today. The sender's clock set the day and the
 * receiver's may differ from it, so only what no clock would say is refused.
 */
export function relayedDays(today: string): DayWindow {
  return {
    earliest: { date: EARLIEST_PLAUSIBLE_DATE, label: EARLIEST_PLAUSIBLE_DATE },
    latest: { date: addDays(today, 365), label: "a year past today: a day set by the sending registry's clock" },
  };
}

/**
 * The window moved to start no earlier than the person's birth: nothing happens to a person before it.
 * The birth date is of a stored record the writer may not be allowed to read: a refusal names that end
 * by its label alone, never its date.
 */
export function notBeforeBirth(window: DayWindow, birthDate: string): DayWindow {
  return birthDate > window.earliest.date ? { ...window, earliest: { date: birthDate, label: "the person's birth date", withheld: true } } : window;
}

/**
 * The one check of every date a write accepts: a date outside its window is refused with
 * BAD_USER_INPUT naming the field and both ends of the window.
 */
export function checkDay(value: string, field: string, window: DayWindow): void {
  const { earliest, latest } = window;
  if (value >= earliest.date && (!latest || value <= latest.date)) return;
  const ends = latest ? `between ${describe(earliest)} and ${describe(latest)}` : `on or after ${describe(earliest)}`;
  throw badUserInput(`${field} must lie ${ends}; ${value} is not a plausible day`, field);
}

function describe(bound: DayBound): string {
  if (bound.withheld) return bound.label;
  return `${bound.date} (${bound.label === bound.date ? 'the earliest plausible day' : bound.label})`;
}
