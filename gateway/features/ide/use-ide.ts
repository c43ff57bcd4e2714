import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import type { GatewayFeature } from '../feature';
import { offlineGraphiQL, type OfflineGraphiQLOptions } from './graphiql';

/** The IDE is for developers: GraphiQL at the gateway's URL in development; in production no landing page at all. */
export function useIde(options: { enabled: boolean } & OfflineGraphiQLOptions): GatewayFeature {
  const { enabled, ...graphiql } = options;
  return { name: 'ide', apolloPlugins: [enabled ? offlineGraphiQL(graphiql) : ApolloServerPluginLandingPageDisabled()] };
}
