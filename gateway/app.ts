import { ApolloGateway, type GatewayConfig } from '@apollo/gateway';
import { ApolloServer, type ApolloServerOptions } from '@apollo/server';
import { ApolloServerPluginSchemaReportingDisabled, ApolloServerPluginUsageReportingDisabled } from '@apollo/server/plugin/disabled';
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
  /** What Apollo Server, @apollo/gateway and the features log to (the service's JSON log); Apollo's own console loggers when absent. */
  logger?: ApolloServerOptions<GatewayContext>['logger'];
}

/** Builds the federation gateway from its features on a static supergraph; it does not listen (main.ts does, tests too). */
export function createGateway(options: GatewayOptions): GatewayApp {
  const { supergraph, features } = options;
  const subgraphs = subgraphFetch({ ...options.subgraphs, middleware: (registry) => features.flatMap((feature) => feature.subgraphFetch?.(registry) ?? []) });
  const gateway = apolloGatewayWithoutDataCollection({
    supergraphSdl: supergraph.executableSdl,
    queryPlannerConfig: supergraph.plannerConfig,
    buildService: subgraphs.buildService,
    // Its own warnings go to the service's log too, not to the console.
    logger: options.logger,
  });
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
    plugins: [
      subgraphs.plugin,
      // Operations and the schema never go to Apollo's cloud, whatever APOLLO_KEY and APOLLO_SCHEMA_REPORTING say.
      ApolloServerPluginUsageReportingDisabled(),
      ApolloServerPluginSchemaReportingDisabled(),
      ...features.flatMap((feature) => feature.apolloPlugins ?? []),
    ],
  });
  const pages = features.filter((feature) => feature.page);
  return {
    apollo,
    context: gatewayContext(features),
    pagePaths: pages.flatMap((feature) => feature.pagePaths ?? []),
    pageFor(req) {
      for (const feature of pages) {
        const answer = feature.page!(req);
        if (answer) return answer;
      }
      return undefined;
    },
  };
}

/**
 * An ApolloGateway that reports nothing to Apollo. Unless APOLLO_TELEMETRY_DISABLED is set while it
 * is built, @apollo/gateway starts a meter of its own that probes the cloud metadata services (AWS,
 * Google Cloud, Azure, Alibaba) and sends the host's OS, architecture, CPU count and frequency,
 * memory and the gateway's uptime to usage-reporting.api.apollographql.com every hour and at
 * shutdown. A gateway over the registries of a state service calls no one but its registries and
 * the collector its operators name, so the switch is set for the construction, whatever the
 * environment says, and put back after.
 */
export function apolloGatewayWithoutDataCollection(config: GatewayConfig): ApolloGateway {
  const before = process.env.APOLLO_TELEMETRY_DISABLED;
  process.env.APOLLO_TELEMETRY_DISABLED = 'true';
  try {
    return new ApolloGateway(config);
  } finally {
    if (before === undefined) delete process.env.APOLLO_TELEMETRY_DISABLED;
    else process.env.APOLLO_TELEMETRY_DISABLED = before;
  }
}
