import { badUserInput } from '../../platform/errors';
import { money } from '../../platform/federation/money.type';
import { toRuleReasons } from '../../platform/federation/rule-reason.type';
import {
  applicationDueDate,
  PARAMETER_TABLE,
  RULE_CATALOG,
  RuleInputError,
  stateDuty,
  withAssessment,
  type ApplicationType,
  type RuleCatalogEntry,
  type StateDutyDecision,
} from '../../domain/rules';
import type { Application } from './application.type';
import type { ApplicationDeadline, Rule, StateDuty } from './rule.type';

/** The law as data for clients: the rules catalog and the duty tables, from the shared rules. */
export class RulesService {
  constructor(private readonly today: string) {}

  catalog(idPrefix?: string | null): Rule[] {
    const prefix = idPrefix?.trim().toUpperCase();
    return RULE_CATALOG.filter((entry) => !prefix || entry.id.startsWith(prefix)).map(toRule);
  }

  rule(id: string): Rule | null {
    const entry = RULE_CATALOG.find((candidate) => candidate.id === id.trim().toUpperCase());
    return entry ? toRule(entry) : null;
  }

  /** Query.stateDuty: a case the tables do not contain is the caller's mistake, said in the rule's words. */
  quote(type: ApplicationType, durationMonths?: number | null, processingWorkingDays?: number | null, asOf?: string | null): StateDuty {
    const months = durationMonths ?? null;
    if (months !== null && (!Number.isInteger(months) || months <= 0 || months > 120)) {
      throw badUserInput('durationMonths must be a whole number of months from 1 to 120', 'durationMonths');
    }
    const processing = processingWorkingDays ?? null;
    const duty = toStateDuty(stateDuty(type, months, processing, asOf ?? this.today), processing);
    if (duty.outcome === 'ERROR') throw badUserInput(duty.reasons.map((reason) => `${reason.ruleId}: ${reason.message.en}`).join(' '));
    return duty;
  }

  /**
   * Query.deadline: CAL-01 for any submission day the holiday calendar covers. A day outside it, or a
   * processing time that is not a tier, is the caller's to correct, said with the years covered.
   */
  deadline(type: ApplicationType, submittedOn: string, processingWorkingDays?: number | null): ApplicationDeadline {
    if (processingWorkingDays !== null && processingWorkingDays !== undefined && (!Number.isInteger(processingWorkingDays) || processingWorkingDays < 1 || processingWorkingDays > 250)) {
      throw badUserInput('processingWorkingDays must be a whole number of working days from 1 to 250', 'processingWorkingDays');
    }
    try {
      const decision = applicationDueDate(type, submittedOn, processingWorkingDays ?? null);
      return { submittedOn, dueOn: decision.dueOn, processingWorkingDays: decision.processingWorkingDays, reasons: toRuleReasons(decision.reasons) } as ApplicationDeadline;
    } catch (error) {
      if (error instanceof RuleInputError) {
        const field = error.code === 'CALENDAR_NOT_COVERED' ? 'submittedOn' : 'processingWorkingDays';
        throw badUserInput(`${field}: ${error.message}`, field);
      }
      throw error;
    }
  }

  /**
   * The duty of a stored application: as the tables in force on its submission day give it, or, where
   * they leave the amount open, as an officer assessed it (assessStateDuty, PAY-04).
   */
  duty(application: Application): StateDuty {
    const { type, requestedDurationMonths, processingWorkingDays, submittedOn, assessedDuty, dutyAssessedOn } = application;
    const tables = stateDuty(type, requestedDurationMonths, processingWorkingDays, submittedOn);
    const assessment = assessedDuty && dutyAssessedOn ? { amount: { amount: Number(assessedDuty), currency: 'AZN' as const }, assessedOn: dutyAssessedOn } : null;
    return toStateDuty(withAssessment(tables, assessment), processingWorkingDays);
  }
}

/** A duty decision as the schema gives it. */
function toStateDuty(decision: StateDutyDecision, processingWorkingDays: number | null): StateDuty {
  return {
    outcome: decision.outcome,
    amount: decision.amount && money(decision.amount.amount, decision.amount.currency),
    range: decision.range && {
      min: decision.range.min.toFixed(2),
      max: decision.range.max.toFixed(2),
      currency: decision.range.currency,
    },
    processingWorkingDays,
    reasons: toRuleReasons(decision.reasons),
  } as StateDuty;
}

function toRule(entry: RuleCatalogEntry): Rule {
  return {
    id: entry.id,
    title: entry.title,
    citation: entry.citation,
    parameters: PARAMETER_TABLE.filter((parameter) => entry.parameters.includes(parameter.name)).map((parameter) => ({
      name: parameter.name,
      value: JSON.stringify(parameter.value),
      citation: parameter.citation,
      effectiveFrom: parameter.effectiveFrom,
      variant: parameter.variant,
      note: parameter.note ?? null,
    })),
  } as Rule;
}
