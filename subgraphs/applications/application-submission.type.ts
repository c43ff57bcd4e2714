import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { RuleReason } from '../../platform/federation/rule-reason.type';
import {
  Application,
  ApplicationChannel,
  ApplicationDocument,
  ApplicationGround,
  ApplicationType,
  IntakeOutcome,
  RegionalMigrationOffice,
} from './application.type';

@InputType({ description: 'A new application, as received at a channel.' })
export class SubmitApplicationInput {
  @Field(() => ID, { description: 'The applicant: a person of the persons registry.' })
  applicantId: string;

  @Field(() => ApplicationType, { description: 'What is applied for.' })
  type: ApplicationType;

  @Field(() => ApplicationChannel, { description: 'Where it was received; each type has its channels (WP-CH, TRP-CH, PR-CH, CIT-04, REG-03, VISA-02).' })
  channel: ApplicationChannel;

  @Field(() => RegionalMigrationOffice, { nullable: true, description: 'The office, when received at a regional migration office (and only then).' })
  office?: RegionalMigrationOffice | null;

  @Field(() => ApplicationGround, { nullable: true, description: 'The ground relied on; required for residence permits, permanent residence and stay extensions.' })
  ground?: ApplicationGround | null;

  @Field(() => Int, { nullable: true, description: 'Requested duration in months; required for work and residence permits and stay extensions.' })
  requestedDurationMonths?: number | null;

  @Field(() => Int, {
    nullable: true,
    description: 'Processing time in working days where faster tiers exist (work permit 10/15/20, WP-04; temporary residence 15/20, F2); default the standard time.',
  })
  processingWorkingDays?: number | null;

  @Field(() => [ApplicationDocument], { nullable: true, description: 'Documents submitted: the checklist of the type (WP-03, PR-RF-03, CIT-01, CIT-03; an incomplete one is rejected up front) and stay extension evidence.' })
  documents?: ApplicationDocument[] | null;

  @Field(() => String, {
    nullable: true,
    description: 'A key the channel chooses (8-128 letters, digits, . _ : -): a retry with the same key returns the first application instead of registering a second.',
  })
  idempotencyKey?: string | null;
}

@ObjectType({ description: 'The answer to a submission: registered (with its tracking number, due date and duty) or rejected, with the reasons.' })
export class SubmitApplicationPayload {
  @Field(() => IntakeOutcome, { description: 'ACCEPTED or UNDETERMINED: registered; REJECTED: not registered.' })
  outcome: IntakeOutcome;

  @Field(() => Application, { nullable: true, description: 'The registered application; null when rejected.' })
  application: Application | null;

  @Field(() => [RuleReason], { description: 'The rules applied at intake and what they found.' })
  reasons: RuleReason[];
}
