import { readFileSync } from 'node:fs';
import path from 'node:path';
import { getHeapStatistics } from 'node:v8';
import { PURPOSE_HEADER } from '../protocol/headers';
import { ConfigError } from '../platform/config';
import { useCompiledResponses } from './apollo-internals';
import { createGateway } from './app';
import { gatewayConfig, gatewayKeys, loadGatewayEnvironment, verifierFor } from './config';
import { gatewayFeatures } from './features';
import { Admission, ADMISSION_FLOOR } from './features/admission/admission';
import { auditClient, auditRecordsUrl } from './features/audit/audit-client';
import { durableAudit } from './features/audit/audit-outbox';
import { developmentKey, mintToken } from './features/authentication/tokens';
import { loadManifest } from './features/persisted-operations/persisted-operations';
import { rateLimiter, sharedRateLimiter } from './features/rate-limit/rate-limit';
import { createLogger } from '../platform/telemetry/logger';
import { startOpsServer } from '../platform/telemetry/ops-server';
import { startTelemetry } from '../platform/telemetry/telemetry';
import { readinessProbe, supergraphServiceUrls } from './http/readiness';
import { startGatewayHttp } from './http/server';
import { loadSupergraph } from './supergraph';

async function main(): Promise<void> {
  const env = loadGatewayEnvironment(process.env);
  const config = gatewayConfig(env);
  // Before anything that traces or measures: instruments made earlier would record nowhere.
  // Each request's trace is handed on by its context (traceContextOf), so no AsyncLocalStorage: its hooks would run at every promise.
  const telemetry = startTelemetry({ service: 'dmx-gateway', asyncContext: false });
  const log = createLogger({ service: 'gateway', level: config.operations.logLevel });
  const { development, dataDir } = config.service;
  const supergraphSdl = readFileSync(path.resolve(config.service.supergraphPath), 'utf8');
  const { signingKey, registryKeys } = gatewayKeys(env);
  const { urls } = config.subgraphs;
  // One supergraph for the gateway and its features: plan warming fills the gateway's own plan cache.
  const supergraph = loadSupergraph(supergraphSdl);
  if (config.execution.compiledResponses) useCompiledResponses();
  const admission = new Admission({ concurrency: config.limits.admission.concurrency, floor: Math.min(ADMISSION_FLOOR, config.limits.admission.concurrency), queueLimit: config.limits.admission.queued });
  admission.watch();
  const limiter = config.limits.rate.databaseUrl ? await sharedRateLimiter(config.limits.rate, config.limits.rate.databaseUrl) : rateLimiter(config.limits.rate);
  const features = gatewayFeatures({
    supergraph,
    development,
    verifier: await verifierFor(env, registryKeys),
    rateLimiter: limiter,
    trustedProxies: config.limits.rate.trustedProxies,
    admission,
    limits: config.limits.operation,
    persisted: { manifest: loadManifest(path.resolve(config.persistedOperations.path)), mode: config.persistedOperations.mode },
    warmQueryPlans: config.persistedOperations.warmQueryPlans,
    audit: durableAudit(auditClient({ url: auditRecordsUrl(supergraphSdl, urls.audit), signingKey, lingerMs: config.audit.lingerMs }), {
      spoolFile: path.resolve(config.audit.outboxPath),
      warn: (message) => log.warn(message),
    }),
    // Each IDE preset calls with a development token minted for its agency at each visit, within AUTH_MAX_TOKEN_AGE.
    ide: {
      caller: async (agency, purpose) => ({
        authorization: `Bearer ${await mintToken(await developmentKey(dataDir), { agency, subject: 'graphiql', ttlSeconds: Math.min(3600, config.auth.maxTokenAgeSeconds) })}`,
        [PURPOSE_HEADER]: purpose,
      }),
    },
    dashboard: {
      // Development: the page calls with a token minted for its profile at each visit, as the IDE's presets do.
      developmentToken: async () => mintToken(await developmentKey(dataDir), { agency: 'internal-dashboard', subject: 'dashboard', ttlSeconds: Math.min(3600, config.auth.maxTokenAgeSeconds) }),
      signIn: config.dashboard.signIn,
    },
  });
  const gateway = createGateway({ supergraph, development, subgraphs: { ...config.subgraphs, signingKey }, features, logger: log });
  const readiness = readinessProbe({ urls: supergraphServiceUrls(supergraphSdl, urls) });
  const http = await startGatewayHttp(gateway, { ...config.http, readiness });
  const ops = await startOpsServer({ host: config.operations.host, port: config.operations.port, telemetry, ready: readiness });
  // The heap limit says whether the process got its V8 flags (gateway/node-flags.ts).
  log.info(`Gateway ready at ${http.url} (heap limit ${Math.round(getHeapStatistics().heap_size_limit / 2 ** 20)} MiB); operations at ${ops.url}`);
  const stop = async (signal: NodeJS.Signals) => {
    // As the registries say it (run-subgraph.ts): an operator sees why the gateway went.
    log.info(`${signal}: closing`);
    await http.stop();
    await ops.close();
    await limiter.close();
    await telemetry.shutdown();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? `[gateway] ${error.message}` : error);
  process.exit(1);
});
