import { Field, Int, ObjectType, registerEnumType } from 'type-graphql';
import { LocalizedText, RuleReason } from '../../platform/federation/rule-reason.type';
import { DateScalar } from '../../platform/scalars';
import { Permit } from './permit.type';

export enum StayBasis {
  VISA_FREE = 'VISA_FREE',
  VISA = 'VISA',
  E_VISA = 'E_VISA',
  STAY_EXTENSION = 'STAY_EXTENSION',
  TEMPORARY_RESIDENCE = 'TEMPORARY_RESIDENCE',
  PERMANENT_RESIDENCE = 'PERMANENT_RESIDENCE',
  PANDEMIC_AUTO_EXTENSION = 'PANDEMIC_AUTO_EXTENSION',
}

registerEnumType(StayBasis, {
  name: 'StayBasis',
  description: 'What makes a day of presence in Azerbaijan lawful (STAY-01, STAY-03).',
  valuesConfig: {
    VISA_FREE: { description: 'The visa-free allowance of a visa-exempt citizen, at most 90 days per stay (STAY-01, VISA-01).' },
    VISA: { description: 'A valid visa (VISA-03).' },
    E_VISA: { description: 'A valid e-Visa: single entry, stay up to 30 days (VISA-02).' },
    STAY_EXTENSION: { description: 'An extension of the period of temporary stay (STAY-EXT).' },
    TEMPORARY_RESIDENCE: { description: 'A temporary residence permit (TRP-01).' },
    PERMANENT_RESIDENCE: { description: 'A permanent residence permit (PR-01).' },
    PANDEMIC_AUTO_EXTENSION: { description: 'The automatic extension of the pandemic period (STAY-PAND).' },
  },
});

export enum StayOutcome {
  LAWFUL = 'LAWFUL',
  OVERSTAY = 'OVERSTAY',
  UNDETERMINED = 'UNDETERMINED',
}

registerEnumType(StayOutcome, {
  name: 'StayOutcome',
  description: 'Whether every day of a stay had a lawful basis.',
  valuesConfig: {
    LAWFUL: { description: 'Every day had a lawful basis.' },
    OVERSTAY: { description: 'Some days had no lawful basis (STAY-03).' },
    UNDETERMINED: { description: 'The records do not allow a decision (e.g. an exit with no recorded entry).' },
  },
});

export enum LegalStatusOutcome {
  LAWFUL = 'LAWFUL',
  UNLAWFUL = 'UNLAWFUL',
  NOT_PRESENT = 'NOT_PRESENT',
}

registerEnumType(LegalStatusOutcome, {
  name: 'LegalStatusOutcome',
  description: "A person's status on the evaluation date.",
  valuesConfig: {
    LAWFUL: { description: 'In Azerbaijan on a lawful basis.' },
    UNLAWFUL: { description: 'In Azerbaijan with no lawful basis: overstaying.' },
    NOT_PRESENT: { description: 'Not in Azerbaijan: the last recorded crossing is an exit, or there is none.' },
  },
});

@ObjectType({
  description:
    'A continuous stay in Azerbaijan, from an entry to the next exit (STAY-02), with the lawful basis of its days (STAY-01, STAY-03). An open stay runs to the evaluation date.',
})
export class StayPeriod {
  @Field(() => DateScalar, { nullable: true, description: 'Day of entry; null when the records begin while the person was already in Azerbaijan.' })
  entryDate: string | null;

  @Field(() => DateScalar, { nullable: true, description: 'Day of exit; null while the person is still in Azerbaijan.' })
  exitDate: string | null;

  @Field(() => DateScalar, { description: 'Last day counted: the exit day, or the evaluation date for an open stay.' })
  endDate: string;

  @Field(() => Int, { description: 'Days present, counting both the entry and the last day.' })
  days: number;

  @Field(() => Boolean, { description: 'True while the person has not left.' })
  open: boolean;

  @Field(() => StayOutcome, { description: 'Whether every day had a lawful basis.' })
  outcome: StayOutcome;

