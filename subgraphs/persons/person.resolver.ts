import { RequiresScopes } from '../../platform/requires-scopes';
import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { BorderCrossingInput, RegisterPersonInput, TravelDocumentInput } from './person-input.type';
import type { RequestContext } from '../../platform/context';
import { CountryCodeScalar } from '../../platform/scalars';
import { BorderCrossing } from './border-crossing.type';
import type { PersonsServices } from './app';
import { Person, PersonConnection, PersonFilter } from './person.type';
import { TravelDocument } from './travel-document.type';

type Context = RequestContext<PersonsServices>;

@Resolver(() => PersonConnection)
export class PersonConnectionResolver {
  @RequiresScopes('persons:read', 'aggregates:read')
  @FieldResolver(() => Int, {
    nullable: true,
    description:
      'How many persons match the filter in all pages. Null when withheld: fewer than `suppressedBelow`, for a caller who may count persons but not read them.',
  })
  totalCount(@Root() connection: PersonConnection, @Ctx() ctx: Context) {
    return ctx.services.persons.count(connection.filter);
  }

  @RequiresScopes('persons:read', 'aggregates:read')
  @FieldResolver(() => Int, {
    nullable: true,
    description:
      'Counts under this number are withheld from this caller (`totalCount` is null): a group that small could single a person out. Null when every count is given whole (a caller with persons:read).',
  })
  suppressedBelow(@Ctx() ctx: Context) {
    return ctx.services.persons.suppressedBelow();
  }
}

@Resolver(() => Person)
export class PersonRecordsResolver {
  @RequiresScopes('persons:write')
  @Mutation(() => Person, { description: 'Puts a foreigner or stateless person on record, with the travel document they are registered with.' })
  registerPerson(@Arg('input', () => RegisterPersonInput) input: RegisterPersonInput, @Ctx() ctx: Context) {
    return ctx.services.records.register(input);
  }

  @RequiresScopes('persons:write')
  @Mutation(() => TravelDocument, { description: "Adds a travel document to a person's record; the same document sent again is returned, not added twice." })
  addTravelDocument(
    @Arg('personId', () => ID, { description: 'The person.' }) personId: string,
    @Arg('document', () => TravelDocumentInput) document: TravelDocumentInput,
    @Ctx() ctx: Context,
  ) {
    return ctx.services.records.addTravelDocument(personId, document);
  }

  @RequiresScopes('crossings:write', 'persons:write')
  @Mutation(() => BorderCrossing, {
    description: "Records a crossing from the border service feed. Idempotent on the crossing's id: a resent crossing is recorded once.",
  })
  recordBorderCrossing(@Arg('input', () => BorderCrossingInput) input: BorderCrossingInput, @Ctx() ctx: Context) {
    return ctx.services.records.recordCrossing(input);
  }
}

@Resolver(() => Person)
export class PersonResolver {
  @RequiresScopes('persons:read', 'status:read')
  @Query(() => Person, { nullable: true, description: 'A person by registry id; null when no such person exists.' })
  person(@Arg('id', () => ID, { description: 'Registry id (UUID).' }) id: string, @Ctx() ctx: Context) {
    return ctx.services.persons.byId(id);
  }

  @RequiresScopes('persons:read', 'status:read')
  @Query(() => Person, {
    nullable: true,
    description: 'The holder of a travel document, by issuing country and document number; null when unknown.',
  })
  personByDocument(
    @Arg('country', () => CountryCodeScalar, { description: 'Issuing country of the document, ISO 3166-1 alpha-3.' })
    country: string,
    @Arg('number', () => String, { description: 'Document number as printed (letters and digits).' }) number: string,
    @Ctx() ctx: Context,
  ) {
    return ctx.services.persons.byDocument(country, number);
  }

  @RequiresScopes('persons:read', 'aggregates:read')
  @Query(() => PersonConnection, {
    description:
      'Persons in a stable order, a page at a time (cursor pagination). With aggregates:read alone: a count, with no cursor (`after`), no surname and birth dates in whole years.',
  })
  persons(
    @Arg('filter', () => PersonFilter, { nullable: true, description: 'Conditions every listed person meets.' })
    filter: PersonFilter | null,
    @Arg('first', () => Int, { nullable: true, defaultValue: 20, description: 'Page size, 0 to 1000 (default 20).' })
    first: number,
    @Arg('after', () => String, { nullable: true, description: "The previous page's `pageInfo.endCursor`, unchanged, with the same filter (needs persons:read)." })
    after: string | null,
    @Ctx() ctx: Context,
  ) {
    return ctx.services.persons.page({ ...filter }, first, after);
  }

  @RequiresScopes('persons:read')
  @FieldResolver(() => [TravelDocument], { description: 'Travel documents on record, oldest first.' })
  travelDocuments(@Root() person: Person, @Ctx() ctx: Context) {
    return ctx.services.persons.travelDocuments(person.id);
  }

  @RequiresScopes('persons:read', 'status:read', 'applications:read')
  @FieldResolver(() => [BorderCrossing], { description: 'Border crossings on record, in date order.' })
  borderCrossings(@Root() person: Person, @Ctx() ctx: Context) {
    return ctx.services.persons.borderCrossings(person.id);
  }
}
