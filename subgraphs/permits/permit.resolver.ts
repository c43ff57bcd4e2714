import { Arg, Ctx, FieldResolver, ID, Query, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../shared/context';
import { DateScalar } from '../shared/scalars';
import type { PermitsServices } from './app';
import { Application } from './application.type';
import { Person } from './person.type';
import { Permit, PermitStatus } from './permit.type';

type Context = RequestContext<PermitsServices>;

@Resolver(() => Permit)
export class PermitResolver {
  @Query(() => Permit, { nullable: true, description: 'A permit by registry id; null when unknown.' })
  permit(@Arg('id', () => ID, { description: 'Registry id (UUID).' }) id: string, @Ctx() ctx: Context) {
    return ctx.services.permits.byId(id);
  }

  @Query(() => Permit, { nullable: true, description: 'A permit or visa by the number printed on it; null when unknown.' })
  permitByNumber(@Arg('number', () => String, { description: 'The permit number, e.g. WP000012345.' }) number: string, @Ctx() ctx: Context) {
    return ctx.services.permits.byNumber(number);
  }

  @FieldResolver(() => PermitStatus, { description: 'Whether the permit is in force on `asOf`.' })
  status(
    @Root() permit: Permit,
    @Arg('asOf', () => DateScalar, { nullable: true, description: 'Evaluation date; default today in Baku.' }) asOf: string | null,
    @Ctx() ctx: Context,
  ) {
    return ctx.services.permits.status(permit, asOf);
  }
}

@Resolver(() => Person)
export class PersonPermitsResolver {
  @FieldResolver(() => [Permit], { description: "The person's visas, permits and registrations, oldest first (permits registry)." })
  permits(
    @Root() person: Person,
    @Arg('inForceOn', () => DateScalar, { nullable: true, description: 'Only those in force on this day.' }) inForceOn: string | null,
    @Ctx() ctx: Context,
  ) {
    return ctx.services.permits.ofHolder(person.id, inForceOn);
  }
}

@Resolver(() => Application)
export class ApplicationPermitResolver {
  @FieldResolver(() => Permit, { nullable: true, description: 'The permit issued on this application, once issued (permits registry).' })
  permit(@Root() application: Application, @Ctx() ctx: Context) {
    return ctx.services.permits.ofApplication(application.id);
  }
}
