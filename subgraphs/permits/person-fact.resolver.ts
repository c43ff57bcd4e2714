import { Arg, Ctx, FieldResolver, Mutation, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../../platform/context';
import { RequiresScopes } from '../../platform/requires-scopes';
import type { PermitsServices } from './app';
import { PersonFact, RecordPersonFactInput, RecordPersonFactsInput } from './person-fact.type';
import { toPersonFact } from './person-fact.service';
import { Person } from './person.type';

type Context = RequestContext<PermitsServices>;

@Resolver(() => PersonFact)
export class PersonFactResolver {
  @RequiresScopes('permits:write')
  @Mutation(() => PersonFact, {
    description:
      'Records a fact about a person that a rule reads (a work permit exemption, a permanent residence ground or refusal ground, a CIT-01 condition), with its evidence and validity, exactly once per idempotency key. The eligibility and work authorization answers read it from its validFrom.',
  })
  recordPersonFact(@Arg('input', () => RecordPersonFactInput) input: RecordPersonFactInput, @Ctx() ctx: Context) {
    return ctx.services.facts.record(input);
  }

  @RequiresScopes('permits:write')
  @Mutation(() => [PersonFact], {
    description: "Records several facts, each as recordPersonFact does, in order (e.g. what the documents of a citizenship application prove, sent by the applications registry).",
  })
  recordPersonFacts(@Arg('input', () => RecordPersonFactsInput) input: RecordPersonFactsInput, @Ctx() ctx: Context) {
    return ctx.services.facts.recordAll(input.facts);
  }
}

@Resolver(() => Person)
export class PersonFactsResolver {
  @RequiresScopes('applications:read')
  @FieldResolver(() => [PersonFact], {
    nullable: true,
    description: 'The facts recorded about the person that the rules read, with their evidence, in the order recorded (permits registry).',
  })
  async facts(@Root() person: Person, @Ctx() ctx: Context) {
    return (await ctx.services.facts.ofPerson(person.id)).map(toPersonFact);
  }
}
