import { Arg, Ctx, FieldResolver, Int, Query, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../../platform/context';
import { DateScalar } from '../../platform/scalars';
import type { ApplicationsServices } from './app';
import { Application, ApplicationType } from './application.type';
import { ApplicationDeadline, Rule, StateDuty } from './rule.type';

type Context = RequestContext<ApplicationsServices>;

@Resolver(() => Rule)
export class RulesResolver {
  @Query(() => [Rule], { description: 'The rules catalog: every rule the registries apply, with its citation and parameters.' })
  rules(
    @Arg('idPrefix', () => String, { nullable: true, description: 'Only rules whose ID starts with this, e.g. "PR-RF" or "STAY".' })
    idPrefix: string | null,
    @Ctx() ctx: Context,
  ) {
    return ctx.services.rules.catalog(idPrefix);
  }

  @Query(() => Rule, { nullable: true, description: 'One rule by its ID; null when the catalog has no such rule.' })
  rule(@Arg('id', () => String, { description: 'Rule ID, e.g. REG-02.' }) id: string, @Ctx() ctx: Context) {
    return ctx.services.rules.rule(id);
  }

  @Query(() => ApplicationDeadline, {
    description:
      'When an application of this kind submitted on `submittedOn` is due (CAL-01: working days, weekends and public holidays skipped; WP-04, TRP-03, VISA-02). A day outside the years of the holiday calendar is BAD_USER_INPUT naming them.',
  })
  deadline(
    @Arg('applicationType', () => ApplicationType, { description: 'What is applied for.' }) applicationType: ApplicationType,
    @Arg('submittedOn', () => DateScalar, { description: 'The submission day.' }) submittedOn: string,
    @Arg('processingWorkingDays', () => Int, { nullable: true, description: 'A faster tier where the kind has tiers (WP-04: 10, 15 or 20); default the standard time.' })
    processingWorkingDays: number | null,
    @Ctx() ctx: Context,
  ) {
    return ctx.services.rules.deadline(applicationType, submittedOn, processingWorkingDays);
  }

  @Query(() => StateDuty, {
    description: 'The state duty for a kind of application, duration and processing time (WP-06, TRP-03, VISA-02, CIT-05).',
  })
  stateDuty(
    @Arg('applicationType', () => ApplicationType, { description: 'What is applied for.' }) applicationType: ApplicationType,
    @Arg('durationMonths', () => Int, { nullable: true, description: 'Duration of the permit in months, where the duty depends on it.' })
    durationMonths: number | null,
    @Arg('processingWorkingDays', () => Int, { nullable: true, description: 'Processing time in working days, where a faster tier costs more.' })
    processingWorkingDays: number | null,
    @Arg('asOf', () => DateScalar, { nullable: true, description: 'The day whose tables apply; default today in Baku.' }) asOf: string | null,
    @Ctx() ctx: Context,
  ) {
    return ctx.services.rules.quote(applicationType, durationMonths, processingWorkingDays, asOf);
  }
}

@Resolver(() => Application)
export class ApplicationDutyResolver {
  @FieldResolver(() => StateDuty, {
    description:
      'The state duty of this application: by the tables in force on its submission day, or, where they give no fixed amount (a range or none), the amount an officer assessed with `assessStateDuty` (outcome ASSESSED, PAY-04).',
  })
  stateDuty(@Root() application: Application, @Ctx() ctx: Context) {
    return ctx.services.rules.duty(application);
  }
}
