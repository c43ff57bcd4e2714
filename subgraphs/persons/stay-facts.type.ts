import { Field, ID, ObjectType } from 'type-graphql';

@ObjectType({
  description:
    "A page of the feed of persons whose stay facts (border crossings, citizenship) changed, oldest change first: what the permits registry keeps its presence status from. Only the permits registry's token may read it.",
})
export class StayFactChanges {
  @Field(() => [ID], { description: 'The persons whose stay facts changed after `after`, each once per page.' })
  personIds: string[];

  @Field(() => String, { description: 'Give it as `after` for the next page, unchanged.' })
  endCursor: string;

  @Field(() => Boolean, { description: 'True when this page reached the newest change committed when it was read; later changes come after `endCursor`.' })
  complete: boolean;
}
