import { RequiresScopes } from '../../platform/requires-scopes';
import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { SubmitApplicationInput, SubmitApplicationPayload } from './application-submission.type';
import type { RequestContext } from '../../platform/context';
import type { ApplicationsServices } from './app';
import { DateScalar } from '../../platform/scalars';
import { SeriesRangeArgs } from '../../platform/federation/time-bucket.type';
import {
  ApplicationStatistics, discloseApplicationStatistics, discloseOverdue, discloseSubmittedApplications, OverdueApplicationsAtOffice,
  OverdueApplicationsByChannel, SubmittedApplications,
} from './application-statistics.type';
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
  @Query(() => ApplicationStatistics, {
    description: 'Counts over all applications today, with the overdue ones (CAL-01); no personal data, and no count under `suppressedBelow` to a caller who may only count.',
  })
  async applicationStatistics(@Ctx() ctx: Context) {
    return discloseApplicationStatistics(await ctx.services.applications.statistics(ctx.today), ctx.aggregates);
  }

  @RequiresScopes('aggregates:read')
  @Query(() => SubmittedApplications, {
    description:
      'Applications submitted per week or month and per type over a range of at most two years; no personal data, and no count under `suppressedBelow` to a caller who may only count.',
  })
  async submittedApplications(
    @Args(() => SeriesRangeArgs) { from, to, bucket }: SeriesRangeArgs,
    @Ctx() ctx: Context,
  ) {
    return discloseSubmittedApplications(await ctx.services.applications.submitted(from, to, bucket), ctx.aggregates);
  }
}

/** The overdue applications of the statistics, grouped: asked for only when selected (one statement for both groupings). */
@Resolver(() => ApplicationStatistics)
export class ApplicationStatisticsResolver {
  @FieldResolver(() => [OverdueApplicationsAtOffice], {
    description: 'The overdue applications (CAL-01) per regional migration office where they were submitted, every office listed.',
  })
  async overdueByOffice(@Root() statistics: ApplicationStatistics, @Ctx() ctx: Context) {
    return discloseOverdue((await ctx.services.applications.overdue(statistics.asOf)).byOffice, ctx.aggregates);
  }

  @FieldResolver(() => [OverdueApplicationsByChannel], {
    description: 'The overdue applications (CAL-01) per channel they were submitted by, every channel listed.',
  })
  async overdueByChannel(@Root() statistics: ApplicationStatistics, @Ctx() ctx: Context) {
    return discloseOverdue((await ctx.services.applications.overdue(statistics.asOf)).byChannel, ctx.aggregates);
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
      'An officer issues the document of an approved application (APPROVED → ISSUED); the permit appears in the permits registry exactly once. Refused with DUTY_NOT_PAID while the state duty is unpaid (PAY-04; a duty-free registration, REG-03, needs none).',
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
    @Arg('groundArticle', () => String, { nullable: true, description: 'For a residence permit, the article of Migration Code 45.1 it is issued under, e.g. "45.1.2" (PR-RF-10).' })
    groundArticle: string | null,
    @Arg('familyMemberOfSpecialHolder', () => Boolean, {
      nullable: true,
      description: 'For a temporary residence permit: granted as a family member of a holder under 45.1.8–45.1.11 (PR-01). Not needed when the ground is not family reunification.',
    })
    familyMemberOfSpecialHolder: boolean | null,
    @Ctx() ctx: Context,
  ) {
    return ctx.services.workflow.step('ISSUE', id, { validFrom, validUntil, address, groundArticle, familyMemberOfSpecialHolder });
  }

  @RequiresScopes('applications:write')
  @Mutation(() => Application, {
    description:
      'An officer sets the state duty of an application whose amount the tables do not fix (citizenship CIT-05, permanent residence TRP-03, stay extension), within the range the rules give; the payments registry then bills it, and the application is issued once it is paid (PAY-04). Setting the same amount again changes nothing; another amount is refused.',
  })
  assessStateDuty(
    @Arg('id', () => ID, { description: 'The application (SUBMITTED, UNDER_REVIEW or APPROVED).' }) id: string,
    @Arg('amount', () => String, { description: 'The duty in AZN, decimal with at most two digits after the point, e.g. "150.00".' }) amount: string,
    @Arg('note', () => String, { nullable: true, description: 'Why this amount (type and reason of the application), recorded in its history.' }) note: string | null,
    @Ctx() ctx: Context,
  ) {
    return ctx.services.workflow.assessDuty(id, amount, note);
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
