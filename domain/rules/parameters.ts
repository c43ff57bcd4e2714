/**
 * The one table of legal parameters: durations, deadlines, fees, thresholds, the visa-exempt list and the
 * holiday calendar. A change of law is a new row with a later `effectiveFrom`, never a code change.
 *
 * Variants. The seeds are the default ('SEED'). Where current published practice differs from a seed
 * (REG-02 15 days, WP-05 1 year per permit, TRP-01 up to 3 years per permit as in the F2 duty table) the
 * published value is a row of variant 'PUBLISHED_PRACTICE'. A variant row is never used unless the caller asks
 * for that variant, so the seed value stays in force by default. We do not know the real date on which the
 * published practice took effect, so those rows carry the same `effectiveFrom` as the seed rows rather than
 * an invented date; when the date is known, set it and (if it should become the default) move the row into
 * the SEED variant with that date.
 *
 * `SINCE_RECORDS_BEGIN`: the seeds give no commencement date for their figures, so seed rows are in force
 * from this sentinel date, i.e. for every date the registries hold.
 */
import { AZERBAIJAN_CALENDAR, WorkingCalendar } from './calendar';
import { compareIsoDates } from './dates';
import { IsoDate, Money, MoneyRange, RuleInputError } from './types';

export const SINCE_RECORDS_BEGIN: IsoDate = '1900-01-01';

export type ParameterVariant = 'SEED' | 'PUBLISHED_PRACTICE';

/** A state duty table: one row per processing time (working days), one column per maximum duration (months). */
export interface DutyTable {
  currency: 'AZN';
  /** Column headers: the longest duration, in months, each column covers ("up to 3 months" = 3). */
  maxDurationMonths: readonly number[];
  /** Rows: processing time in working days -> amounts in column order. */
  byProcessingWorkingDays: Readonly<Record<number, readonly number[]>>;
}

/** The value type of every parameter, by name. */
export interface ParameterValues {
  STAY_VISA_FREE_MAX_DAYS: number;
  STAY_PANDEMIC_PRIOR_EXTENSION_DAYS: number;
  REG_REQUIRED_AFTER_DAYS: number;
  REG_DEADLINE_DAYS_AFTER_ARRIVAL: number;
  REG_FEE: Money;
  VISA_EXEMPT_CITIZENSHIPS: readonly string[];
  EVISA_MAX_STAY_DAYS: number;
  EVISA_PROCESSING_WORKING_DAYS: number;
  EVISA_FEE: Money;
  WP_REQUIRED_ABOVE_WORK_DAYS_PER_YEAR: number;
  WP_BUSINESS_TRIP_EXEMPT_MAX_DAYS_PER_YEAR: number;
  WP_PROCESSING_WORKING_DAYS: number;
  WP_PROCESSING_TIERS_WORKING_DAYS: readonly number[];
  WP_MAX_TERM_MONTHS: number;
  WP_MAX_TOTAL_MONTHS: number;
  WP_DUTY_TABLE: DutyTable;
  WP_S0_DUTY_RANGE: MoneyRange;
  TRP_MAX_TERM_MONTHS: number;
  TRP_MAX_TOTAL_MONTHS: number;
  TRP_PROCESSING_WORKING_DAYS: number;
  TRP_DUTY_TABLE: DutyTable;
  RESIDENCE_S0_DUTY_RANGE: MoneyRange;
  PR_MIN_CONTINUOUS_TEMPORARY_RESIDENCE_YEARS: number;
  PR_GR_MIN_INVESTMENT_AZN: number;
  PR_GR_MIN_REAL_ESTATE_AZN: number;
  PR_GR_MIN_DEPOSIT_AZN: number;
  PR_RF_MAX_DAYS_ABROAD_PER_YEAR: number;
  PR_RF_REPLACEMENT_DOCUMENT_WORKING_DAYS: number;
  CIT_MIN_CONTINUOUS_PERMANENT_RESIDENCE_YEARS: number;
  CIT_DUTY_RANGE: MoneyRange;
  FINE_STAY_RULES_RANGE: MoneyRange;
  FINE_LOST_RESIDENCE_DOCUMENT: Money;
  PUBLIC_HOLIDAY_CALENDAR: WorkingCalendar;
}

export type ParameterName = keyof ParameterValues;

export interface ParameterEntry<N extends ParameterName = ParameterName> {
  name: N;
  value: ParameterValues[N];
  citation: string;
  effectiveFrom: IsoDate;
  variant: ParameterVariant;
  note?: string;
}

