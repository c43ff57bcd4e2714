import { Arg, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { SubmitApplicationInput, SubmitApplicationPayload } from './application-submission.type';
import type { RequestContext } from '../shared/context';
import type { ApplicationsServices } from './app';
import { Application } from './application.type';
import { Person } from './person.type';

type Context = RequestContext<ApplicationsServices>;

@Resolver(() => Application)
export class ApplicationResolver {
  @Query(() => Application, { nullable: true, description: 'An application by registry id; null when unknown.' })
  application(@Arg('id', () => ID, { description: 'Registry id (UUID).' }) id: string, @Ctx() ctx: Context) {
    return ctx.services.applications.byId(id);
  }

  @Query(() => Application, {
    nullable: true,
    description: 'Tracks an application by its public number (PAY-01); null when no application has that number.',
  })
  applicationByNumber(
    @Arg('number', () => String, { description: 'The tracking number, e.g. WP-2025-00012345.' }) number: string,
    @Ctx() ctx: Context,
  ) {
    return ctx.services.applications.byNumber(number);
  }
}

@Resolver(() => SubmitApplicationPayload)
export class ApplicationIntakeResolver {
  @Mutation(() => SubmitApplicationPayload, {
    description:
      'Submits an application. The intake rules check it against the applicant’s records; an accepted one is registered with its tracking number, due date and state duty, a rejected one is not registered and the reasons say why.',
  })
  submitApplication(@Arg('input', () => SubmitApplicationInput) input: SubmitApplicationInput, @Ctx() ctx: Context) {
    return ctx.services.intake.submit(input);
  }
}

@Resolver(() => Person)
export class PersonApplicationsResolver {
  @FieldResolver(() => [Application], { description: "The person's applications, oldest first (applications registry)." })
  applications(@Root() person: Person, @Ctx() ctx: Context) {
    return ctx.services.applications.ofApplicant(person.id);
  }
}
