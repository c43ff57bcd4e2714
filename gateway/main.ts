import { readFileSync } from 'node:fs';
import path from 'node:path';
import { getHeapStatistics } from 'node:v8';
import { ConfigError } from '../subgraphs/shared/config';
import { createGateway } from './app';
import { gatewayKeys, loadGatewayEnvironment, readCacheBytes, subgraphUrlOverrides, verifierFor } from './config';
import { auditClient, auditRecordsUrl } from './features/audit/audit-client';
import { durableAudit } from './features/audit/audit-outbox';
import { developmentKey, mintToken } from './features/authentication/tokens';
import { loadManifest } from './features/persisted-operations/persisted-operations';
import { PURPOSE_HEADER } from '../subgraphs/shared/context';
import { operationLimits } from './features/operation-limits/operation-limits';
import { gatewayContext } from './http/context';
import { startGatewayHttp } from './http/server';
import { readinessProbe, supergraphServiceUrls } from './http/readiness';
import { rateLimiter } from './features/rate-limit/rate-limiter';
import { Admission, ADMISSION_FLOOR } from './features/admission/admission';

async function main(): Promise<void> {
  const env = loadGatewayEnvironment(process.env);
  const supergraphSdl = readFileSync(path.resolve(env.SUPERGRAPH_PATH), 'utf8');
  const { signingKey, registryKeys } = gatewayKeys(env);
  const subgraphUrls = subgraphUrlOverrides(env);
  const server = createGateway({
    supergraphSdl,
    subgraphUrls,
    development: env.NODE_ENV === 'development',
    limits: operationLimits(env),
    signingKey,
    audit: durableAudit(auditClient({ url: auditRecordsUrl(supergraphSdl, subgraphUrls.audit), signingKey, lingerMs: env.AUDIT_LINGER_MS }), {
      spoolFile: path.resolve(env.AUDIT_OUTBOX_PATH ?? path.join(env.DATA_DIR, 'gateway', 'audit-outbox.jsonl')),
      warn: (message) => console.warn(`[gateway] ${message}`),
    }),
    persisted: { manifest: loadManifest(path.resolve(env.PERSISTED_OPERATIONS_PATH)), mode: env.PERSISTED_OPERATIONS },
    warmQueryPlans: env.QUERY_PLAN_WARMING === 'on',
    batchFetches: env.FETCH_BATCHING === 'on',
    readCacheBytes: readCacheBytes(env),
    // The IDE answers at once in development: each agency preset calls with a development token minted
    // for it at each visit (an hour, within AUTH_MAX_TOKEN_AGE) and its purpose.
    ...(env.NODE_ENV === 'development'
      ? {
          ideCaller: async (agency: string, purpose: string) => ({
            authorization: `Bearer ${await mintToken(await developmentKey(env.DATA_DIR), { agency, subject: 'graphiql', ttlSeconds: Math.min(3600, env.AUTH_MAX_TOKEN_AGE) })}`,
            [PURPOSE_HEADER]: purpose,
          }),
        }
      : {}),
  });
  // Between ADMISSION_FLOOR and the configured ceiling, as busy as the event loop is (admission.ts).
  const admission = new Admission({ concurrency: env.LIMIT_CONCURRENT_REQUESTS, floor: Math.min(ADMISSION_FLOOR, env.LIMIT_CONCURRENT_REQUESTS), queueLimit: env.LIMIT_QUEUED_REQUESTS });
  admission.watch();
  const http = await startGatewayHttp(server, {
    port: env.PORT,
    host: env.HOST,
    context: gatewayContext(await verifierFor(env, registryKeys), {
      limiter: rateLimiter({ perAgencyPerMinute: env.LIMIT_RATE_PER_AGENCY, anonymousPerMinute: env.LIMIT_RATE_ANONYMOUS }),
      admission,
    }),
    maxBodyBytes: env.LIMIT_MAX_BODY_BYTES,
    corsOrigins: env.CORS_ORIGINS,
    readiness: readinessProbe({ urls: supergraphServiceUrls(supergraphSdl, subgraphUrls) }),
  });
  // The heap limit says whether the process got its V8 flags (gateway/node-flags.ts).
  console.log(`Gateway ready at ${http.url} (heap limit ${Math.round(getHeapStatistics().heap_size_limit / 2 ** 20)} MiB)`);
  const stop = async () => {
    await http.stop();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? `[gateway] ${error.message}` : error);
  process.exit(1);
});
