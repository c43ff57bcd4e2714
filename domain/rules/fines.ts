/**
 * FINE-01..02 (F3): administrative fines for breaking the rules of stay and residence, and which are still
 * outstanding. A fine is outstanding from the day it is imposed until the day it is paid; an outstanding fine
 * is refusal ground PR-RF-16. Every offence modelled here is a breach of the rules of stay and residence
 * (the lost or damaged residence document included), so every outstanding one counts for PR-RF-16.
 */
import { reason } from './catalog';
import { compareIsoDates, parseIsoDate } from './dates';
import { parameterAt } from './parameters';
import { Decision, IsoDate, Money, MoneyRange, Reason } from './types';

export type FineOffence =
  | 'STAY_WITHOUT_DOCUMENTS'
  | 'STAY_WITHOUT_REGISTRATION'
  | 'OVERSTAY'
  | 'WORK_WITHOUT_PERMIT'
  | 'BREACH_OF_DECLARED_PURPOSE'
  | 'LOST_OR_DAMAGED_RESIDENCE_DOCUMENT';

export interface FineFact {
  id?: string;
  offence: FineOffence;
  imposedOn: IsoDate;
  amount: Money;
  /** Day the fine was paid in full; null while unpaid. */
  paidOn: IsoDate | null;
  withExpulsion?: boolean;
}

export interface FineAmountRule {
  range: MoneyRange;
  reasons: Reason[];
}

/** FINE-01 / F3: the amount range (a fixed amount is a range with min = max) for an offence. */
export function fineAmountRange(offence: FineOffence, asOf: IsoDate): FineAmountRule {
  if (offence === 'LOST_OR_DAMAGED_RESIDENCE_DOCUMENT') {
    const fixed = parameterAt('FINE_LOST_RESIDENCE_DOCUMENT', asOf).value;
    return {
      range: { min: fixed.amount, max: fixed.amount, currency: fixed.currency },
      reasons: [
        reason('F3', `A lost or damaged residence document: ${fixed.amount} ${fixed.currency}.`, `Yaşama sənədinin itirilməsi və ya korlanması: ${fixed.amount} ${fixed.currency}.`),
      ],
    };
  }
  const range = parameterAt('FINE_STAY_RULES_RANGE', asOf).value;
  return {
    range,
    reasons: [
      reason(
        'FINE-01',
        `Breaking the rules of stay (${offence}): ${range.min}–${range.max} ${range.currency}, with or without expulsion.`,
        `Olma qaydalarının pozulması (${offence}): ${range.min}–${range.max} ${range.currency}, ölkədən çıxarılmaqla və ya çıxarılmadan.`,
        { offence, min: range.min, max: range.max },
      ),
    ],
  };
}

/** FINE-01: is an imposed amount within the range for its offence? */
export function checkFineAmount(fine: FineFact, asOf: IsoDate): Decision<'WITHIN_RANGE' | 'OUTSIDE_RANGE'> {
  const { range, reasons } = fineAmountRange(fine.offence, asOf);
  const within = fine.amount.currency === range.currency && fine.amount.amount >= range.min && fine.amount.amount <= range.max;
  return { outcome: within ? 'WITHIN_RANGE' : 'OUTSIDE_RANGE', reasons };
}

/** FINE-02: fines imposed on or before `asOf` and not paid by then. */
export function outstandingFines(fines: readonly FineFact[], asOf: IsoDate): FineFact[] {
  parseIsoDate(asOf);
  return fines.filter(
    (fine) =>
      compareIsoDates(fine.imposedOn, asOf) <= 0 && (fine.paidOn === null || compareIsoDates(fine.paidOn, asOf) > 0),
  );
}

export interface OutstandingFinesDecision extends Decision<'OUTSTANDING' | 'NONE_OUTSTANDING'> {
  outstanding: FineFact[];
  totalOutstanding: Money[];
}

/** FINE-02: the outstanding fines on `asOf`, with their total per currency. */
export function evaluateOutstandingFines(fines: readonly FineFact[], asOf: IsoDate): OutstandingFinesDecision {
  const outstanding = outstandingFines(fines, asOf);
  const totals = new Map<string, number>();
  for (const fine of outstanding) totals.set(fine.amount.currency, (totals.get(fine.amount.currency) ?? 0) + fine.amount.amount);
  const totalOutstanding = [...totals].map(([currency, amount]) => ({ amount, currency: currency as Money['currency'] }));
  if (outstanding.length === 0) {
    return {
      outcome: 'NONE_OUTSTANDING',
      outstanding,
      totalOutstanding,
      reasons: [reason('FINE-02', `No fine is outstanding on ${asOf}.`, `${asOf} tarixində ödənilməmiş cərimə yoxdur.`)],
    };
  }
  const total = totalOutstanding.map((money) => `${money.amount} ${money.currency}`).join(', ');
  return {
    outcome: 'OUTSTANDING',
    outstanding,
    totalOutstanding,
    reasons: [
      reason(
        'FINE-02',
        `${outstanding.length} fine(s) unpaid on ${asOf} (${total}); a fine stays outstanding until paid.`,
        `${asOf} tarixində ${outstanding.length} cərimə ödənilməyib (${total}); cərimə ödənilənədək qüvvədə qalır.`,
        { count: outstanding.length, fineIds: outstanding.map((fine) => fine.id ?? '') },
      ),
    ],
  };
}
