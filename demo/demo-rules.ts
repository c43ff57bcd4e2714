import { applicationDueDate } from '../domain/rules/working-days';
import { stateDuty } from '../domain/rules/state-duty';
import { RuleInputError, type ApplicationType } from '../domain/rules/types';
import { evaluateVisaRequirement } from '../domain/rules/visa';
import type { DemoRules } from './world';

/** A demo figure, not one of the seeds: what the demo's officers assess where the data gives no duty (PAY-04). */
const DEMO_OPEN_DUTY_AZN = 20;

/** The rules as the demo world needs them. */
export const demoRules: DemoRules & {
  dueDate(type: ApplicationType, submittedOn: string, processingWorkingDays: number | null): string | null;
} = {
  // VISA-01; a stateless person has no exempt citizenship.
  visaRequired: (citizenship, on) =>
    evaluateVisaRequirement(citizenship ? [citizenship] : [], on).outcome === 'VISA_REQUIRED',

  // WP-06, TRP-03, VISA-02: a fixed duty becomes a payment at once; a range (CIT-05) or an open amount only
  // once an officer has assessed it (PAY-04). The demo's officers assess at the range's lowest figure, and
  // where the data gives no amount at all (a stay extension), at DEMO_OPEN_DUTY_AZN.
  stateDuty: (type, months, processingDays, on, assessed = false) => {
    const duty = stateDuty(type, months, processingDays, on);
    if (duty.outcome === 'FIXED' && duty.amount) return duty.amount;
    if (!assessed) return null;
    if (duty.outcome === 'RANGE' && duty.range) return { amount: duty.range.min, currency: duty.range.currency };
    return duty.outcome === 'UNKNOWN' ? { amount: DEMO_OPEN_DUTY_AZN, currency: 'AZN' } : null;
  },

  // CAL-01: the deadline in working days. Old demo applications fall before the holiday calendar
  // begins (2024): their deadline is not computed rather than guessed.
  dueDate: (type, submittedOn, processingWorkingDays) => {
    try {
      return applicationDueDate(type, submittedOn, processingWorkingDays).dueOn;
    } catch (error) {
      if (error instanceof RuleInputError && error.code === 'CALENDAR_NOT_COVERED') return null;
      throw error;
    }
  },
};
