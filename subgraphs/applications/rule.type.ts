import { Field, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Money } from '../../platform/federation/money.type';
import { LocalizedText, RuleReason } from '../../platform/federation/rule-reason.type';
import { Currency } from '../../platform/federation/money.type';
import { DateScalar } from '../../platform/scalars';

export enum ParameterVariant {
  SEED = 'SEED',
  PUBLISHED_PRACTICE = 'PUBLISHED_PRACTICE',
}

registerEnumType(ParameterVariant, {
  name: 'ParameterVariant',
  description: 'Which source a parameter value comes from.',
  valuesConfig: {
    SEED: { description: 'The value the seed texts give: the one the registries apply.' },
    PUBLISHED_PRACTICE: { description: 'Current published practice where it differs from the seeds; recorded, not applied.' },
  },
});

@ObjectType({ description: 'One value of a legal parameter (a duration, deadline, fee, threshold or list) from a date on.' })
export class RuleParameter {
  @Field(() => String, { description: 'Parameter name, e.g. STAY_VISA_FREE_MAX_DAYS.' })
  name: string;

  @Field(() => String, { description: 'The value as JSON text (a number, a list, a money amount or a duty table).' })
  value: string;

  @Field(() => String, { description: 'Where the value comes from.' })
  citation: string;

  @Field(() => DateScalar, { description: 'First day the value is in force.' })
  effectiveFrom: string;

  @Field(() => ParameterVariant, { description: 'Seed value (applied) or published practice (recorded).' })
  variant: ParameterVariant;

  @Field(() => String, { nullable: true, description: 'What the value means, or how it differs from practice.' })
  note: string | null;
}

@ObjectType({ description: 'A rule of the Migration Code as the registries apply it, from the rules catalog.' })
export class Rule {
  @Field(() => String, { description: 'Stable rule ID, e.g. STAY-01, WP-EX-17, PR-RF-16.' })
  id: string;

  @Field(() => LocalizedText, { description: 'What the rule says, in Azerbaijani and English.' })
  title: LocalizedText;

  @Field(() => String, { description: 'The source: seed text, published figure, and the article of the Code where given.' })
  citation: string;

  @Field(() => [RuleParameter], { description: 'The parameters the rule uses, every value and variant on record.' })
  parameters: RuleParameter[];
}

export enum StateDutyOutcome {
  FIXED = 'FIXED',
  RANGE = 'RANGE',
  FREE = 'FREE',
  UNKNOWN = 'UNKNOWN',
  ERROR = 'ERROR',
  ASSESSED = 'ASSESSED',
}

registerEnumType(StateDutyOutcome, {
  name: 'StateDutyOutcome',
  description: 'What the duty tables say about a case.',
  valuesConfig: {
    FIXED: { description: 'One amount is due (see `amount`).' },
    RANGE: { description: 'The published data give only a range (see `range`); an officer fixes the amount.' },
    FREE: { description: 'No duty (e.g. registration by place of stay, REG-03).' },
    UNKNOWN: { description: 'The sources give no figure for this case.' },
    ERROR: { description: 'The case is not in the tables (e.g. a processing time that is not a tier); the reasons say why.' },
    ASSESSED: {
      description: "An application's duty the tables leave open (a range, or no figure), set by an officer (`assessStateDuty`, PAY-04): `amount` is due, `range` the bounds it was set within. Only `Application.stateDuty` gives it.",
    },
  },
});

@ObjectType({ description: 'A range of amounts.' })
export class MoneyRange {
  @Field(() => String, { description: 'Lowest amount, decimal.' })
  min: string;

  @Field(() => String, { description: 'Highest amount, decimal.' })
  max: string;

  @Field(() => Currency, { description: 'Currency of both.' })
  currency: Currency;
}

@ObjectType({ description: 'The state duty of an application (WP-06, TRP-03, VISA-02, CIT-05; figures F1, F2).' })
export class StateDuty {
  @Field(() => StateDutyOutcome, { description: 'Fixed amount, range, free, unknown, or not in the tables.' })
  outcome: StateDutyOutcome;

  @Field(() => Money, { nullable: true, description: 'The amount due, when fixed by the tables or assessed by an officer.' })
  amount: Money | null;

  @Field(() => MoneyRange, { nullable: true, description: 'The range, when only a range is published.' })
  range: MoneyRange | null;

  @Field(() => Int, { nullable: true, description: 'The processing time the duty is for, in working days.' })
  processingWorkingDays: number | null;

  @Field(() => [RuleReason], { description: 'The rules and figures applied.' })
  reasons: RuleReason[];
}

@ObjectType({ description: 'When an application is due for decision (CAL-01 with WP-04, TRP-03, VISA-02).' })
export class ApplicationDeadline {
  @Field(() => DateScalar, { description: 'The day the application was (or would be) submitted.' })
  submittedOn: string;

  @Field(() => DateScalar, { nullable: true, description: 'The last day of the processing time; null where the seeds set no deadline for the kind.' })
  dueOn: string | null;

  @Field(() => Int, { nullable: true, description: 'The processing time in working days; null where there is no deadline.' })
  processingWorkingDays: number | null;

  @Field(() => [RuleReason], { description: 'The rules applied: the processing time, and CAL-01 (weekends and public holidays skipped).' })
  reasons: RuleReason[];
}
