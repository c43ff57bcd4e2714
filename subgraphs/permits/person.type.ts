import { Directive, Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { CountryCodeScalar, DateScalar } from '../../platform/scalars';

/** The persons registry's crossing directions, as this registry reads them through `@requires`. */
export enum CrossingDirection {
  ENTRY = 'ENTRY',
  EXIT = 'EXIT',
}

registerEnumType(CrossingDirection, { name: 'CrossingDirection', description: 'Whether the person entered or left Azerbaijan.' });

/** The part of a border crossing (owned by the persons registry) that the rules of stay need. */
@ObjectType({ description: 'One crossing of the state border, as the border service recorded it.' })
export class BorderCrossing {
  @Directive('@external')
  @Field(() => CrossingDirection, { description: 'Entry into or exit from Azerbaijan.' })
  direction: CrossingDirection;

  @Directive('@external')
  @Field(() => DateScalar, { description: 'The day of the crossing (Baku time).' })
  date: string;
}

export enum FineOffence {
  OVERSTAY = 'OVERSTAY',
  NO_REGISTRATION = 'NO_REGISTRATION',
  WORK_WITHOUT_PERMIT = 'WORK_WITHOUT_PERMIT',
  BREACH_OF_PURPOSE = 'BREACH_OF_PURPOSE',
  LOST_RESIDENCE_DOCUMENT = 'LOST_RESIDENCE_DOCUMENT',
}

registerEnumType(FineOffence, { name: 'FineOffence', description: 'What a fine was imposed for (FINE-01, F3).' });

export enum Currency {
  AZN = 'AZN',
  USD = 'USD',
}

registerEnumType(Currency, { name: 'Currency', description: 'ISO 4217 currency of an amount.' });

/** The part of an amount (owned by the payments registry) that the rules need. */
@ObjectType({ description: 'An amount of money, exact to the qəpik/cent.' })
export class Money {
  @Directive('@external')
  @Field(() => String, { description: 'Decimal amount with two digits after the point, e.g. "350.00" (a string, so it stays exact).' })
  amount: string;

  @Directive('@external')
  @Field(() => Currency, { description: 'Currency of the amount.' })
  currency: Currency;
}

/** The part of an administrative fine (owned by the payments registry) that refusal ground PR-RF-16 needs. */
@Directive('@key(fields: "id")')
@ObjectType({ description: 'An administrative fine for breaking the rules of stay and residence (FINE-01).' })
export class Fine {
  @Field(() => ID, { description: 'Registry identifier (UUID).' })
  id: string;

  @Directive('@external')
  @Field(() => FineOffence, { description: 'What the fine was imposed for.' })
  offence: FineOffence;

  @Directive('@external')
  @Field(() => DateScalar, { description: 'Day the fine was imposed.' })
  issuedOn: string;

  @Directive('@external')
  @Field(() => Money, { description: 'Amount of the fine.' })
  amount: Money;
}

/**
 * The persons registry's Person as this registry sees it: the key, plus the fields the legal answers
 * require from the persons and payments registries (fetched by the gateway for each request through
 * `@requires`, never stored here).
 */
@Directive('@key(fields: "id")')
@ObjectType({ description: 'A foreigner or stateless person known to the State Migration Service (persons registry).' })
export class Person {
  @Field(() => ID, { description: 'Stable registry identifier (UUID).' })
  id: string;

  @Directive('@external')
  @Field(() => CountryCodeScalar, {
    nullable: true,
    description: 'Citizenship as an ISO 3166-1 alpha-3 code; null for a stateless person (see `stateless`).',
  })
  citizenship: string | null;

  @Directive('@external')
  @Field(() => [BorderCrossing], { description: 'Border crossings on record, in date order.' })
  borderCrossings: BorderCrossing[];

  @Directive('@external')
  @Field(() => [Fine], { nullable: true, description: 'Administrative fines not yet paid (FINE-02), oldest first (payments registry).' })
  outstandingFines: Fine[] | null;
}
