import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { CountryCodeScalar, DateScalar } from '../../platform/scalars';

export enum TravelDocumentKind {
  PASSPORT = 'PASSPORT',
  STATELESS_TRAVEL_DOCUMENT = 'STATELESS_TRAVEL_DOCUMENT',
  REFUGEE_TRAVEL_DOCUMENT = 'REFUGEE_TRAVEL_DOCUMENT',
  IDENTITY_CARD = 'IDENTITY_CARD',
}

registerEnumType(TravelDocumentKind, {
  name: 'TravelDocumentKind',
  description: 'The kind of document a person crosses the border with.',
  valuesConfig: {
    PASSPORT: { description: 'A national passport.' },
    STATELESS_TRAVEL_DOCUMENT: { description: 'A travel document issued to a stateless person.' },
    REFUGEE_TRAVEL_DOCUMENT: { description: 'A travel document issued to a recognised refugee.' },
    IDENTITY_CARD: { description: 'A national identity card accepted for travel.' },
  },
});

@ObjectType({ description: 'A travel document of a person (passport or equivalent).' })
export class TravelDocument {
  @Field(() => ID, { description: 'Registry identifier (UUID).' })
  id: string;

  @Field(() => TravelDocumentKind, { description: 'What kind of document it is.' })
  kind: TravelDocumentKind;

  @Field(() => String, { description: 'Document number as printed.' })
  number: string;

  @Field(() => CountryCodeScalar, { description: 'The issuing country, ISO 3166-1 alpha-3.' })
  issuingCountry: string;

  @Field(() => DateScalar, { description: 'Date of issue.' })
  issuedOn: string;

  @Field(() => DateScalar, { description: 'Date of expiry.' })
  expiresOn: string;

  /** Not in the schema as such: `holder` resolves it. */
  personId: string;
}
