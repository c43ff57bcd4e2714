import type { FineOffence as RuleFineOffence } from '../rules/fines';

/** The payments registry's fine offences as the rules name them (FINE-01, F3). */
export const RULE_OFFENCE: Record<string, RuleFineOffence> = {
  OVERSTAY: 'OVERSTAY',
  NO_REGISTRATION: 'STAY_WITHOUT_REGISTRATION',
  WORK_WITHOUT_PERMIT: 'WORK_WITHOUT_PERMIT',
  BREACH_OF_PURPOSE: 'BREACH_OF_DECLARED_PURPOSE',
  LOST_RESIDENCE_DOCUMENT: 'LOST_OR_DAMAGED_RESIDENCE_DOCUMENT',
};