  @Field(() => Int, { description: 'Days with a lawful basis.' })
  lawfulDays: number;

  @Field(() => Int, { description: 'Days with no lawful basis: the overstay (STAY-03).' })
  unlawfulDays: number;

  @Field(() => [StayBasis], { description: 'The bases that covered at least one day, in the order they first applied.' })
  bases: StayBasis[];

  @Field(() => DateScalar, { nullable: true, description: 'The first day without a lawful basis, if any.' })
  firstUnlawfulDate: string | null;

  @Field(() => [RuleReason], { description: 'The rules applied and what they found.' })
  reasons: RuleReason[];
}

@ObjectType({ description: 'Registration by place of stay for the current stay (REG-01..03).' })
export class RegistrationRequirement {
  @Field(() => Boolean, { description: 'True when the stay is, or is declared to be, longer than 15 days (REG-01).' })
  required: boolean;

  @Field(() => DateScalar, { nullable: true, description: 'Last day to register (REG-02), when required.' })
  dueOn: string | null;

  @Field(() => DateScalar, { nullable: true, description: 'Day of registration during this stay, if registered.' })
  registeredOn: string | null;

  @Field(() => Boolean, { description: 'Required, not registered, and the deadline has passed.' })
  overdue: boolean;

  @Field(() => Int, { description: 'Days present so far in this stay, arrival day included.' })
  stayDays: number;

  @Field(() => DateScalar, { nullable: true, description: 'The day the duty will arise if the person is still present (the 16th day), when not yet required.' })
  requiredFrom: string | null;

  @Field(() => [RuleReason], { description: 'The rules applied and what they found.' })
  reasons: RuleReason[];
}

@ObjectType({ description: "A person's legal status in Azerbaijan on a date, with the law behind it." })
export class LegalStatus {
  @Field(() => DateScalar, { description: 'The evaluation date.' })
  asOf: string;

  @Field(() => LegalStatusOutcome, { description: 'Lawful, unlawful, or not present.' })
  outcome: LegalStatusOutcome;

  @Field(() => StayBasis, { nullable: true, description: 'The basis of stay on the date (the strongest when several apply).' })
  basis: StayBasis | null;

  @Field(() => DateScalar, {
    nullable: true,
    description: 'Last day the known bases carry the current stay without a gap; null when not present, unlawful, or with no end (permanent residence).',
  })
  lawfulUntil: string | null;

  @Field(() => Int, { description: 'Unlawful days in the current stay (STAY-03).' })
  overstayDays: number;

  @Field(() => Int, { description: 'Unlawful days over all recorded stays up to the date.' })
  totalOverstayDays: number;

  @Field(() => StayPeriod, { nullable: true, description: 'The stay open on the date, if present.' })
  currentStay: StayPeriod | null;

  @Field(() => RegistrationRequirement, { nullable: true, description: 'Registration by place of stay for the current stay; null when not present.' })
  registration: RegistrationRequirement | null;

  @Field(() => [RuleReason], { description: 'The rules applied and what they found.' })
  reasons: RuleReason[];
}

export enum DecisionOutcome {
  AUTHORIZED = 'AUTHORIZED',
  NOT_AUTHORIZED = 'NOT_AUTHORIZED',
  ELIGIBLE = 'ELIGIBLE',
  NOT_ELIGIBLE = 'NOT_ELIGIBLE',
  UNDETERMINED = 'UNDETERMINED',
}

registerEnumType(DecisionOutcome, {
  name: 'DecisionOutcome',
  description: 'The outcome of a decision taken by the rules.',
  valuesConfig: {
    AUTHORIZED: { description: 'Allowed (work authorization).' },
    NOT_AUTHORIZED: { description: 'Not allowed (work authorization).' },
    ELIGIBLE: { description: 'Every condition is met and no refusal ground applies.' },
    NOT_ELIGIBLE: { description: 'A condition is not met or a refusal ground applies.' },
    UNDETERMINED: { description: 'The recorded facts do not allow a decision; the reasons say which are missing.' },
  },
});

