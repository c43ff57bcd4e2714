import { pageSize } from '../../platform/pagination';
import { Arg, Ctx, Directive, Field, FieldResolver, ID, Int, ObjectType, Resolver, Root } from 'type-graphql';
import { RequiresScopes } from '../../platform/requires-scopes';
import type { RequestContext } from '../../platform/context';
import type { AuditServices } from './app';

type Context = RequestContext<AuditServices>;

@ObjectType({ description: "One recorded read of a person's data (audit of personal data access)." })
export class DataAccessRecord {
  @Field(() => Int, { description: 'Position in the hash-chained audit log.' })
  seq: number;

  @Field(() => String, { description: 'When it was recorded (ISO 8601, UTC).' })
  at: string;

  @Field(() => String, { nullable: true, description: 'The agency that read.' })
  agency: string | null;

  @Field(() => String, { nullable: true, description: 'The user (token subject) that read.' })
  subject: string | null;

  @Field(() => String, { nullable: true, description: 'The purpose of use declared.' })
  purpose: string | null;

  @Field(() => String, { description: 'The operation, by name (or its kind when unnamed).' })
  operation: string;

  @Field(() => [String], { description: 'The protected fields served, as Type.field.' })
  fields: readonly string[];

  @Field(() => String, { description: 'SERVED, PARTIAL, ERROR; INTENT (a write about to run, recorded before it; its outcome follows in another record); or the code the request was refused with.' })
  outcome: string;

  @Field(() => String, { description: 'The request id, to correlate with the logs.' })
  requestId: string;
}

@Directive('@key(fields: "id")')
@ObjectType({ description: 'A foreigner or stateless person known to the State Migration Service (persons registry).' })
export class Person {
  @Field(() => ID, { description: 'Stable registry identifier (UUID).' })
  id: string;
}

/** Person.dataAccessLog: oversight sees who read a person's data, when and why. */
@Resolver(() => Person)
export class PersonAuditResolver {
  @RequiresScopes('audit:read')
  @FieldResolver(() => [DataAccessRecord], {
    nullable: true,
    description: "Who read this person's data, when and for which purpose, newest first (audit of personal data access).",
  })
  dataAccessLog(
    @Root() person: Person,
    @Arg('first', () => Int, { defaultValue: 50, description: 'How many records, newest first (1 to 500).' }) first: number,
    @Ctx() ctx: Context,
  ): Promise<DataAccessRecord[]> {
    return ctx.services.audit.forPerson(person.id, pageSize(first, 50, 'first', { min: 1, max: 500 }));
  }
}
