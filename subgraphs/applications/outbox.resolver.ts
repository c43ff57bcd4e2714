import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { RequiresScopes } from '../../platform/requires-scopes';
import type { RequestContext } from '../../platform/context';
import type { ApplicationsServices } from './app';
import { Application } from './application.type';
import { UndeliveredMessage } from './outbox.type';

type Context = RequestContext<ApplicationsServices>;

/** Operators' view of the messages to the other registries that are not delivered (issue 4: nothing lost). */
@Resolver(() => UndeliveredMessage)
export class OutboxResolver {
  @RequiresScopes('operations:admin')
  @Query(() => [UndeliveredMessage], {
    description: 'Messages to the other registries (duties to bill or cancel, permits to record) tried at least once and not yet delivered, oldest first; those set aside after refusals wait for redeliverMessage.',
  })
  undeliveredMessages(@Arg('first', () => Int, { defaultValue: 50, description: 'How many, 1 to 500.' }) first: number, @Ctx() ctx: Context) {
    return ctx.services.outbox.undelivered(first);
  }

  @RequiresScopes('operations:admin')
  @Mutation(() => Boolean, { description: 'Puts an undelivered message back in line (after its cause was fixed); it is tried again at once. True when done.' })
  redeliverMessage(@Arg('id', () => ID, { description: 'The message (UndeliveredMessage.id).' }) id: string, @Ctx() ctx: Context) {
    return ctx.services.outbox.redeliver(id);
  }

  @FieldResolver(() => Application, { nullable: true, description: 'The application the message is about.' })
  application(@Root() message: UndeliveredMessage, @Ctx() ctx: Context) {
    return ctx.services.applications.byId(message.applicationId);
  }
}
