import { Field, Int, ObjectType } from 'type-graphql';
import { DateScalar } from '../shared/scalars';
import { PermitKind } from './permit.type';

@ObjectType({ description: 'How many permits of one kind are in force, and how many of them end soon.' })
export class PermitKindStatistics {
  @Field(() => PermitKind, { description: 'The kind counted.' })
  kind: PermitKind;

  @Field(() => Int, { description: 'In force on the day: valid on it and not revoked.' })
  inForce: number;

  @Field(() => Int, { description: 'Of those, the ones whose last day of validity falls within the window.' })
  expiring: number;
}

@ObjectType({ description: 'Counts over the permits registry, without personal data: what a dashboard watches.' })
export class PermitStatistics {
  @Field(() => DateScalar, { description: 'The day the counts are for (today in Baku).' })
  asOf: string;

  @Field(() => Int, { description: 'The window for `expiring`: permits ending within this many days from `asOf`, `asOf` included.' })
  expiringWithinDays: number;

  @Field(() => [PermitKindStatistics], { description: 'Per kind of permit, every kind listed.' })
  byKind: PermitKindStatistics[];
}
