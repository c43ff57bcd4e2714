import { Arg, Ctx, ID, Int, Query, Resolver } from 'type-graphql';
import type { RequestContext } from '../../platform/context';
import { RequiresScopes } from '../../platform/requires-scopes';
import type { PersonsServices } from './app';
import { Person } from './person.type';
import { StayFactChanges } from './stay-facts.type';

type Context = RequestContext<PersonsServices>;

@Resolver()
export class StayFactsResolver {
  @RequiresScopes('stay-facts:read')
  @Query(() => StayFactChanges, {
    description: "The persons whose stay facts changed, a page at a time, oldest change first (the permits registry's presence status follows it).",
  })
  stayFactChanges(
    @Arg('after', () => String, { nullable: true, description: "The previous page's `endCursor`; absent: from the first change on record." }) after: string | null,
    @Arg('first', () => Int, { nullable: true, defaultValue: 1000, description: 'Page size, 1 to 1000 (default 1000).' }) first: number,
    @Ctx() ctx: Context,
  ) {
    return ctx.services.stayFacts.changes(after, first);
  }

  @RequiresScopes('stay-facts:read')
  @Query(() => [Person], {
    description: 'The persons with these ids that are on record (unknown ids are left out), at most 1000: the stay facts of a batch at once.',
  })
  stayFactsOf(@Arg('personIds', () => [ID], { description: 'Registry ids (UUIDs).' }) personIds: string[], @Ctx() ctx: Context) {
    return ctx.services.stayFacts.persons(personIds);
  }
}
