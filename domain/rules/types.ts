/**
 * Shared vocabulary of the rules layer. Rules are pure: facts and an evaluation date in, a decision out.
 * Nothing here reads a clock, a database or the network.
 */

/** An ISO calendar date, 'YYYY-MM-DD'. Dates carry no time and no time zone on purpose. */
export type IsoDate = string;

export interface LocalizedText {
  az: string;
  en: string;
}

/** Why a rule decided as it did. `ruleId` is a stable ID from rules-catalog.md. */
export interface Reason {
  ruleId: string;
  /** The seed (S0, S1) or published figure (F1..F3) and, where the seed gives one, the article of the Code. */
  citation: string;
  message: LocalizedText;
  /** Optional structured detail (numbers, dates) so callers need not parse the message. */
  detail?: Readonly<Record<string, string | number | boolean | null | readonly string[]>>;
}

export interface Decision<Outcome extends string> {
  outcome: Outcome;
  reasons: Reason[];
}

/** Three-valued fact: true, false, or not (yet) recorded. Unknown never passes silently. */
export type RecordedFact = boolean | null | undefined;

export type Currency = 'AZN' | 'USD';

export interface Money {
  amount: number;
  currency: Currency;
}

export interface MoneyRange {
  min: number;
  max: number;
  currency: Currency;
}

/** Every kind of application the registries accept. Used by the subgraphs; keep in sync with their enums. */
export type ApplicationType =
  | 'WORK_PERMIT'
  | 'WORK_PERMIT_EXTENSION'
  | 'TEMPORARY_RESIDENCE'
  | 'TEMPORARY_RESIDENCE_EXTENSION'
  | 'PERMANENT_RESIDENCE'
  | 'TEMPORARY_STAY_EXTENSION'
  | 'REGISTRATION_BY_PLACE_OF_STAY'
  | 'CITIZENSHIP_ADMISSION'
  | 'CITIZENSHIP_RESTORATION'
  | 'CITIZENSHIP_TERMINATION'
  | 'E_VISA';

export const APPLICATION_TYPES: readonly ApplicationType[] = [
  'WORK_PERMIT',
  'WORK_PERMIT_EXTENSION',
  'TEMPORARY_RESIDENCE',
  'TEMPORARY_RESIDENCE_EXTENSION',
  'PERMANENT_RESIDENCE',
  'TEMPORARY_STAY_EXTENSION',
  'REGISTRATION_BY_PLACE_OF_STAY',
  'CITIZENSHIP_ADMISSION',
  'CITIZENSHIP_RESTORATION',
  'CITIZENSHIP_TERMINATION',
  'E_VISA',
];

/**
 * Thrown for input a rule cannot reason about at all (a malformed date, a date outside the holiday calendar).
 * Questions of law with an uncertain answer are decisions (UNDETERMINED / ERROR), never exceptions.
 */
export class RuleInputError extends Error {
  constructor(
    message: string,
    readonly code: 'INVALID_DATE' | 'INVALID_ARGUMENT' | 'CALENDAR_NOT_COVERED' | 'PARAMETER_NOT_IN_FORCE',
  ) {
    super(message);
    this.name = 'RuleInputError';
  }
}