@ObjectType({ description: 'An exemption from the work permit requirement (WP-EX-01..21).' })
export class WorkPermitExemption {
  @Field(() => String, { description: 'Rule ID, e.g. WP-EX-01.' })
  id: string;

  @Field(() => LocalizedText, { description: 'Who is exempt, as the Migration Code lists it.' })
  text: LocalizedText;
}

@ObjectType({ description: 'Whether a person may work in Azerbaijan on a date, and on what (WP-01).' })
export class WorkAuthorization {
  @Field(() => DateScalar, { description: 'The evaluation date.' })
  asOf: string;

  @Field(() => DecisionOutcome, { description: 'AUTHORIZED, NOT_AUTHORIZED or UNDETERMINED.' })
  outcome: DecisionOutcome;

  @Field(() => Permit, { nullable: true, description: 'The work permit in force, when that is what authorizes the work.' })
  workPermit: Permit | null;

  @Field(() => WorkPermitExemption, { nullable: true, description: 'The exemption that applies, when no permit is needed.' })
  exemption: WorkPermitExemption | null;

  @Field(() => [RuleReason], { description: 'The rules applied and what they found.' })
  reasons: RuleReason[];
}

export enum CheckResult {
  PASS = 'PASS',
  FAIL = 'FAIL',
  UNKNOWN = 'UNKNOWN',
  NOT_APPLICABLE = 'NOT_APPLICABLE',
}

registerEnumType(CheckResult, { name: 'CheckResult', description: 'How one rule came out: passes, bars, cannot tell, or does not apply.' });

@ObjectType({ description: 'One rule checked for an eligibility decision.' })
export class RuleCheck {
  @Field(() => String, { description: 'Rule ID, e.g. PR-RF-16.' })
  ruleId: string;

  @Field(() => CheckResult, { description: 'PASS: does not bar; FAIL: bars; UNKNOWN: the facts are not recorded.' })
  result: CheckResult;
}

@ObjectType({ description: 'An unbroken run of residence permits up to the evaluation date.' })
export class ContinuousResidence {
  @Field(() => DateScalar, { nullable: true, description: 'First day of the unbroken run covering the date; null when none does.' })
  since: string | null;

  @Field(() => DateScalar, { nullable: true, description: 'Day the required years are complete.' })
  completesOn: string | null;

  @Field(() => Boolean, { description: 'True when the required years are complete on the date.' })
  complete: boolean;
}

@ObjectType({ description: 'Whether a person may obtain a status on a date, rule by rule.' })
export class Eligibility {
  @Field(() => DateScalar, { description: 'The evaluation date.' })
  asOf: string;

  @Field(() => DecisionOutcome, { description: 'ELIGIBLE, NOT_ELIGIBLE or UNDETERMINED.' })
  outcome: DecisionOutcome;

  @Field(() => ContinuousResidence, {
    nullable: true,
    description: 'The continuous residence the status requires (PR-01: temporary, 2 years; CIT-01: permanent, 5 years); null where none is required.',
  })
  continuousResidence: ContinuousResidence | null;

  @Field(() => [RuleCheck], { description: 'Every rule checked, with its result.' })
  checks: RuleCheck[];

  @Field(() => [RuleReason], { description: 'The rules applied and what they found.' })
  reasons: RuleReason[];
}

@ObjectType({ description: 'Whether a person may become a citizen of Azerbaijan: by admission (CIT-01) or by restoration (CIT-02).' })
export class CitizenshipEligibility {
  @Field(() => DateScalar, { description: 'The evaluation date.' })
  asOf: string;

  @Field(() => Eligibility, { description: 'Admission: five years of continuous lawful permanent residence, lawful income, the undertaking and the language document (CIT-01).' })
  admission: Eligibility;

  @Field(() => Eligibility, { description: 'Restoration for a former citizen, subject to article 14 part two of the Law on Citizenship (CIT-02).' })
  restoration: Eligibility;
}
