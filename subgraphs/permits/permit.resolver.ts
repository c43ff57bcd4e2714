import { RequiresScopes } from '../../platform/requires-scopes';
import { Arg, Ctx, Directive, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { HistoricalPermitInput, IssuedPermitInput } from './permit-input.type';
import { callerOf } from '../../protocol/claims';
import { CitizenshipEligibility, Eligibility, LegalStatus, StayPeriod, WorkAuthorization } from './legal-status.type';
import type { RequestContext } from '../../platform/context';
import { DateScalar } from '../../platform/scalars';
import type { PermitsServices } from './app';
import { Application } from './application.type';
import { Person } from './person.type';
import { disclosePermitExpiry, disclosePermitStatistics, PermitExpiryCount, PermitStatistics } from './permit-statistics.type';
import { Permit, PermitStatus } from './permit.type';

type Context = RequestContext<PermitsServices>;

@Resolver(() => Permit)
export class PermitResolver {
  @RequiresScopes('permits:read')
  @Query(() => Permit, { nullable: true, description: 'A permit by registry id; null when unknown.' })
  permit(@Arg('id', () => ID, { description: 'Registry id (UUID).' }) id: string, @Ctx() ctx: Context) {
    return ctx.services.permits.byId(id);
  }

  @RequiresScopes('permits:read')
  @Query(() => Permit, { nullable: true, description: 'A permit or visa by the number printed on it; null when unknown.' })
  permitByNumber(@Arg('number', () => String, { description: 'The permit number, e.g. WP000012345.' }) number: string, @Ctx() ctx: Context) {
    return ctx.services.permits.byNumber(number);
  }

  @RequiresScopes('aggregates:read')
  @Query(() => PermitStatistics, {
    description:
      'Counts of the permits in force today per kind, and of those expiring soon; no personal data, and no count under `suppressedBelow` to a caller who may only count.',
  })
  async permitStatistics(
    @Arg('expiringWithinDays', () => Int, { defaultValue: 30, description: 'The expiry window in days, today included (1 to 366).' }) expiringWithinDays: number,
    @Ctx() ctx: Context,
  ) {
    return disclosePermitStatistics(await ctx.services.permits.statistics(expiringWithinDays), ctx.aggregates);
  }

  @RequiresScopes('permits:write')
  @Mutation(() => Permit, {
    description: 'Records the permit issued on an application (sent by the applications registry); recorded once per application, whatever the retries.',
  })
  recordIssuedPermit(@Arg('input', () => IssuedPermitInput) input: IssuedPermitInput, @Ctx() ctx: Context) {
    return ctx.services.permits.recordIssued(input);
  }

  @RequiresScopes('operations:admin')
  @Mutation(() => Permit, {
    description:
      'An administrator records a permit, visa or registration the Service issued in the past (with its ground, article and the document it rests on), exactly once per idempotency key. Not for permits issued on an application of this graph, which arrive by themselves.',
  })
  recordHistoricalPermit(@Arg('input', () => HistoricalPermitInput) input: HistoricalPermitInput, @Ctx() ctx: Context) {
    return ctx.services.permits.recordHistorical(input, callerOf(ctx.claims));
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

/** The expiry windows of the statistics: asked for only when selected. */
@Resolver(() => PermitStatistics)
export class PermitStatisticsResolver {
  @FieldResolver(() => [PermitExpiryCount], {
    description:
      'Of the permits in force on `asOf`, how many of each kind end within each window (default the next 30, 60 and 90 days): one count per window and kind, narrowest window first, every kind listed.',
  })
  async expiringWithin(
    @Root() statistics: PermitStatistics,
    @Arg('days', () => [Int], { defaultValue: [30, 60, 90], description: 'The windows in days, `asOf` included: 1 to 6 of them, each from 1 to 366, each once.' }) days: number[],
    @Ctx() ctx: Context,
  ) {
    return disclosePermitExpiry(await ctx.services.permits.expiring(statistics.asOf, days), ctx.aggregates);
  }
}

@Resolver(() => Person)
export class PersonPermitsResolver {
  @RequiresScopes('permits:read')
  @FieldResolver(() => [Permit], { nullable: true, description: "The person's visas, permits and registrations, oldest first (permits registry)." })
  permits(
    @Root() person: Person,
    @Arg('inForceOn', () => DateScalar, { nullable: true, description: 'Only those in force on this day.' }) inForceOn: string | null,
    @Ctx() ctx: Context,
  ) {
    return ctx.services.permits.ofHolder(person.id, inForceOn);
  }
}

/** What the crossings-based answers take from the persons registry. */
const STAY_FACTS = 'citizenship borderCrossings { direction date }';
const AS_OF = { nullable: true, description: 'Evaluation date; default today in Baku.' } as const;

/** The Migration Code's answers about a person, decided by the shared rules. */
@Resolver(() => Person)
export class PersonLegalResolver {
  @Directive(`@requires(fields: "${STAY_FACTS}")`)
  @RequiresScopes('status:read')
  @FieldResolver(() => LegalStatus, {
    nullable: true,
    description:
      'Lawful or not on a date, on which basis, until when, overstay days, and whether registration by place of stay is required and by when (STAY-01..03, REG-01..03).',
  })
  legalStatus(@Root() person: Person, @Arg('asOf', () => DateScalar, AS_OF) asOf: string | null, @Ctx() ctx: Context) {
    return ctx.services.legal.legalStatus(person, asOf);
  }

  @Directive(`@requires(fields: "${STAY_FACTS}")`)
  @RequiresScopes('status:read')
  @FieldResolver(() => [StayPeriod], {
    nullable: true,
    description:
      'Continuous stays in Azerbaijan derived from the border crossings (STAY-02), oldest first, each with its days, lawful basis and overstay days (STAY-01, STAY-03).',
  })
  stayPeriods(
    @Root() person: Person,
    @Arg('asOf', () => DateScalar, {
      nullable: true,
      description: 'Evaluation date: an open stay runs to it, later crossings are ignored. Default: today in Baku.',
    })
    asOf: string | null,
    @Ctx() ctx: Context,
  ) {
    return ctx.services.legal.stayPeriods(person, asOf);
  }

  @Directive(`@requires(fields: "${STAY_FACTS}")`)
  @RequiresScopes('status:read')
  @FieldResolver(() => WorkAuthorization, {
    nullable: true,
    description: 'May the person work on a date: by which work permit or which exemption (WP-01, WP-EX-01..21).',
  })
  workAuthorization(@Root() person: Person, @Arg('asOf', () => DateScalar, AS_OF) asOf: string | null, @Ctx() ctx: Context) {
    return ctx.services.legal.workAuthorization(person, asOf);
  }

  @Directive(`@requires(fields: "${STAY_FACTS} outstandingFines { id offence issuedOn amount { amount currency } }")`)
  @RequiresScopes('applications:read')
  @FieldResolver(() => Eligibility, {
    nullable: true,
    description:
      'Eligibility for permanent residence: two years of continuous temporary residence (PR-01), the ground (PR-GR-01..10) and the refusal grounds (PR-RF-01..16; RF-10 from the crossings, RF-16 from outstanding fines, the rest from recorded facts).',
  })
  permanentResidenceEligibility(
    @Root() person: Person,
    @Arg('ground', () => String, { nullable: true, description: 'The ground relied on, as a rule ID PR-GR-01..PR-GR-10.' }) ground: string | null,
    @Arg('asOf', () => DateScalar, AS_OF) asOf: string | null,
    @Ctx() ctx: Context,
  ) {
    return ctx.services.legal.permanentResidenceEligibility(person, ground, asOf);
  }

  @RequiresScopes('applications:read')
  @FieldResolver(() => CitizenshipEligibility, {
    nullable: true,
    description: 'Eligibility for citizenship: admission after five years of continuous permanent residence (CIT-01), and restoration for a former citizen (CIT-02).',
  })
  citizenshipEligibility(@Root() person: Person, @Arg('asOf', () => DateScalar, AS_OF) asOf: string | null, @Ctx() ctx: Context) {
    return ctx.services.legal.citizenshipEligibility(person, asOf);
  }
}

@Resolver(() => Application)
export class ApplicationPermitResolver {
  @RequiresScopes('permits:read', 'applications:read')
  @FieldResolver(() => Permit, { nullable: true, description: 'The permit issued on this application, once issued (permits registry).' })
  permit(@Root() application: Application, @Ctx() ctx: Context) {
    return ctx.services.permits.ofApplication(application.id);
  }
}
