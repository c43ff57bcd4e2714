import { Field, ID, InputType } from 'type-graphql';
import { CountryCodeScalar, DateScalar } from '../../platform/scalars';
import { BorderCheckpoint, CrossingDirection } from './border-crossing.type';
import { Sex } from './person.type';
import { TravelDocumentKind } from './travel-document.type';

@InputType({ description: 'A travel document to put on record.' })
export class TravelDocumentInput {
  @Field(() => TravelDocumentKind, { description: 'What kind of document it is.' })
  kind: TravelDocumentKind;

  @Field(() => String, { description: 'Document number as printed: 5 to 20 letters and digits.' })
  number: string;

  @Field(() => CountryCodeScalar, { description: 'The issuing country, ISO 3166-1 alpha-3.' })
  issuingCountry: string;

  @Field(() => DateScalar, { description: 'Date of issue; not in the future.' })
  issuedOn: string;

  @Field(() => DateScalar, { description: 'Date of expiry; after the date of issue.' })
  expiresOn: string;
}

@InputType({ description: 'A foreigner or stateless person to put on record.' })
export class RegisterPersonInput {
  @Field(() => String, { description: 'Given name(s) as in the travel document, Latin script.' })
  givenName: string;

  @Field(() => String, { description: 'Surname as in the travel document, Latin script.' })
  surname: string;

  @Field(() => String, { nullable: true, description: "Father's name, where the documents carry one." })
  patronymic?: string | null;

  @Field(() => DateScalar, { description: 'Date of birth.' })
  birthDate: string;

  @Field(() => Sex, { description: 'Sex as recorded in the travel document.' })
  sex: Sex;

  @Field(() => CountryCodeScalar, { nullable: true, description: 'Citizenship; leave out for a stateless person and set `stateless`.' })
  citizenship?: string | null;

  @Field(() => Boolean, { nullable: true, defaultValue: false, description: 'True for a stateless person (then no citizenship).' })
  stateless?: boolean | null;

  @Field(() => String, { nullable: true, description: 'Personal identification number (FİN), when one has been issued.' })
  fin?: string | null;

  @Field(() => TravelDocumentInput, { description: 'The travel document the person is registered with.' })
  travelDocument: TravelDocumentInput;
}

@InputType({ description: 'One border crossing from the border service feed.' })
export class BorderCrossingInput {
  @Field(() => ID, { description: "The crossing's id in the border service feed (UUID): a resent crossing is recorded once." })
  id: string;

  @Field(() => ID, { description: 'The person who crossed.' })
  personId: string;

  @Field(() => CrossingDirection, { description: 'Entry or exit.' })
  direction: CrossingDirection;

  @Field(() => DateScalar, { description: 'The day of the crossing (Baku time); not in the future.' })
  date: string;

  @Field(() => BorderCheckpoint, { description: 'Where the person crossed.' })
  checkpoint: BorderCheckpoint;
}
