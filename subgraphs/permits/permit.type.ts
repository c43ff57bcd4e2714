import { RequiresScopes } from '../../platform/requires-scopes';
import { Directive, Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { DateScalar } from '../../platform/scalars';
import { Application } from './application.type';
import { Person } from './person.type';

export enum PermitKind {
  VISA = 'VISA',
  E_VISA = 'E_VISA',
  WORK_PERMIT = 'WORK_PERMIT',
  TEMPORARY_RESIDENCE_PERMIT = 'TEMPORARY_RESIDENCE_PERMIT',
  PERMANENT_RESIDENCE_PERMIT = 'PERMANENT_RESIDENCE_PERMIT',
  REGISTRATION_BY_PLACE_OF_STAY = 'REGISTRATION_BY_PLACE_OF_STAY',
  STAY_EXTENSION = 'STAY_EXTENSION',
}

registerEnumType(PermitKind, {
  name: 'PermitKind',
  description: 'What a permit allows.',
  valuesConfig: {
    VISA: { description: 'A visa issued by a consulate or ASAN Visa (VISA-01, VISA-03).' },
    E_VISA: { description: 'An electronic visa: single entry, stay up to 30 days (VISA-02).' },
    WORK_PERMIT: { description: 'A work permit (WP-01).' },
    TEMPORARY_RESIDENCE_PERMIT: { description: 'A temporary residence permit (TRP-01).' },
    PERMANENT_RESIDENCE_PERMIT: { description: 'A permanent residence permit (PR-01).' },
    REGISTRATION_BY_PLACE_OF_STAY: { description: 'Registration by place of stay (REG-01).' },
    STAY_EXTENSION: { description: 'An extension of the period of temporary stay (STAY-EXT).' },
  },
});

export enum VisaType {
  TOURIST = 'TOURIST',
  BUSINESS = 'BUSINESS',
  TRANSIT = 'TRANSIT',
  STUDENT = 'STUDENT',
  MEDICAL = 'MEDICAL',
  WORK = 'WORK',
}

registerEnumType(VisaType, { name: 'VisaType', description: 'The purpose a visa was issued for (VISA-03).' });

export enum PermitStatus {
  NOT_YET_VALID = 'NOT_YET_VALID',
  VALID = 'VALID',
  EXPIRED = 'EXPIRED',
  REVOKED = 'REVOKED',
}

registerEnumType(PermitStatus, {
  name: 'PermitStatus',
  description: 'Whether a permit is in force on the evaluation date.',
  valuesConfig: {
    NOT_YET_VALID: { description: 'Its validity has not begun.' },
    VALID: { description: 'In force.' },
    EXPIRED: { description: 'Its validity has ended.' },
    REVOKED: { description: 'Revoked or annulled before its end.' },
  },
});

@Directive('@key(fields: "id")')
@ObjectType({ description: 'A visa, permit or registration held by a person (permits registry).' })
export class Permit {
  @Field(() => ID, { description: 'Registry identifier (UUID).' })
  id: string;

  @Field(() => String, { description: 'Number printed on the permit or visa.' })
  number: string;

  @Field(() => PermitKind, { description: 'What the permit allows.' })
  kind: PermitKind;

  @Field(() => VisaType, { nullable: true, description: 'For a visa or e-Visa, its purpose.' })
  visaType: VisaType | null;

  @RequiresScopes('permits:read', 'persons:read')
  @Field(() => Person, { nullable: true, description: 'The holder (resolved by the persons registry).' })
  holder: Person;

  @Field(() => Application, { nullable: true, description: 'The application it was issued on; null for visas issued abroad.' })
  application: Application | null;

  @Field(() => DateScalar, { description: 'Day of issue.' })
  issuedOn: string;

  @Field(() => DateScalar, { description: 'First day of validity.' })
  validFrom: string;

  @Field(() => DateScalar, { description: 'Last day of validity.' })
  validUntil: string;

  @Field(() => DateScalar, { nullable: true, description: 'Day it was revoked, if it was.' })
  revokedOn: string | null;

  @Field(() => String, { nullable: true, description: "A residence permit's ground as applied for (TRP-02; PR-GR for permanent residence), when recorded." })
  ground: string | null;

  @Field(() => String, { nullable: true, description: 'The article of Migration Code 45.1 a residence permit was issued under, when recorded (PR-RF-10 exempts 45.1.2 and 45.1.7).' })
  groundArticle: string | null;

  @Field(() => Boolean, { nullable: true, description: 'PR-01: a temporary permit granted as a family member of a holder under 45.1.8–45.1.11; null when not recorded.' })
  familyMemberOfSpecialHolder: boolean | null;

  @Field(() => String, { nullable: true, description: 'For a registration by place of stay, the address registered.' })
  address: string | null;
}
