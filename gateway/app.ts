import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer, type ApolloServerOptions } from '@apollo/server';
import { FeatureGateway } from './feature-gateway';
import type { GatewayFeature } from './features/feature';
import { gatewayContext, type GatewayContext } from './http/context';
import { formatGatewayError } from './http/format-error';
import type { GatewayApp } from './http/server';
import { subgraphFetch, type SubgraphFetchOptions } from './subgraph-fetch/data-source';
import type { GatewaySupergraph } from './supergraph';

export interface GatewayOptions {
  supergraph: GatewaySupergraph;
  /** Development shows internal error details and allows introspection. */
  development: boolean;
  /** How the gateway calls the registries: their URLs, its signing key, batching and the read cache. */
  subgraphs: Omit<SubgraphFetchOptions, 'middleware'>;
  /** The features, in order (features/index.ts). */
  features: readonly GatewayFeature[];
  /** What Apollo Server and the features log to (the service's JSON log); Apollo's own console logger when absent. */
  logger?: ApolloServerOptions<GatewayContext>['logger'];
}

/** Builds the federation gateway from its features on a static supergraph; it does not listen (main.ts does, tests too). */
export function createGateway(options: GatewayOptions): GatewayApp {
  const { supergraph, features } = options;
  const subgraphs = subgraphFetch({ ...options.subgraphs, middleware: (registry) => features.flatMap((feature) => feature.subgraphFetch?.(registry) ?? []) });
  const gateway = new ApolloGateway({ supergraphSdl: supergraph.executableSdl, queryPlannerConfig: supergraph.plannerConfig, buildService: subgraphs.buildService });
  const owned = Object.assign({}, ...features.map((feature) => feature.apolloOptions));
  const apollo = new ApolloServer<GatewayContext>({
    gateway: new FeatureGateway(gateway, features.flatMap((feature) => (feature.onExecute ? [feature.onExecute.bind(feature)] : []))),
    introspection: options.development,
    logger: options.logger,
    includeStacktraceInErrorResponses: false,
    // A JSON array of operations is refused: one operation per request, each counted against the limits.
    allowBatchedHttpRequests: false,
    // Requests a browser could send cross-site without a preflight are refused (Apollo's CSRF prevention).
    csrfPrevention: true,
    persistedQueries: owned.persistedQueries ?? false,
    parseOptions: owned.parseOptions,
    validationRules: features.flatMap((feature) => feature.validationRules ?? []),
    formatError: (formatted) => formatGatewayError(formatted, options.development),
    plugins: [subgraphs.plugin, ...features.flatMap((feature) => feature.apolloPlugins ?? [])],
  });
  const pages = features.filter((feature) => feature.servePage);
  return {
    apollo,
    context: gatewayContext(features),
    pagePaths: pages.flatMap((feature) => feature.pagePaths ?? []),
    async servePage(req, res) {
      for (const feature of pages) if (await feature.servePage!(req, res)) return true;
      return false;
    },
  };
}
