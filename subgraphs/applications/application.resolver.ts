import { RequiresScopes } from '../shared/requires-scopes';
import { Arg, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { SubmitApplicationInput, SubmitApplicationPayload } from './application-submission.type';
import type { RequestContext } from '../shared/context';
import type { ApplicationsServices } from './app';
import { DateScalar } from '../shared/scalars';
import { ApplicationStatistics } from './application-statistics.type';
import { Application, ApplicationEvent } from './application.type';
import { Person } from './person.type';

type Context = RequestContext<ApplicationsServices>;

@Resolver(() => Application)
export class ApplicationResolver {
  @RequiresScopes('applications:read')
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

  @RequiresScopes('aggregates:read')
  @Query(() => ApplicationStatistics, { description: 'Counts over all applications today, with the overdue ones (CAL-01); no personal data.' })
  applicationStatistics(@Ctx() ctx: Context) {
    return ctx.services.applications.statistics(ctx.today);
  }
}

const OFFICER_ARG = {
  nullable: true,
  deprecationReason: "Ignored: the history names the verified caller (the token's agency and subject).",
  description: 'Formerly the officer taking the step.',
} as const;

@Resolver(() => Application)
export class ApplicationWorkflowResolver {
  @FieldResolver(() => [ApplicationEvent], { description: 'Every step of the application, oldest first: who, when, from which status to which.' })
  history(@Root() application: Application, @Ctx() ctx: Context) {
    return ctx.services.applications.history(application.id);
  }

  @RequiresScopes('applications:write')
  @Mutation(() => Application, { description: 'An officer takes a submitted application for review (SUBMITTED → UNDER_REVIEW).' })
  takeApplicationForReview(
    @Arg('id', () => ID, { description: 'The application.' }) id: string,
    @Arg('officer', () => String, OFFICER_ARG) _officer: string | null,
    @Ctx() ctx: Context,
  ) {
    return ctx.services.workflow.step('TAKE_FOR_REVIEW', id, {  });
  }

  @RequiresScopes('applications:write')
  @Mutation(() => Application, { description: 'An officer approves an application under review (UNDER_REVIEW → APPROVED).' })
  approveApplication(
    @Arg('id', () => ID, { description: 'The application.' }) id: string,
    @Arg('officer', () => String, OFFICER_ARG) _officer: string | null,
    @Arg('note', () => String, { nullable: true, description: 'Remarks.' }) note: string | null,
    @Ctx() ctx: Context,
  ) {
    return ctx.services.workflow.step('APPROVE', id, { note });
  }

  @RequiresScopes('applications:write')
  @Mutation(() => Application, { description: 'An officer refuses an application under review, giving the reasons (UNDER_REVIEW → REJECTED).' })
  rejectApplication(
    @Arg('id', () => ID, { description: 'The application.' }) id: string,
    @Arg('reasons', () => String, { description: 'Why it is refused; recorded in the decision and the history.' }) reasons: string,
    @Arg('officer', () => String, OFFICER_ARG) _officer: string | null,
    @Ctx() ctx: Context,
  ) {
    return ctx.services.workflow.step('REJECT', id, { note: reasons });
  }

  @RequiresScopes('applications:write')
  @Mutation(() => Application, {
    description:
      'An officer issues the document of an approved application (APPROVED → ISSUED); the permit appears in the permits registry exactly once.',
  })
  issueApplication(
    @Arg('id', () => ID, { description: 'The application.' }) id: string,
    @Arg('officer', () => String, OFFICER_ARG) _officer: string | null,
    @Arg('validFrom', () => DateScalar, { nullable: true, description: 'First day of validity; default today.' }) validFrom: string | null,
    @Arg('validUntil', () => DateScalar, {
      nullable: true,
      description: 'Last day of validity; default from the requested duration (e-Visa: 30 days, VISA-02).',
    })
    validUntil: string | null,
    @Arg('address', () => String, { nullable: true, description: 'For a registration by place of stay, the address registered.' }) address: string | null,
    @Ctx() ctx: Context,
  ) {
    return ctx.services.workflow.step('ISSUE', id, { validFrom, validUntil, address });
  }

  @RequiresScopes('applications:write')
  @Mutation(() => Application, { description: 'The applicant withdraws an application before a decision (SUBMITTED or UNDER_REVIEW → WITHDRAWN).' })
  withdrawApplication(
    @Arg('id', () => ID, { description: 'The application.' }) id: string,
    @Arg('note', () => String, { nullable: true, description: 'Why, if the applicant says.' }) note: string | null,
    @Ctx() ctx: Context,
  ) {
    return ctx.services.workflow.step('WITHDRAW', id, { note });
  }
}

@Resolver(() => SubmitApplicationPayload)
export class ApplicationIntakeResolver {
  @RequiresScopes('applications:write')
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
  @RequiresScopes('applications:read')
  @FieldResolver(() => [Application], { nullable: true, description: "The person's applications, oldest first (applications registry)." })
  applications(@Root() person: Person, @Ctx() ctx: Context) {
    return ctx.services.applications.ofApplicant(person.id);
  }
}
