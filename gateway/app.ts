import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import type { SubgraphName } from '../subgraphs/shared/server/subgraph-definition';
import type { GatewayContext } from './context';
import { formatGatewayError } from './format-error';
import { offlineGraphiQL } from './graphiql';
import { scalarValidation } from './scalar-validation';
import { SubgraphDataSource } from './subgraph-data-source';

export interface GatewayOptions {
  supergraphSdl: string;
  /** Subgraph URLs replacing the supergraph's defaults. */
  subgraphUrls?: Partial<Record<SubgraphName, string>>;
  /** Development shows internal error details, allows introspection and serves the IDE. */
  development: boolean;
}

/** Builds the federation gateway on a static supergraph; it does not listen (main.ts does, tests too). */
export function createGateway(options: GatewayOptions): ApolloServer<GatewayContext> {
  const gateway = new ApolloGateway({
    supergraphSdl: options.supergraphSdl,
    buildService: ({ name, url }) => new SubgraphDataSource(name, options.subgraphUrls?.[name as SubgraphName] ?? url!),
  });
  return new ApolloServer<GatewayContext>({
    gateway,
    introspection: options.development,
    includeStacktraceInErrorResponses: false,
    formatError: (formatted) => formatGatewayError(formatted, options.development),
    // The IDE is for developers: on in development, off in production.
    plugins: [
      scalarValidation(options.supergraphSdl),
      options.development ? offlineGraphiQL() : ApolloServerPluginLandingPageDisabled(),
    ],
  });
}