type AnyEntry = { [N in ParameterName]: ParameterEntry<N> }[ParameterName];

function row<N extends ParameterName>(
  name: N,
  value: ParameterValues[N],
  citation: string,
  note?: string,
  variant: ParameterVariant = 'SEED',
  effectiveFrom: IsoDate = SINCE_RECORDS_BEGIN,
): ParameterEntry<N> {
  return { name, value, citation, effectiveFrom, variant, note };
}

/**
 * Citizenships (ISO 3166-1 alpha-3) whose holders enter Azerbaijan without a visa: the CIS neighbours with a
 * visa-free agreement, Georgia and Turkey. This list is operational data to be maintained against the
 * Ministry of Foreign Affairs' current list; it is not a legal source, and bilateral terms (some agreements
 * allow fewer than 90 days) are not modelled.
 */
const VISA_EXEMPT_CITIZENSHIPS = ['BLR', 'GEO', 'KAZ', 'KGZ', 'MDA', 'RUS', 'TJK', 'TUR', 'UKR', 'UZB'] as const;

/** F1: work permit state duty, AZN. Columns: up to 3 months, 6 months, 1 year. */
const F1_WORK_PERMIT_DUTY: DutyTable = {
  currency: 'AZN',
  maxDurationMonths: [3, 6, 12],
  byProcessingWorkingDays: {
    10: [700, 900, 1400],
    15: [500, 700, 1200],
    20: [350, 600, 1000],
  },
};

/** F2: temporary residence permit state duty for adults, AZN. Columns: up to 3, 6, 12, 18, 24, 30, 36 months. */
const F2_TEMPORARY_RESIDENCE_DUTY: DutyTable = {
  currency: 'AZN',
  maxDurationMonths: [3, 6, 12, 18, 24, 30, 36],
  byProcessingWorkingDays: {
    15: [40, 80, 160, 240, 320, 400, 480],
    20: [30, 60, 120, 180, 240, 300, 360],
  },
};

