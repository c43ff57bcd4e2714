import path from 'node:path';
import type { GatewaySupergraph } from '../supergraph';
import { useAdmission } from './admission/use-admission';
import type { Admission } from './admission/admission';
import type { AuditSink } from './audit/audit-client';
import { useAudit } from './audit/use-audit';
import type { TokenVerifier } from './authentication/tokens';
import { useAuthentication } from './authentication/use-authentication';
import { useAuthorization } from './authorization/authorization';
import type { GatewayFeature } from './feature';
import { useDashboard } from './dashboard/use-dashboard';
import type { DashboardSignIn } from './dashboard/dashboard-page';
import { useIde } from './ide/use-ide';
import { useOperationLimits, type OperationLimits } from './operation-limits/operation-limits';
import { committedOperationName, MANIFEST_FORMAT, MANIFEST_VERSION, type PersistedOperationsManifest, type PersistedOperationsMode } from './persisted-operations/persisted-operations';
import { usePersistedOperations } from './persisted-operations/use-persisted-operations';
import { usePlanWarming } from './plan-warming/query-plans';
import { countRefusedToken, useRateLimit, type RateLimiter } from './rate-limit/rate-limit';
import { useRequestValidation } from './request-validation/request-validation';
import { useTelemetry } from './telemetry/use-telemetry';
import { useContract } from './contract/use-contract';
import { durableAudit } from './audit/audit-outbox';

/** What the gateway's features are given. */
export interface FeatureSettings {
  supergraph: GatewaySupergraph;
  /** Development allows introspection and serves the IDE. */
  development: boolean;
  verifier: TokenVerifier;
  /** Requests per minute per agency and per anonymous address; none when absent. */
  rateLimiter?: RateLimiter;
  /** Proxies trusted to append the client's address to X-Forwarded-For (TRUST_PROXY_HOPS); none when absent. */
  trustedProxies?: number;
  /** How many requests are worked on at once and how many wait; no bound when absent. */
  admission?: Admission;
  limits: OperationLimits;
  /** The manifest codegen writes and the mode; off when absent. */
  persisted?: { manifest: PersistedOperationsManifest; mode: PersistedOperationsMode };
  /** Plan the persisted operations for every agency before serving. */
  warmQueryPlans?: boolean;
  /** Where every read of personal data is recorded before its answer leaves (the audit subgraph). */
  audit: AuditSink;
  ide?: {
    /** Development: the headers of the IDE's preset for an agency (a development token and the purpose), at each visit. */
    caller?: (agency: string, purpose: string) => Promise<Record<string, string>>;
    /** Where the committed operations' files are, for the profile each declares; test/operations when absent. */
    operationsDir?: string;
  };
  dashboard?: {
    /** Development: a token minted for the internal-dashboard profile at each visit. */
    developmentToken?: () => Promise<string>;
    /** Production: where the staff sign in (DASHBOARD_OIDC_*); absent, the page says sign-in is not configured. */
    signIn?: DashboardSignIn;
    /** The built page; dist/dashboard when absent. */
    assetsDir?: string;
  };
}

const EMPTY_MANIFEST: PersistedOperationsManifest = { format: MANIFEST_FORMAT, version: MANIFEST_VERSION, operations: {} };

/**
 * The gateway's features in order. Each kind of hook runs in this order: at the HTTP edge
 * authentication, rate limit, the purpose (authorization), admission; in Apollo's steps persisted
 * operations, limits, request validation, authorization, audit, plan warming, the IDE, telemetry.
 * The dashboard and the contract (`/schema.graphql`) only serve pages beside GraphQL.
 */
export function gatewayFeatures(settings: FeatureSettings): GatewayFeature[] {
  const { supergraph, development } = settings;
  const persisted = settings.persisted ?? { manifest: EMPTY_MANIFEST, mode: 'off' };
  const authorization = useAuthorization({ policy: supergraph.policy });
  const audit = durableAudit(settings.audit);
  return [
    useAuthentication({ verifier: settings.verifier, onRefused: settings.rateLimiter && countRefusedToken(settings.rateLimiter, settings.trustedProxies) }),
    ...(settings.rateLimiter ? [useRateLimit({ limiter: settings.rateLimiter, trustedProxies: settings.trustedProxies })] : []),
    usePersistedOperations(persisted),
    useOperationLimits({ limits: settings.limits, development }),
    useRequestValidation({ supergraphSdl: supergraph.executableSdl }),
    authorization,
    useAudit({ sink: audit, authorization }),
    ...(settings.admission ? [useAdmission({ admission: settings.admission })] : []),
    ...(settings.warmQueryPlans && persisted.mode !== 'off'
      ? [usePlanWarming({ supergraphSdl: supergraph.executableSdl, policy: supergraph.policy, manifest: persisted.manifest, plannerConfig: supergraph.plannerConfig })]
      : []),
    useIde({
      enabled: development,
      caller: settings.ide?.caller,
      policy: supergraph.policy,
      manifestTexts: Object.values(persisted.manifest.operations),
      operationsDir: settings.ide?.operationsDir ?? path.resolve('test/operations'),
      safelist: persisted.mode === 'safelist',
    }),
    useDashboard({
      assetsDir: settings.dashboard?.assetsDir ?? path.resolve('dist/dashboard'),
      manifest: persisted.manifest,
      // A minted token is for development only, whatever the caller passes.
      developmentToken: development ? settings.dashboard?.developmentToken : undefined,
      signIn: settings.dashboard?.signIn,
    }),
    useContract({ policy: supergraph.policy }),
    // Last, so that it counts the answer as it leaves, with every feature's errors in it.
    useTelemetry({ admission: settings.admission, audit, committedName: committedOperationName(persisted.manifest) }),
  ];
}
