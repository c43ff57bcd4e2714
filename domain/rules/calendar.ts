/**
 * CAL-01: the public holidays and non-working days of Azerbaijan, as data, one block per year.
 *
 * This calendar is data to be reviewed every year, not a legal source. What it holds:
 * - the fixed holidays of the Labour Code that are non-working days;
 * - Novruz (5 days) and the Ramazan and Gurban bayrams (2 days each), whose dates the Cabinet of Ministers
 *   sets every year from the Academy of Sciences and the Caucasus Muslims Board; entries marked
 *   `approximate: true` are astronomical estimates, not a published Cabinet decision, and must be confirmed;
 * - the Labour Code rule that a holiday falling on a Saturday or Sunday, or on another holiday, moves the day
 *   off to the next working day (computed in `buildWorkingCalendar`, not typed by hand);
 * - the Cabinet's occasional swaps of a working day and a weekend day, where we know them.
 *
 * Commemorative days that are working days (they are listed so nobody "fixes" the calendar by adding them):
 * 18 October (Day of Restoration of Independence; a working day since 2021), 12 November (Constitution Day)
 * and 17 November (National Revival Day), both working days since 2006.
 *
 * Outside the covered years the working-day functions throw instead of guessing.
 */
import { addDays, compareIsoDates, isWeekend, yearOf } from './dates';
import { IsoDate, LocalizedText, RuleInputError } from './types';

export type NonWorkingDayKind =
  /** A holiday of the Labour Code: moves to the next working day when it falls on a weekend or another holiday. */
  | 'PUBLIC_HOLIDAY'
  /** 20 January, Day of National Mourning: a non-working day that is not moved when it falls on a weekend. */
  | 'MOURNING_DAY'
  /** The next working day given off because a holiday fell on a weekend or on another holiday. */
  | 'TRANSFERRED_DAY_OFF'
  /** A weekday made a day off by a Cabinet decision swapping it with a weekend day. */
  | 'CABINET_SWAP_DAY_OFF';

export interface HolidaySpec {
  date: IsoDate;
  name: LocalizedText;
  kind: 'PUBLIC_HOLIDAY' | 'MOURNING_DAY';
  /** The date is an estimate (religious holidays not yet fixed by the Cabinet when this was written). */
  approximate?: boolean;
}

export interface YearSpec {
  holidays: HolidaySpec[];
  /** Cabinet swaps: weekdays made days off, and weekend days made working days. */
  swappedDaysOff?: IsoDate[];
  swappedWorkingDays?: IsoDate[];
}

export interface NonWorkingDay {
  date: IsoDate;
  kind: NonWorkingDayKind;
  name: LocalizedText;
  approximate: boolean;
}

export interface WorkingCalendar {
  id: string;
  /** Years for which the calendar is complete; any other year is an error, not a guess. */
  coveredYears: readonly number[];
  /** Weekdays that are not working days (holidays, transferred days, swaps), keyed by date. */
  nonWorkingWeekdays: ReadonlyMap<IsoDate, NonWorkingDay>;
  /** Weekend days that are working days by a Cabinet swap. */
  workingWeekendDays: ReadonlySet<IsoDate>;
  /** Every holiday day (including those that fell on a weekend), for display. */
  holidays: readonly NonWorkingDay[];
}

const name = (az: string, en: string): LocalizedText => ({ az, en });

const NEW_YEAR = name('Yeni il', "New Year's Day");
const MOURNING = name('Ümumxalq Hüzn Günü', 'Day of National Mourning');
const WOMEN = name('Qadınlar günü', "International Women's Day");
const NOVRUZ = name('Novruz bayramı', 'Novruz holiday');
const RAMAZAN = name('Ramazan bayramı', 'Ramazan bayram (Eid al-Fitr)');
const GURBAN = name('Qurban bayramı', 'Gurban bayram (Eid al-Adha)');
const VICTORY_FASCISM = name('Faşizm üzərində qələbə günü', 'Victory over Fascism Day');
const INDEPENDENCE = name('Müstəqillik Günü', 'Independence Day');
const SALVATION = name('Azərbaycan xalqının Milli Qurtuluş Günü', 'National Salvation Day');
const ARMED_FORCES = name('Azərbaycan Respublikasının Silahlı Qüvvələri Günü', 'Armed Forces Day');
const VICTORY = name('Zəfər Günü', 'Victory Day');
const FLAG = name('Azərbaycan Respublikasının Dövlət Bayrağı Günü', 'National Flag Day');
const SOLIDARITY = name('Dünya Azərbaycanlılarının Həmrəyliyi Günü', 'Day of Solidarity of World Azerbaijanis');
const TRANSFERRED = name('Köçürülmüş istirahət günü', 'Day off transferred from a holiday');
const SWAPPED = name('Nazirlər Kabinetinin qərarı ilə istirahət günü', 'Day off by a Cabinet swap');

