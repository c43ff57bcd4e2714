import type { KeyObject } from 'node:crypto';
import path from 'node:path';
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import type { SubgraphName } from '../subgraphs/shared/server/subgraph-definition';
import { isRegistryCall } from './features/authorization/agencies';
import type { GatewayContext } from './http/context';
import { gatewayEnvironment } from './config';
import { formatGatewayError } from './http/format-error';
import { armor, operationLimits, type OperationLimits } from './features/operation-limits/operation-limits';
import { offlineGraphiQL } from './features/ide/graphiql';
import { requestValidation } from './features/request-validation/request-validation';
import { SubgraphDataSource } from './subgraph-fetch/data-source';
import { ReadCache } from './subgraph-fetch/read-cache';
import { queryPlanCache, queryPlanWarming } from './features/plan-warming/query-plans';
import { authorization, noInternalAliases } from './features/authorization/authorization';
import { accessPolicy, supergraphForExecution } from './features/authorization/policy';
import type { AuditSink } from './features/audit/audit-client';
import {
  MANIFEST_FORMAT,
  MANIFEST_VERSION,
  persistedOperations,
  type PersistedOperationsManifest,
  type PersistedOperationsMode,
} from './features/persisted-operations/persisted-operations';

const EMPTY_MANIFEST: PersistedOperationsManifest = { format: MANIFEST_FORMAT, version: MANIFEST_VERSION, operations: {} };

export interface GatewayOptions {
  supergraphSdl: string;
  /** Subgraph URLs replacing the supergraph's defaults. */
  subgraphUrls?: Partial<Record<SubgraphName, string>>;
  /** Development shows internal error details, allows introspection and serves the IDE. */
  development: boolean;
  /** Operation limits; the defaults of the gateway's configuration when absent. */
  limits?: OperationLimits;
  /** The gateway's Ed25519 private key, which subgraph requests are signed with (subgraph trust). */
  signingKey: KeyObject;
  /** Where every read of personal data is recorded before its answer leaves (the audit subgraph). */
  audit: AuditSink;
  /** Persisted operations: the manifest codegen writes and the mode (off, allow, safelist); off when absent. */
  persisted?: { manifest: PersistedOperationsManifest; mode: PersistedOperationsMode };
  /** Send the concurrent reads of one registry by officers of one agency with the same scopes as one fetch (fetch-batching.ts); off when absent. */
  batchFetches?: boolean;
  /** Bytes of the registries' answers to reads kept, each given again while its registry's state is the same (read-cache.ts); none when absent or 0. */
  readCacheBytes?: number;
  /** Plan the persisted operations for every agency before serving (query-plans.ts); off when absent. */
  warmQueryPlans?: boolean;
  /**
   * Development: the headers of the IDE's preset for an agency (a development token minted for it, and
   * the purpose), asked at each visit of the IDE.
   */
  ideCaller?: (agency: string, purpose: string) => Promise<Record<string, string>>;
  /** Development: where the committed operations' files are, for the profile each declares; test/operations when absent. */
  ideOperationsDir?: string;
}

/** Builds the federation gateway on a static supergraph; it does not listen (main.ts does, tests too). */
export function createGateway(options: GatewayOptions): ApolloServer<GatewayContext> {
  const executable = supergraphForExecution(options.supergraphSdl);
  const policy = accessPolicy(options.supergraphSdl);
  // One planner configuration for the gateway and for warming, so that a warmed plan is the gateway's own.
  const plannerConfig = { cache: queryPlanCache() };
  const readCache = options.readCacheBytes ? new ReadCache(options.readCacheBytes) : undefined;
  const gateway = new ApolloGateway({
    supergraphSdl: executable,
    queryPlannerConfig: plannerConfig,
    buildService: ({ name, url }) => new SubgraphDataSource(name, options.subgraphUrls?.[name as SubgraphName] ?? url!, options.signingKey, {
        batchFetches: options.batchFetches,
        // The audit log changes with every read of personal data: nothing kept of it would be given again.
        readCache: name === 'audit' ? undefined : readCache,
      }),
  });
  const limits = options.limits ?? operationLimits(gatewayEnvironment.parse({}));
  const protection = armor(limits, options.development);
  // Safelist mode binds partners to the committed operations; the registries' own calls are exempt.
  const persisted = persistedOperations<GatewayContext>(options.persisted?.manifest ?? EMPTY_MANIFEST, options.persisted?.mode ?? 'off', {
    appliesTo: (context) => !isRegistryCall(context.claims),
  });
  return new ApolloServer<GatewayContext>({
    gateway,
    introspection: options.development,
    includeStacktraceInErrorResponses: false,
    // A JSON array of operations is refused: one operation per request, each counted against the limits.
    allowBatchedHttpRequests: false,
    // Requests a browser could send cross-site without a preflight are refused (Apollo's CSRF prevention).
    csrfPrevention: true,
    persistedQueries: persisted.persistedQueries,
    validationRules: [...protection.validationRules, noInternalAliases],
    parseOptions: { maxTokens: limits.maxTokens },
    formatError: (formatted) => formatGatewayError(formatted, options.development),
    plugins: [
      persisted.plugin,
      ...protection.plugins,
      requestValidation(executable),
      // Field authorization, purpose of use and the audit, before planning (issue 5).
      authorization({ policy, audit: options.audit }),
      ...(options.warmQueryPlans && options.persisted && options.persisted.mode !== 'off'
        ? [queryPlanWarming<GatewayContext>({ supergraphSdl: executable, policy, manifest: options.persisted.manifest, plannerConfig })]
        : []),
      // The IDE is for developers: on in development, off in production.
      options.development
        ? offlineGraphiQL({
            caller: options.ideCaller,
            policy,
            manifestTexts: Object.values((options.persisted?.manifest ?? EMPTY_MANIFEST).operations),
            operationsDir: options.ideOperationsDir ?? path.resolve('test/operations'),
            safelist: options.persisted?.mode === 'safelist',
          })
        : ApolloServerPluginLandingPageDisabled(),
    ],
  });
}
