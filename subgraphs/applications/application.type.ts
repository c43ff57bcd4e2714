import { RequiresScopes } from '../../platform/requires-scopes';
import { Directive, Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import type { ApplicationType as RuleApplicationType } from '../../domain/rules/types';
import { RuleReason } from '../../platform/federation/rule-reason.type';
import { DateScalar } from '../../platform/scalars';
import { Person } from './person.type';

export enum ApplicationType {
  WORK_PERMIT = 'WORK_PERMIT',
  WORK_PERMIT_EXTENSION = 'WORK_PERMIT_EXTENSION',
  TEMPORARY_RESIDENCE = 'TEMPORARY_RESIDENCE',
  TEMPORARY_RESIDENCE_EXTENSION = 'TEMPORARY_RESIDENCE_EXTENSION',
  PERMANENT_RESIDENCE = 'PERMANENT_RESIDENCE',
  TEMPORARY_STAY_EXTENSION = 'TEMPORARY_STAY_EXTENSION',
  REGISTRATION_BY_PLACE_OF_STAY = 'REGISTRATION_BY_PLACE_OF_STAY',
  CITIZENSHIP_ADMISSION = 'CITIZENSHIP_ADMISSION',
  CITIZENSHIP_RESTORATION = 'CITIZENSHIP_RESTORATION',
  CITIZENSHIP_TERMINATION = 'CITIZENSHIP_TERMINATION',
  E_VISA = 'E_VISA',
}

/** The enum and the rules' union must name the same types; this fails to compile when they drift. */
const sameTypes: Record<RuleApplicationType, ApplicationType> = ApplicationType;
void sameTypes;

registerEnumType(ApplicationType, {
  name: 'ApplicationType',
  description: 'What is applied for.',
  valuesConfig: {
    WORK_PERMIT: { description: 'A work permit (WP-01).' },
    WORK_PERMIT_EXTENSION: { description: 'Extension of a work permit (WP-05).' },
    TEMPORARY_RESIDENCE: { description: 'A temporary residence permit (TRP-01).' },
    TEMPORARY_RESIDENCE_EXTENSION: { description: 'Extension of a temporary residence permit (TRP-01).' },
    PERMANENT_RESIDENCE: { description: 'A permanent residence permit (PR-01).' },
    TEMPORARY_STAY_EXTENSION: { description: 'Extension of the period of temporary stay (STAY-EXT-01..05).' },
    REGISTRATION_BY_PLACE_OF_STAY: { description: 'Registration by place of stay (REG-01).' },
    CITIZENSHIP_ADMISSION: { description: 'Admission to the citizenship of Azerbaijan (CIT-01).' },
    CITIZENSHIP_RESTORATION: { description: 'Restoration of the citizenship of Azerbaijan (CIT-02).' },
    CITIZENSHIP_TERMINATION: { description: 'Termination of the citizenship of Azerbaijan (CIT-03).' },
    E_VISA: { description: 'An electronic visa (VISA-02).' },
  },
});

export enum ApplicationStatus {
  SUBMITTED = 'SUBMITTED',
  UNDER_REVIEW = 'UNDER_REVIEW',
  APPROVED = 'APPROVED',
  REJECTED = 'REJECTED',
  ISSUED = 'ISSUED',
  WITHDRAWN = 'WITHDRAWN',
}

registerEnumType(ApplicationStatus, {
  name: 'ApplicationStatus',
  description: 'Where an application stands in its workflow.',
  valuesConfig: {
    SUBMITTED: { description: 'Received, not yet taken for review.' },
    UNDER_REVIEW: { description: 'An officer is reviewing it.' },
    APPROVED: { description: 'Approved; the document is not yet issued.' },
    REJECTED: { description: 'Refused, with reasons.' },
    ISSUED: { description: 'Approved and the document issued.' },
    WITHDRAWN: { description: 'Withdrawn by the applicant before a decision.' },
  },
});

export enum ApplicationChannel {
  ASAN_XIDMET = 'ASAN_XIDMET',
  REGIONAL_MIGRATION_OFFICE = 'REGIONAL_MIGRATION_OFFICE',
  ELECTRONIC = 'ELECTRONIC',
  POST = 'POST',
  CONSULATE = 'CONSULATE',
}

registerEnumType(ApplicationChannel, {
  name: 'ApplicationChannel',
  description: 'How the application reached the Service (WP-CH, TRP-CH, PR-CH, CIT-04).',
  valuesConfig: {
    ASAN_XIDMET: { description: 'At an ASAN Xidmət centre.' },
    REGIONAL_MIGRATION_OFFICE: { description: 'At a regional migration office (see `office`).' },
    ELECTRONIC: { description: "Electronically, through the Service's e-services." },
    POST: { description: 'By post (citizenship matters).' },
    CONSULATE: { description: 'Through a diplomatic mission or consulate abroad (citizenship matters).' },
  },
});

export enum RegionalMigrationOffice {
  BAKU = 'BAKU',
  GANJA = 'GANJA',
  SUMGAYIT = 'SUMGAYIT',
  LANKARAN = 'LANKARAN',
  SHAKI = 'SHAKI',
  GUBA = 'GUBA',
  SHIRVAN = 'SHIRVAN',
  MINGACHEVIR = 'MINGACHEVIR',
  NAKHCHIVAN = 'NAKHCHIVAN',
}

registerEnumType(RegionalMigrationOffice, {
  name: 'RegionalMigrationOffice',
  description: 'A regional office of the State Migration Service that receives applications in person.',
});

export enum ApplicationGround {
  TOURISM = 'TOURISM',
  EMPLOYMENT = 'EMPLOYMENT',
  FAMILY_REUNIFICATION = 'FAMILY_REUNIFICATION',
  EDUCATION = 'EDUCATION',
  INVESTMENT = 'INVESTMENT',
  CLOSE_RELATIVE_OF_CITIZEN = 'CLOSE_RELATIVE_OF_CITIZEN',
  REAL_ESTATE = 'REAL_ESTATE',
  BANK_DEPOSIT = 'BANK_DEPOSIT',
  HIGH_LEVEL_SPECIALIST = 'HIGH_LEVEL_SPECIALIST',
  PRESIDENTIAL_CATEGORY_SPECIALIST = 'PRESIDENTIAL_CATEGORY_SPECIALIST',
  FAMILY_OF_RESIDENT = 'FAMILY_OF_RESIDENT',
  BRANCH_HEAD = 'BRANCH_HEAD',
  FOREIGN_FOUNDED_COMPANY_HEAD = 'FOREIGN_FOUNDED_COMPANY_HEAD',
  ENTREPRENEURSHIP = 'ENTREPRENEURSHIP',
  URGENT_MEDICAL_TREATMENT = 'URGENT_MEDICAL_TREATMENT',
  RELATIVE_ILLNESS_OR_DEATH = 'RELATIVE_ILLNESS_OR_DEATH',
  UNFINISHED_WORK = 'UNFINISHED_WORK',
  TRANSIT_NATURAL_DISASTER = 'TRANSIT_NATURAL_DISASTER',
  TRANSIT_VEHICLE_BREAKDOWN = 'TRANSIT_VEHICLE_BREAKDOWN',
  TRANSIT_ILLNESS = 'TRANSIT_ILLNESS',
  RELATIVE_STAY_EXTENDED = 'RELATIVE_STAY_EXTENDED',
  RENUNCIATION = 'RENUNCIATION',
}

registerEnumType(ApplicationGround, {
  name: 'ApplicationGround',
  description: 'The legal ground the applicant relies on; the rule ID says where the ground comes from.',
  valuesConfig: {
    TOURISM: { description: 'Tourist visit (VISA-03).' },
    EMPLOYMENT: { description: 'Employment in Azerbaijan (WP-01, TRP-02).' },
    FAMILY_REUNIFICATION: { description: 'Family reunification (TRP-02).' },
    EDUCATION: { description: 'Education (TRP-02).' },
    INVESTMENT: { description: 'Investment (TRP-02; PR-GR-02 at least 500,000 manat).' },
    CLOSE_RELATIVE_OF_CITIZEN: { description: 'Close relative of an Azerbaijani citizen (PR-GR-01).' },
    REAL_ESTATE: { description: 'Real estate in Azerbaijan worth at least 100,000 manat (PR-GR-03).' },
    BANK_DEPOSIT: { description: 'Term deposit of at least 100,000 manat in an Azerbaijani bank (PR-GR-04).' },
    HIGH_LEVEL_SPECIALIST: { description: 'High-level specialist (PR-GR-05).' },
    PRESIDENTIAL_CATEGORY_SPECIALIST: { description: 'Specialist of a category set by the President (PR-GR-06).' },
    FAMILY_OF_RESIDENT: { description: 'Family member of a foreigner with temporary or permanent residence (PR-GR-07).' },
    BRANCH_HEAD: { description: "Head or deputy of a foreign legal entity's branch or representative office (PR-GR-08)." },
    FOREIGN_FOUNDED_COMPANY_HEAD: { description: 'Head or deputy of an Azerbaijani legal entity with a foreign founder (PR-GR-09).' },
    ENTREPRENEURSHIP: { description: 'Engaged in entrepreneurship (PR-GR-10).' },
    URGENT_MEDICAL_TREATMENT: { description: 'Urgent medical treatment in Azerbaijan (STAY-EXT-01).' },
    RELATIVE_ILLNESS_OR_DEATH: { description: 'Serious illness or death of a close relative living in Azerbaijan (STAY-EXT-02).' },
    UNFINISHED_WORK: { description: "The inviting organisation's reasoned request that the work is unfinished (STAY-EXT-03)." },
    TRANSIT_NATURAL_DISASTER: { description: 'Forced stop in transit: a natural disaster blocks transport (STAY-EXT-04, T1).' },
    TRANSIT_VEHICLE_BREAKDOWN: { description: 'Forced stop in transit: the vehicle broke down or had an accident and needs repair (STAY-EXT-04, T2).' },
    TRANSIT_ILLNESS: { description: 'Forced stop in transit: the traveller fell ill (STAY-EXT-04, T3).' },
    RELATIVE_STAY_EXTENDED: { description: "A close relative's stay was extended (STAY-EXT-05)." },
    RENUNCIATION: { description: 'Renunciation of citizenship on own application (CIT-03).' },
  },
});

export enum ApplicationDocument {
  PASSPORT = 'PASSPORT',
  PHOTO = 'PHOTO',
  MEDICAL_CERTIFICATE = 'MEDICAL_CERTIFICATE',
  EMPLOYMENT_CONTRACT = 'EMPLOYMENT_CONTRACT',
  NO_CRIMINAL_RECORD_CERTIFICATE = 'NO_CRIMINAL_RECORD_CERTIFICATE',
  BIRTH_CERTIFICATE = 'BIRTH_CERTIFICATE',
  MARRIAGE_CERTIFICATE = 'MARRIAGE_CERTIFICATE',
  STATE_LANGUAGE_CERTIFICATE = 'STATE_LANGUAGE_CERTIFICATE',
  LAWFUL_INCOME_PROOF = 'LAWFUL_INCOME_PROOF',
  CONSTITUTION_UNDERTAKING = 'CONSTITUTION_UNDERTAKING',
  OTHER_CITIZENSHIP_OR_ASSURANCE = 'OTHER_CITIZENSHIP_OR_ASSURANCE',
  INVITER_REASONED_REQUEST = 'INVITER_REASONED_REQUEST',
  REPAIR_OR_ACCIDENT_DOCUMENT = 'REPAIR_OR_ACCIDENT_DOCUMENT',
  DOCTOR_OPINION = 'DOCTOR_OPINION',
  PROOF_OF_KINSHIP = 'PROOF_OF_KINSHIP',
  STUDY_ENROLMENT_CERTIFICATE = 'STUDY_ENROLMENT_CERTIFICATE',
  INVESTMENT_PROOF = 'INVESTMENT_PROOF',
}

registerEnumType(ApplicationDocument, {
  name: 'ApplicationDocument',
  description: 'A document submitted with an application.',
  valuesConfig: {
    PASSPORT: { description: 'Passport or other travel document (WP-03, TRP-DOC, PR-RF-03, CIT-01, CIT-03).' },
    PHOTO: { description: 'Photograph (WP-03, TRP-DOC, PR-RF-03, CIT-01, CIT-03).' },
    MEDICAL_CERTIFICATE: { description: 'Medical certificate (WP-03, TRP-DOC, PR-RF-03).' },
    EMPLOYMENT_CONTRACT: { description: 'Employment contract (WP-03; TRP-DOC on the employment ground).' },
    NO_CRIMINAL_RECORD_CERTIFICATE: { description: 'Certificate of no criminal record (WP-03, TRP-DOC, PR-RF-03).' },
    BIRTH_CERTIFICATE: { description: 'Birth certificate (CIT-01, CIT-03).' },
    MARRIAGE_CERTIFICATE: { description: 'Marriage certificate, for a citizenship application where applicable (CIT-01, CIT-03); never demanded, since the registry cannot tell.' },
    STATE_LANGUAGE_CERTIFICATE: { description: 'A document proving knowledge of the state language (CIT-01).' },
    LAWFUL_INCOME_PROOF: { description: 'Proof of lawful income (CIT-01).' },
    CONSTITUTION_UNDERTAKING: { description: 'The undertaking to respect the Constitution and laws of Azerbaijan (CIT-01).' },
    OTHER_CITIZENSHIP_OR_ASSURANCE: { description: 'Proof of another citizenship, or an assurance of acquiring one, for renunciation (CIT-03).' },
    INVITER_REASONED_REQUEST: { description: "The inviting organisation's reasoned request (STAY-EXT-03)." },
    REPAIR_OR_ACCIDENT_DOCUMENT: { description: 'A document of the breakdown or accident (STAY-EXT-T2).' },
    DOCTOR_OPINION: { description: "A doctor's opinion that travelling on endangers health (STAY-EXT-T3)." },
    PROOF_OF_KINSHIP: { description: 'Proof of the family link, e.g. a marriage or birth certificate (STAY-EXT-05; TRP-DOC on the family reunification ground).' },
    STUDY_ENROLMENT_CERTIFICATE: { description: 'Certificate of admission or enrolment at an educational institution in Azerbaijan (TRP-DOC on the education ground).' },
    INVESTMENT_PROOF: { description: 'Proof of the investment made in Azerbaijan (TRP-DOC on the investment ground).' },
  },
});

export enum IntakeOutcome {
  ACCEPTED = 'ACCEPTED',
  UNDETERMINED = 'UNDETERMINED',
  REJECTED = 'REJECTED',
}

registerEnumType(IntakeOutcome, {
  name: 'IntakeOutcome',
  description: 'What the rules said when the application was submitted.',
  valuesConfig: {
    ACCEPTED: { description: 'No rule rejects it: registered for review.' },
    UNDETERMINED: { description: 'Registered for review, but some facts the rules need are not recorded; the reasons say which.' },
    REJECTED: { description: 'A rule rejects it up front: not registered; the reasons say why.' },
  },
});

@ObjectType({ description: 'The intake check made by the rules when the application was submitted.' })
export class ApplicationIntake {
  @Field(() => IntakeOutcome, { description: 'ACCEPTED or UNDETERMINED (rejected applications are not registered).' })
  outcome: IntakeOutcome;

  @Field(() => [RuleReason], { description: 'The rules applied and what they found.' })
  reasons: RuleReason[];
}

@ObjectType({ description: 'One step in the life of an application: who moved it from which status to which, and when.' })
export class ApplicationEvent {
  @Field(() => ApplicationStatus, { nullable: true, description: 'Status before the step; null for the submission.' })
  fromStatus: ApplicationStatus | null;

  @Field(() => ApplicationStatus, { description: 'Status after the step.' })
  toStatus: ApplicationStatus;

  @RequiresScopes('applications:read')
  @Field(() => String, {
    nullable: true,
    description: 'Who took the step: the applicant or the officer (agency:user). Null, with a FORBIDDEN error, for a caller without applications:read.',
  })
  actor: string;

  @RequiresScopes('applications:read')
  @Field(() => String, { nullable: true, description: 'The reasons or remarks given with the step.' })
  note: string | null;

  @Field(() => DateScalar, { description: 'The day of the step (Baku).' })
  occurredOn: string;
}

@ObjectType({ description: 'The decision on an application, once there is one.' })
export class ApplicationDecision {
  @Field(() => ApplicationStatus, { description: 'APPROVED, REJECTED, ISSUED or WITHDRAWN.' })
  outcome: ApplicationStatus;

  @Field(() => DateScalar, { description: 'The day of the decision.' })
  decidedOn: string;

  @RequiresScopes('applications:read')
  @Field(() => String, { nullable: true, description: 'The reasons given, in particular for a refusal.' })
  note: string | null;
}

@Directive('@key(fields: "id")')
@ObjectType({ description: 'An application to the State Migration Service, tracked by its public number.' })
export class Application {
  @Field(() => ID, { description: 'Registry identifier (UUID).' })
  id: string;

  @Field(() => String, { description: 'Public tracking number, e.g. WP-2025-00012345 (PAY-01).' })
  number: string;

  @Field(() => ApplicationType, { description: 'What is applied for.' })
  type: ApplicationType;

  @RequiresScopes('applications:read', 'persons:read')
  @Field(() => Person, { nullable: true, description: 'Who applied (resolved by the persons registry).' })
  applicant: Person;

  @Field(() => ApplicationChannel, { description: 'How the application was submitted.' })
  channel: ApplicationChannel;

  @Field(() => RegionalMigrationOffice, { nullable: true, description: 'The office, when submitted at a regional migration office.' })
  office: RegionalMigrationOffice | null;

  @RequiresScopes('applications:read')
  @Field(() => ApplicationGround, { nullable: true, description: 'The ground relied on, where the type has grounds.' })
  ground: ApplicationGround | null;

  @RequiresScopes('applications:read')
  @Field(() => Int, { nullable: true, description: 'Requested duration of the permit or extension, in months.' })
  requestedDurationMonths: number | null;

  @Field(() => Int, { nullable: true, description: 'Processing time chosen, in working days (WP-04, TRP-03), where a choice exists.' })
  processingWorkingDays: number | null;

  @Field(() => ApplicationStatus, { description: 'Current status.' })
  status: ApplicationStatus;

  @Field(() => DateScalar, { description: 'Day of submission.' })
  submittedOn: string;

  @Field(() => DateScalar, { nullable: true, description: 'Day by which a decision is due, counted in working days (CAL-01).' })
  dueOn: string | null;

  @Field(() => ApplicationDecision, { nullable: true, description: 'The decision, once made.' })
  decision: ApplicationDecision | null;

  @Field(() => [ApplicationDocument], { description: 'Documents submitted with the application.' })
  documents: ApplicationDocument[];

  @RequiresScopes('applications:read')
  @Field(() => ApplicationIntake, { nullable: true, description: 'The intake check at submission; null for applications registered before intake checks.' })
  intake: ApplicationIntake | null;

  /** Not a field: the duty in AZN an officer assessed (PAY-04), and when; `stateDuty` gives it. */
  assessedDuty: string | null;
  dutyAssessedOn: string | null;
}