/** The fixed holidays of a year (same dates every year). */
function fixedHolidays(year: number): HolidaySpec[] {
  const on = (monthDay: string, holiday: LocalizedText, kind: HolidaySpec['kind'] = 'PUBLIC_HOLIDAY'): HolidaySpec => ({
    date: `${year}-${monthDay}`,
    name: holiday,
    kind,
  });
  return [
    on('01-01', NEW_YEAR),
    on('01-02', NEW_YEAR),
    on('01-20', MOURNING, 'MOURNING_DAY'),
    on('03-08', WOMEN),
    on('05-09', VICTORY_FASCISM),
    on('05-28', INDEPENDENCE),
    on('06-15', SALVATION),
    on('06-26', ARMED_FORCES),
    on('11-08', VICTORY),
    on('11-09', FLAG),
    on('12-31', SOLIDARITY),
  ];
}

function days(dates: IsoDate[], holiday: LocalizedText, approximate = false): HolidaySpec[] {
  return dates.map((date) => ({ date, name: holiday, kind: 'PUBLIC_HOLIDAY' as const, approximate }));
}

/**
 * Per-year data. 2024 and 2025: Cabinet decisions as reported at the time (Novruz 20-24 March each year;
 * Ramazan 10-11 April 2024 and 30-31 March 2025; Gurban 16-17 June 2024 and 6-7 June 2025), with the swaps
 * of 6/12 April 2024 and 28-29/30 December 2024 and 3 January 2025.
 * 2026: Novruz 20-24 March and Ramazan 20-21 March (they coincide); Gurban 27-28 May is an estimate.
 * 2027: all three religious/seasonal holidays are estimates (Novruz may be 21-25 March: the equinox falls
 * close to midnight Baku time).
 */
export const AZERBAIJAN_HOLIDAY_DATA: Readonly<Record<number, YearSpec>> = {
  2024: {
    holidays: [
      ...fixedHolidays(2024),
      ...days(['2024-03-20', '2024-03-21', '2024-03-22', '2024-03-23', '2024-03-24'], NOVRUZ),
      ...days(['2024-04-10', '2024-04-11'], RAMAZAN),
      ...days(['2024-06-16', '2024-06-17'], GURBAN),
    ],
    swappedDaysOff: ['2024-04-12', '2024-12-30'],
    swappedWorkingDays: ['2024-04-06', '2024-12-28', '2024-12-29'],
  },
  2025: {
    holidays: [
      ...fixedHolidays(2025),
      ...days(['2025-03-20', '2025-03-21', '2025-03-22', '2025-03-23', '2025-03-24'], NOVRUZ),
      ...days(['2025-03-30', '2025-03-31'], RAMAZAN),
      ...days(['2025-06-06', '2025-06-07'], GURBAN),
    ],
    swappedDaysOff: ['2025-01-03'],
  },
  2026: {
    holidays: [
      ...fixedHolidays(2026),
      ...days(['2026-03-20', '2026-03-21', '2026-03-22', '2026-03-23', '2026-03-24'], NOVRUZ),
      ...days(['2026-03-20', '2026-03-21'], RAMAZAN),
      ...days(['2026-05-27', '2026-05-28'], GURBAN, true),
    ],
  },
  2027: {
    holidays: [
      ...fixedHolidays(2027),
      ...days(['2027-03-20', '2027-03-21', '2027-03-22', '2027-03-23', '2027-03-24'], NOVRUZ, true),
      ...days(['2027-03-09', '2027-03-10'], RAMAZAN, true),
      ...days(['2027-05-16', '2027-05-17'], GURBAN, true),
    ],
  },
};

