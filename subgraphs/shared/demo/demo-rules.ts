import { applicationDueDate } from '../rules/working-days';
import { stateDuty } from '../rules/state-duty';
import { RuleInputError, type ApplicationType } from '../rules/types';
import { evaluateVisaRequirement } from '../rules/visa';
import type { DemoRules } from './world';

/** The rules as the demo world needs them. */
export const demoRules: DemoRules & {
  dueDate(type: ApplicationType, submittedOn: string, processingWorkingDays: number | null): string | null;
} = {
  // VISA-01; a stateless person has no exempt citizenship.
  visaRequired: (citizenship, on) =>
    evaluateVisaRequirement(citizenship ? [citizenship] : [], on).outcome === 'VISA_REQUIRED',

  // WP-06, TRP-03, VISA-02: only a fixed duty becomes a payment; a range (CIT-05) needs an officer's decision.
  stateDuty: (type, months, processingDays, on) => {
    const duty = stateDuty(type, months, processingDays, on);
    return duty.outcome === 'FIXED' && duty.amount ? duty.amount : null;
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
