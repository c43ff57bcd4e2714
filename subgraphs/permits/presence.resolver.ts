import { Ctx, Query, Resolver } from 'type-graphql';
import type { RequestContext } from '../../platform/context';
import { RequiresScopes } from '../../platform/requires-scopes';
import type { PermitsServices } from './app';
import { PresenceStatistics } from './presence-statistics.type';

type Context = RequestContext<PermitsServices>;

@Resolver(() => PresenceStatistics)
export class PresenceStatisticsResolver {
  @RequiresScopes('aggregates:read')
  @Query(() => PresenceStatistics, {
    description:
      'Persons present in Azerbaijan today, overstaying (STAY-03) by citizenship and by overstay length, and overdue for registration by place of stay (REG-02): counts only, from the status this registry keeps per person, at most a refresher pause behind the records (`statusAsOf`).',
  })
  presenceStatistics(@Ctx() ctx: Context) {
    return ctx.services.presence.statistics();
  }
}