/**
 * The last holiday of the year before the first covered year, kept only because its transfer lands in the
 * covered range (31 December 2023 was a Sunday: the day off moved to 3 January 2024).
 */
const CARRY_IN: HolidaySpec[] = [{ date: '2023-12-31', name: SOLIDARITY, kind: 'PUBLIC_HOLIDAY' }];

/**
 * Builds a calendar from per-year data: applies the weekend/coincidence transfer rule and the Cabinet swaps.
 * Transfers are assigned in date order, each to the first following weekday that is not already a day off.
 */
export function buildWorkingCalendar(
  id: string,
  data: Readonly<Record<number, YearSpec>>,
  carryIn: readonly HolidaySpec[] = [],
): WorkingCalendar {
  const coveredYears = Object.keys(data)
    .map(Number)
    .sort((a, b) => a - b);
  const allHolidays = [...carryIn, ...coveredYears.flatMap((year) => data[year].holidays)].sort((a, b) =>
    compareIsoDates(a.date, b.date),
  );
  const swappedWorking = new Set(coveredYears.flatMap((year) => data[year].swappedWorkingDays ?? []));
  const nonWorking = new Map<IsoDate, NonWorkingDay>();
  const holidayDates = new Set(allHolidays.map((holiday) => holiday.date));
  const occupied = new Set<IsoDate>();
  const transfersNeeded: HolidaySpec[] = [];

  for (const holiday of allHolidays) {
    const entry: NonWorkingDay = {
      date: holiday.date,
      kind: holiday.kind,
      name: holiday.name,
      approximate: holiday.approximate ?? false,
    };
    const coincides = occupied.has(holiday.date);
    occupied.add(holiday.date);
    if (!isWeekend(holiday.date) && !nonWorking.has(holiday.date)) nonWorking.set(holiday.date, entry);
    if (holiday.kind === 'PUBLIC_HOLIDAY' && (isWeekend(holiday.date) || coincides)) transfersNeeded.push(holiday);
  }
  for (const year of coveredYears) {
    for (const date of data[year].swappedDaysOff ?? []) {
      nonWorking.set(date, { date, kind: 'CABINET_SWAP_DAY_OFF', name: SWAPPED, approximate: false });
    }
  }
  for (const holiday of transfersNeeded) {
    let candidate = addDays(holiday.date, 1);
    while (isWeekend(candidate) || holidayDates.has(candidate) || nonWorking.has(candidate)) {
      candidate = addDays(candidate, 1);
    }
    nonWorking.set(candidate, {
      date: candidate,
      kind: 'TRANSFERRED_DAY_OFF',
      name: TRANSFERRED,
      approximate: holiday.approximate ?? false,
    });
  }
  const holidays = allHolidays
    .filter((holiday) => coveredYears.includes(yearOf(holiday.date)))
    .map((holiday) => ({
      date: holiday.date,
      kind: holiday.kind as NonWorkingDayKind,
      name: holiday.name,
      approximate: holiday.approximate ?? false,
    }));
  return {
    id,
    coveredYears,
    nonWorkingWeekdays: nonWorking,
    workingWeekendDays: swappedWorking,
    holidays,
  };
}

/** The calendar of Azerbaijan for 2024-2027. */
export const AZERBAIJAN_CALENDAR: WorkingCalendar = buildWorkingCalendar(
  'AZ-2024-2027',
  AZERBAIJAN_HOLIDAY_DATA,
  CARRY_IN,
);

export function assertCovered(calendar: WorkingCalendar, date: IsoDate): void {
  const year = yearOf(date);
  if (!calendar.coveredYears.includes(year)) {
    // A year is covered once its public holidays are added to the data above.
    throw new RuleInputError(
      `CAL-01: the working-day calendar ${calendar.id} does not cover ${year} (covers ${calendar.coveredYears.join(', ')})`,
      'CALENDAR_NOT_COVERED',
    );
  }
}
