/**
 * CAL-01: working days. Saturdays, Sundays, public holidays, transferred days off and Cabinet swap days off
 * are not working days; a weekend day made a working day by a Cabinet swap is one.
 *
 * Counting convention: the submission day itself is NOT counted. A deadline of n working days ends on the
 * n-th working day after the submission day, whatever kind of day the submission day was.
 * Outside the calendar's covered years every function throws RuleInputError('CALENDAR_NOT_COVERED').
 */
import { reason } from './catalog';
import { AZERBAIJAN_CALENDAR, WorkingCalendar, assertCovered } from './calendar';
import { addDays, compareIsoDates, isWeekend, parseIsoDate } from './dates';
import { parameterAt } from './parameters';
import { ApplicationType, IsoDate, Reason, RuleInputError } from './types';

export function isWorkingDay(date: IsoDate, calendar: WorkingCalendar = AZERBAIJAN_CALENDAR): boolean {
  assertCovered(calendar, date);
  if (calendar.workingWeekendDays.has(date)) return true;
  if (isWeekend(date)) return false;
  return !calendar.nonWorkingWeekdays.has(date);
}

/** The n-th working day after `start` (start itself not counted). n = 0 returns `start`. */
export function addWorkingDays(start: IsoDate, n: number, calendar: WorkingCalendar = AZERBAIJAN_CALENDAR): IsoDate {
  parseIsoDate(start);
  if (!Number.isInteger(n) || n < 0) {
    throw new RuleInputError(`Working days must be a whole number >= 0: ${n}`, 'INVALID_ARGUMENT');
  }
  assertCovered(calendar, start);
  let date = start;
  let counted = 0;
  while (counted < n) {
    date = addDays(date, 1);
    if (isWorkingDay(date, calendar)) counted += 1;
  }
  return date;
}

/** Working days after `from` up to and including `to` (0 when `to` is not after `from`). */
export function workingDaysBetween(from: IsoDate, to: IsoDate, calendar: WorkingCalendar = AZERBAIJAN_CALENDAR): number {
  assertCovered(calendar, from);
  assertCovered(calendar, to);
  let count = 0;
  for (let date = addDays(from, 1); compareIsoDates(date, to) <= 0; date = addDays(date, 1)) {
    if (isWorkingDay(date, calendar)) count += 1;
  }
  return count;
}

export interface DueDateDecision {
  outcome: 'DUE' | 'NO_DEADLINE';
  dueOn: IsoDate | null;
  processingWorkingDays: number | null;
  reasons: Reason[];
}

/**
 * The processing deadline of an application: WP-04 (20 working days, or a faster tier of 15 or 10),
 * TRP-03 (30 working days), VISA-02 (3 working days). Other types have no deadline in the seeds.
 * `processingWorkingDays` chooses a tier where tiers exist; an unknown tier throws.
 */
export function applicationDueDate(
  applicationType: ApplicationType,
  submittedOn: IsoDate,
  processingWorkingDays?: number | null,
  calendar: WorkingCalendar = AZERBAIJAN_CALENDAR,
): DueDateDecision {
  let days: number;
  let ruleId: string;
  if (applicationType === 'WORK_PERMIT' || applicationType === 'WORK_PERMIT_EXTENSION') {
    const tiers = parameterAt('WP_PROCESSING_TIERS_WORKING_DAYS', submittedOn).value;
    days = processingWorkingDays ?? parameterAt('WP_PROCESSING_WORKING_DAYS', submittedOn).value;
    if (!tiers.includes(days)) {
      throw new RuleInputError(`WP-04: no processing tier of ${days} working days (tiers: ${tiers.join(', ')})`, 'INVALID_ARGUMENT');
    }
    ruleId = 'WP-04';
  } else if (applicationType === 'TEMPORARY_RESIDENCE' || applicationType === 'TEMPORARY_RESIDENCE_EXTENSION') {
    days = processingWorkingDays ?? parameterAt('TRP_PROCESSING_WORKING_DAYS', submittedOn).value;
    ruleId = 'TRP-03';
  } else if (applicationType === 'E_VISA') {
    days = processingWorkingDays ?? parameterAt('EVISA_PROCESSING_WORKING_DAYS', submittedOn).value;
    ruleId = 'VISA-02';
  } else {
    return {
      outcome: 'NO_DEADLINE',
      dueOn: null,
      processingWorkingDays: null,
      reasons: [
        reason(
          'CAL-01',
          `The seeds set no processing deadline for ${applicationType}.`,
          `Mənbələr ${applicationType} üçün baxılma müddəti müəyyən etmir.`,
          { applicationType },
        ),
      ],
    };
  }
  const dueOn = addWorkingDays(submittedOn, days, calendar);
  return {
    outcome: 'DUE',
    dueOn,
    processingWorkingDays: days,
    reasons: [
      reason(
        ruleId,
        `Submitted on ${submittedOn}; due within ${days} working days, by ${dueOn}.`,
        `${submittedOn} tarixində təqdim edilib; ${days} iş günü ərzində, ${dueOn} tarixinədək.`,
        { submittedOn, dueOn, processingWorkingDays: days },
      ),
      reason(
        'CAL-01',
        'Working days skip weekends and public holidays; the submission day is not counted.',
        'İş günlərinə həftəsonu və bayram günləri daxil deyil; təqdim günü hesablanmır.',
        { calendar: calendar.id },
      ),
    ],
  };
}
