import { Field, Int, ObjectType } from 'type-graphql';
import { CountryCodeScalar, DateScalar, DateTimeScalar } from '../../platform/scalars';

const WITHHELD = 'Null when withheld: fewer than `suppressedBelow`.';

@ObjectType({ description: 'How many persons of one citizenship are counted.' })
export class CitizenshipCount {
  @Field(() => CountryCodeScalar, { nullable: true, description: 'The citizenship; null for stateless persons.' })
  citizenship: string | null;

  @Field(() => Int, { nullable: true, description: `How many. ${WITHHELD}` })
  count: number | null;
}

@ObjectType({ description: 'How many persons overstay by a number of days within a band.' })
export class OverstayLengthCount {
  @Field(() => Int, { description: 'Overstay days of the current stay (the legal status `overstayDays`), at least.' })
  minDays: number;

  @Field(() => Int, { nullable: true, description: 'At most; null for the open band.' })
  maxDays: number | null;

  @Field(() => Int, { nullable: true, description: `How many. ${WITHHELD}` })
  count: number | null;
}

@ObjectType({
  description:
    "Persons in Azerbaijan today, overstaying (STAY-03) and overdue for registration by place of stay (REG-02), counted from the presence status this registry keeps per person: equal to each person's `legalStatus` today, no personal data, no count under `suppressedBelow`.",
})
export class PresenceStatistics {
  @Field(() => DateScalar, { description: 'The day counted (today in Baku).' })
  asOf: string;

  @Field(() => Int, { nullable: true, description: `Persons present today (an open stay, STAY-02). ${WITHHELD}` })
  present: number | null;

  @Field(() => [CitizenshipCount], { description: 'Persons present today per citizenship, most first.' })
  presentByCitizenship: CitizenshipCount[];

  @Field(() => Int, { nullable: true, description: `Persons present today with no lawful basis of stay (STAY-03: legal status UNLAWFUL). ${WITHHELD}` })
  overstaying: number | null;

  @Field(() => [CitizenshipCount], { description: 'Persons overstaying today per citizenship, most first.' })
  overstayingByCitizenship: CitizenshipCount[];

  @Field(() => [OverstayLengthCount], { description: 'Persons overstaying today per band of overstay days, shortest first; every band listed.' })
  overstayingByLength: OverstayLengthCount[];

  @Field(() => Int, { nullable: true, description: `Persons present today whose registration by place of stay is overdue (REG-02). ${WITHHELD}` })
  registrationOverdue: number | null;

  @Field(() => DateTimeScalar, {
    description:
      'Every crossing, citizenship and permit recorded before this instant is in the counts (the presence status lags the records by at most the refresher\'s pause and its work). 1970-01-01T00:00:00Z until the status has first been filled.',
  })
  statusAsOf: Date;

  @Field(() => Int, { description: 'Counts under this number are withheld (null): a group that small could single a person out.' })
  suppressedBelow: number;
}
