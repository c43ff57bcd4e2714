import { Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { DateScalar } from '../../platform/scalars';
import { Person } from './person.type';

export enum PersonFactKind {
  WORK_PERMIT_EXEMPTION = 'WORK_PERMIT_EXEMPTION',
  PERMANENT_RESIDENCE_GROUND = 'PERMANENT_RESIDENCE_GROUND',
  PERMANENT_RESIDENCE_REFUSAL_GROUND = 'PERMANENT_RESIDENCE_REFUSAL_GROUND',
  LAWFUL_INCOME = 'LAWFUL_INCOME',
  CONSTITUTION_UNDERTAKING = 'CONSTITUTION_UNDERTAKING',
  STATE_LANGUAGE_KNOWLEDGE = 'STATE_LANGUAGE_KNOWLEDGE',
}

registerEnumType(PersonFactKind, {
  name: 'PersonFactKind',
  description: 'A kind of fact about a person that the rules read, recorded with its evidence (permits registry).',
  valuesConfig: {
    WORK_PERMIT_EXEMPTION: {
      description:
        'The circumstances of a work permit exemption, WP-EX-02..21 in `ruleId` (diplomat, accredited media, refugee, spouse of a citizen registered at a residence, ...). WP-EX-01 is the permanent residence permit itself.',
    },
    PERMANENT_RESIDENCE_GROUND: { description: 'A ground for permanent residence, PR-GR-01..10 in `ruleId`; with `amountAzn` for PR-GR-02 (investment), 03 (real estate), 04 (deposit).' },
    PERMANENT_RESIDENCE_REFUSAL_GROUND: {
      description: 'A refusal ground an officer establishes or rules out, PR-RF-01..09 or 11..15 in `ruleId` (`established`: true when it applies; for PR-RF-07/08 the withdrawal, from its day in `validFrom`).',
    },
    LAWFUL_INCOME: { description: 'A lawful source of income (CIT-01).' },
    CONSTITUTION_UNDERTAKING: { description: 'The undertaking to respect the Constitution and laws of Azerbaijan (CIT-01).' },
    STATE_LANGUAGE_KNOWLEDGE: { description: 'Knowledge of the state language, proved by a document (CIT-01).' },
  },
});

export enum FactSourceKind {
  DOCUMENT = 'DOCUMENT',
  APPLICATION_DOCUMENT = 'APPLICATION_DOCUMENT',
  OFFICER_DECISION = 'OFFICER_DECISION',
}

registerEnumType(FactSourceKind, {
  name: 'FactSourceKind',
  description: 'What a fact rests on.',
  valuesConfig: {
    DOCUMENT: { description: 'A document shown to the Service (its kind and number).' },
    APPLICATION_DOCUMENT: { description: 'A document submitted with an application (the application number and the document kind).' },
    OFFICER_DECISION: { description: "The recording officer's own decision, on the file." },
  },
});

@ObjectType({ description: 'What a fact rests on: a document, a document of an application, or the officer’s decision.' })
export class FactSource {
  @Field(() => FactSourceKind, { description: 'The kind of evidence.' })
  kind: FactSourceKind;

  @Field(() => String, { nullable: true, description: 'The kind of document, e.g. REFUGEE_CERTIFICATE or STATE_LANGUAGE_CERTIFICATE.' })
  documentKind: string | null;

  @Field(() => String, { nullable: true, description: "The document's number, where it has one." })
  documentNumber: string | null;

  @Field(() => String, { nullable: true, description: 'The application the document came with.' })
  applicationNumber: string | null;
}

@ObjectType({ description: 'A fact about a person that a rule reads, with its evidence, validity and who recorded it (permits registry).' })
export class PersonFact {
  @Field(() => ID, { description: 'Registry identifier (UUID).' })
  id: string;

  @Field(() => Person, { description: 'Whom the fact is about.' })
  person: Person;

  @Field(() => PersonFactKind, { description: 'What kind of fact.' })
  kind: PersonFactKind;

  @Field(() => String, { description: 'The rule the fact is read by, e.g. WP-EX-18, PR-GR-02, PR-RF-05, CIT-01.' })
  ruleId: string;

  @Field(() => Boolean, { description: 'True: the Service established that it holds (a refusal ground: that it applies). False: checked, and it does not.' })
  established: boolean;

  @Field(() => String, { nullable: true, description: 'PR-GR-02/03/04: the amount invested, the value of the real estate, the deposit, in manat (decimal).' })
  amountAzn: string | null;

  @Field(() => Int, { nullable: true, description: 'WP-EX-09: business-trip days in Azerbaijan in the year.' })
  businessTripDaysInYear: number | null;

  @Field(() => Boolean, { nullable: true, description: "WP-EX-09: the trip's field is one set by the Cabinet of Ministers." })
  fieldSetByCabinet: boolean | null;

  @Field(() => Boolean, { nullable: true, description: 'WP-EX-17: the citizen spouse is registered at a place of residence in Azerbaijan.' })
  spouseRegisteredAtResidence: boolean | null;

  @Field(() => DateScalar, { description: 'First day the fact holds.' })
  validFrom: string;

  @Field(() => DateScalar, { nullable: true, description: 'Last day it holds; null: until recorded otherwise.' })
  validUntil: string | null;

  @Field(() => FactSource, { description: 'The evidence.' })
  source: FactSource;

  @Field(() => String, { description: 'Who recorded it (agency:subject).' })
  recordedBy: string;

  @Field(() => DateScalar, { description: 'The day it was recorded.' })
  recordedOn: string;
}

@InputType({ description: 'A fact to record about a person. A later record of the same kind and rule corrects an earlier one from its validFrom.' })
export class RecordPersonFactInput {
  @Field(() => ID, { description: 'The person (persons registry id).' })
  personId: string;

  @Field(() => PersonFactKind, { description: 'What kind of fact.' })
  kind: PersonFactKind;

  @Field(() => String, { nullable: true, description: 'The rule: WP-EX-02..21, PR-GR-01..10, PR-RF-01..09/11..15; for the CIT-01 kinds none (or CIT-01).' })
  ruleId?: string | null;

  @Field(() => Boolean, { description: 'True: it holds (a refusal ground: it applies). False: checked, and it does not.' })
  established: boolean;

  @Field(() => String, { nullable: true, description: 'PR-GR-02/03/04 only, and required there: the amount in manat, decimal.' })
  amountAzn?: string | null;

  @Field(() => Int, { nullable: true, description: 'WP-EX-09 only: business-trip days in Azerbaijan in the year.' })
  businessTripDaysInYear?: number | null;

  @Field(() => Boolean, { nullable: true, description: "WP-EX-09 only: the trip's field is one set by the Cabinet of Ministers." })
  fieldSetByCabinet?: boolean | null;

  @Field(() => Boolean, { nullable: true, description: 'WP-EX-17 only: the citizen spouse is registered at a place of residence.' })
  spouseRegisteredAtResidence?: boolean | null;

  @Field(() => DateScalar, { description: 'First day the fact holds.' })
  validFrom: string;

  @Field(() => DateScalar, { nullable: true, description: 'Last day it holds, if known.' })
  validUntil?: string | null;

  @Field(() => String, { nullable: true, description: 'The document it rests on (e.g. REFUGEE_CERTIFICATE); with sourceDocumentNumber, or with sourceApplicationNumber for a document of an application. None: the officer’s decision.' })
  sourceDocumentKind?: string | null;

  @Field(() => String, { nullable: true, description: "The document's number." })
  sourceDocumentNumber?: string | null;

  @Field(() => String, { nullable: true, description: 'The application the document came with, e.g. CIT-2026-00000123.' })
  sourceApplicationNumber?: string | null;

  @Field(() => String, { description: 'The caller’s key for this record (8-128 characters): a retry with the same key and details is the same record; other details are refused (IDEMPOTENCY_KEY_REUSED).' })
  idempotencyKey: string;
}

@InputType({ description: 'Several facts recorded together, each exactly once per its own key (e.g. what the documents of one application prove).' })
export class RecordPersonFactsInput {
  @Field(() => [RecordPersonFactInput], { description: 'The facts, at most 20.' })
  facts: RecordPersonFactInput[];
}