export const PARAMETER_TABLE: readonly AnyEntry[] = [
  row('STAY_VISA_FREE_MAX_DAYS', 90, 'S1 (viza müddəti və ya 90 gün)', 'Days of a visa-free stay, counted from the entry day.'),
  row(
    'STAY_PANDEMIC_PRIOR_EXTENSION_DAYS',
    60,
    'S1 (pandemiya dövrü)',
    'Historic: stays already extended by 60 days (duty paid) were deemed lawful until border restrictions were lifted.',
  ),
  row('REG_REQUIRED_AFTER_DAYS', 15, 'S0', 'Registration by place of stay is required for a stay of MORE than this many days.'),
  row('REG_DEADLINE_DAYS_AFTER_ARRIVAL', 10, 'S0', 'Calendar days after the arrival day.'),
  row(
    'REG_DEADLINE_DAYS_AFTER_ARRIVAL',
    15,
    'Published practice (catalog REG-02)',
    'Published practice; effective date unknown to us, so it is a variant, not a dated change.',
    'PUBLISHED_PRACTICE',
  ),
  row('REG_FEE', { amount: 0, currency: 'AZN' }, 'S0', 'Registration by place of stay is free of charge.'),
  row('VISA_EXEMPT_CITIZENSHIPS', VISA_EXEMPT_CITIZENSHIPS, 'S0 (visa regime exemptions); list maintained as data', 'Not a legal source: maintain against the current official list.'),
  row('EVISA_MAX_STAY_DAYS', 30, 'S0'),
  row('EVISA_PROCESSING_WORKING_DAYS', 3, 'S0'),
  row('EVISA_FEE', { amount: 20, currency: 'USD' }, 'S0'),
  row('WP_REQUIRED_ABOVE_WORK_DAYS_PER_YEAR', 90, 'S0', 'S0: a permit is needed to work for more than 90 days within a year.'),
  row('WP_BUSINESS_TRIP_EXEMPT_MAX_DAYS_PER_YEAR', 90, 'S1; Miqrasiya Məcəlləsi (iş icazəsi tələb olunmayan hallar, 9)'),
  row('WP_PROCESSING_WORKING_DAYS', 20, 'S0'),
  row('WP_PROCESSING_TIERS_WORKING_DAYS', [10, 15, 20], 'F1'),
  row('WP_MAX_TERM_MONTHS', 24, 'S0', 'At most 2 years at a time.'),
  row('WP_MAX_TERM_MONTHS', 12, 'Published practice (catalog WP-05)', 'Published practice: 1 year each time; effective date unknown to us.', 'PUBLISHED_PRACTICE'),
  row('WP_MAX_TOTAL_MONTHS', 60, 'S0', 'Up to 5 years in total with extensions.'),
  row('WP_DUTY_TABLE', F1_WORK_PERMIT_DUTY, 'F1'),
  row('WP_S0_DUTY_RANGE', { min: 350, max: 1000, currency: 'AZN' }, 'S0'),
  row('TRP_MAX_TERM_MONTHS', 12, 'S0', 'Up to one year at a time.'),
  row(
    'TRP_MAX_TERM_MONTHS',
    36,
    'F2 (duty table lists terms up to 3 years)',
    'Published practice as implied by F2; effective date unknown to us.',
    'PUBLISHED_PRACTICE',
  ),
  row('TRP_MAX_TOTAL_MONTHS', 60, 'S0', 'Extendable up to 5 years.'),
  row('TRP_PROCESSING_WORKING_DAYS', 30, 'S0'),
  row('TRP_DUTY_TABLE', F2_TEMPORARY_RESIDENCE_DUTY, 'F2'),
  row('RESIDENCE_S0_DUTY_RANGE', { min: 40, max: 200, currency: 'AZN' }, 'S0', 'S0 range for residence permits by type and duration.'),
  row('PR_MIN_CONTINUOUS_TEMPORARY_RESIDENCE_YEARS', 2, 'S1; S0'),
  row('PR_GR_MIN_INVESTMENT_AZN', 500_000, 'S1'),
  row('PR_GR_MIN_REAL_ESTATE_AZN', 100_000, 'S1'),
  row('PR_GR_MIN_DEPOSIT_AZN', 100_000, 'S1'),
  row('PR_RF_MAX_DAYS_ABROAD_PER_YEAR', 180, 'S1', 'Refusal when MORE than this many days abroad in one permit year.'),
  row('PR_RF_REPLACEMENT_DOCUMENT_WORKING_DAYS', 10, 'S1'),
  row('CIT_MIN_CONTINUOUS_PERMANENT_RESIDENCE_YEARS', 5, 'S1; S0'),
  row('CIT_DUTY_RANGE', { min: 50, max: 1000, currency: 'AZN' }, 'S0'),
  row('FINE_STAY_RULES_RANGE', { min: 300, max: 400, currency: 'AZN' }, 'F3'),
  row('FINE_LOST_RESIDENCE_DOCUMENT', { amount: 30, currency: 'AZN' }, 'F3'),
  row('PUBLIC_HOLIDAY_CALENDAR', AZERBAIJAN_CALENDAR, 'CAL-01 calendar data (calendar.ts)', 'Reviewed every year; covers 2024-2027.'),
];

/**
 * The row of `name` in force on `asOf` for `variant`: the one with the latest `effectiveFrom` not after
 * `asOf`. A variant without its own row for a parameter falls back to the SEED rows.
 * Throws RuleInputError when no row is in force (a date before the table begins).
 */
export function parameterAt<N extends ParameterName>(
  name: N,
  asOf: IsoDate,
  variant: ParameterVariant = 'SEED',
): ParameterEntry<N> {
  const rowsOf = (wanted: ParameterVariant) =>
    (PARAMETER_TABLE as readonly ParameterEntry[]).filter(
      (entry) => entry.name === name && entry.variant === wanted && compareIsoDates(entry.effectiveFrom, asOf) <= 0,
    );
  let candidates = rowsOf(variant);
  if (candidates.length === 0 && variant !== 'SEED') candidates = rowsOf('SEED');
  if (candidates.length === 0) {
    throw new RuleInputError(`No value of parameter ${name} is in force on ${asOf}`, 'PARAMETER_NOT_IN_FORCE');
  }
  const latest = candidates.reduce((best, entry) =>
    compareIsoDates(entry.effectiveFrom, best.effectiveFrom) > 0 ? entry : best,
  );
  return latest as ParameterEntry<N>;
}

/** Shorthand for the value only. */
export function parameterValue<N extends ParameterName>(
  name: N,
  asOf: IsoDate,
  variant: ParameterVariant = 'SEED',
): ParameterValues[N] {
  return parameterAt(name, asOf, variant).value;
}

export const PARAMETER_NAMES: readonly ParameterName[] = [...new Set(PARAMETER_TABLE.map((entry) => entry.name))];
