import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import type { GatewayFeature } from '../feature';
import { offlineGraphiQL, type OfflineGraphiQLOptions } from './graphiql';

/**
 * The IDE is for developers: GraphiQL at the gateway's URL in development; in production no page at
 * all. Apollo's own landing page is off either way: the IDE's page is served beside GraphQL.
 */
export function useIde(options: { enabled: boolean } & OfflineGraphiQLOptions): GatewayFeature {
  const { enabled, ...graphiql } = options;
  if (!enabled) return { name: 'ide', apolloPlugins: [ApolloServerPluginLandingPageDisabled()] };
  const ide = offlineGraphiQL(graphiql);
  return { name: 'ide', apolloPlugins: [ApolloServerPluginLandingPageDisabled(), ide.plugin], page: ide.page };
}
