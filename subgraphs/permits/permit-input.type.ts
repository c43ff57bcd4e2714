import { Field, ID, InputType } from 'type-graphql';
import { DateScalar } from '../../platform/scalars';
import { PermitKind, VisaType } from './permit.type';

@InputType({ description: 'A permit issued on an application, as the applications registry reports it.' })
export class IssuedPermitInput {
  @Field(() => ID, { description: 'The application it was issued on: one permit per application, so a repeated message records once.' })
  applicationId: string;

  @Field(() => String, { nullable: true, description: "The application's tracking number: the registry confirms with the applications registry that it was issued. Required." })
  applicationNumber?: string | null;

  @Field(() => ID, { description: 'The holder.' })
  holderId: string;

  @Field(() => PermitKind, { description: 'What the permit allows.' })
  kind: PermitKind;

  @Field(() => VisaType, { nullable: true, description: 'For an e-Visa, its purpose.' })
  visaType?: VisaType | null;

  @Field(() => DateScalar, { description: 'First day of validity.' })
  validFrom: string;

  @Field(() => DateScalar, { description: 'Last day of validity.' })
  validUntil: string;

  @Field(() => String, { nullable: true, description: 'For a registration by place of stay, the address.' })
  address?: string | null;

  @Field(() => DateScalar, { description: 'Day of issue.' })
  issuedOn: string;

  @Field(() => String, { nullable: true, description: "A residence permit's ground as applied for (TRP-02: EMPLOYMENT, FAMILY_REUNIFICATION, EDUCATION, INVESTMENT; PR: the PR-GR ground)." })
  ground?: string | null;

  @Field(() => String, { nullable: true, description: 'The article of Migration Code 45.1 the residence permit was issued under, e.g. "45.1.2" (PR-RF-10 exempts 45.1.2 and 45.1.7).' })
  groundArticle?: string | null;

  @Field(() => Boolean, { nullable: true, description: 'PR-01: the temporary permit was granted as a family member of a holder under 45.1.8–45.1.11.' })
  familyMemberOfSpecialHolder?: boolean | null;
}

@InputType({
  description:
    'A permit, visa or registration the Service issued in the past, recorded from the document it rests on (an administrator migrating the records the Service already holds). Not for permits issued on an application of this graph: those arrive by themselves.',
})
export class HistoricalPermitInput {
  @Field(() => ID, { description: 'The holder (persons registry id).' })
  holderId: string;

  @Field(() => PermitKind, { description: 'What the permit allows.' })
  kind: PermitKind;

  @Field(() => String, { nullable: true, description: 'The number printed on it, e.g. MV000123456; default the next number of its kind.' })
  number?: string | null;

  @Field(() => VisaType, { nullable: true, description: 'For a visa or e-Visa, its purpose.' })
  visaType?: VisaType | null;

  @Field(() => DateScalar, { description: 'Day of issue.' })
  issuedOn: string;

  @Field(() => DateScalar, { description: 'First day of validity.' })
  validFrom: string;

  @Field(() => DateScalar, { description: 'Last day of validity.' })
  validUntil: string;

  @Field(() => DateScalar, { nullable: true, description: 'Day it was revoked, if it was.' })
  revokedOn?: string | null;

  @Field(() => String, { nullable: true, description: 'For a registration by place of stay, the address.' })
  address?: string | null;

  @Field(() => String, { nullable: true, description: "A residence permit's ground (TRP-02; PR-GR for permanent residence)." })
  ground?: string | null;

  @Field(() => String, { nullable: true, description: 'The article of Migration Code 45.1 a residence permit was issued under, e.g. "45.1.2".' })
  groundArticle?: string | null;

  @Field(() => Boolean, { nullable: true, description: 'PR-01: a temporary permit granted as a family member of a holder under 45.1.8–45.1.11.' })
  familyMemberOfSpecialHolder?: boolean | null;

  @Field(() => String, { description: 'The kind of document the record rests on, e.g. ARCHIVE_FILE or PERMIT_COPY.' })
  sourceDocumentKind: string;

  @Field(() => String, { description: 'Its number or reference.' })
  sourceDocumentNumber: string;

  @Field(() => String, { description: 'The caller’s key for this record (8-128 characters): a retry with the same details is the same record; other details are refused.' })
  idempotencyKey: string;
}
