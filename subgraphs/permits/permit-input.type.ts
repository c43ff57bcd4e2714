import { Field, ID, InputType } from 'type-graphql';
import { DateScalar } from '../shared/scalars';
import { PermitKind, VisaType } from './permit.type';

@InputType({ description: 'A permit issued on an application, as the applications registry reports it.' })
export class IssuedPermitInput {
  @Field(() => ID, { description: 'The application it was issued on: one permit per application, so a repeated message records once.' })
  applicationId: string;

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
}
