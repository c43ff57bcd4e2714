import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../../platform/context';
import type { PersonsServices } from './app';
import { BorderCrossing } from './border-crossing.type';
import { Person } from './person.type';
import { TravelDocument } from './travel-document.type';

type Context = RequestContext<PersonsServices>;

/*
 * The person a crossing or a document belongs to. Besides what it tells a client, it lets the gateway
 * name that person in the audit record of a write that returns a crossing or a document
 * (gateway/features/authorization/filter.ts, PERSON_LINKS). The person's own fields keep their own requirements.
 */

@Resolver(() => BorderCrossing)
export class BorderCrossingResolver {
  @FieldResolver(() => Person, { description: 'The person who crossed.' })
  async person(@Root() crossing: BorderCrossing, @Ctx() ctx: Context): Promise<Person> {
    // Read through the request's loader: the person is most often loaded already (a write checks it exists).
    return (await ctx.services.persons.byId(crossing.personId))!;
  }
}

@Resolver(() => TravelDocument)
export class TravelDocumentResolver {
  @FieldResolver(() => Person, { description: 'The person the document was issued to.' })
  async holder(@Root() document: TravelDocument, @Ctx() ctx: Context): Promise<Person> {
    return (await ctx.services.persons.byId(document.personId))!;
  }
}
