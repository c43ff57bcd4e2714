import { readFileSync } from 'node:fs';
import path from 'node:path';
import { getHeapStatistics } from 'node:v8';
import { ConfigError } from '../subgraphs/shared/config';
import { createGateway } from './app';
import { loadGatewayEnvironment, readCacheBytes, subgraphUrlOverrides, verifierFor } from './config';
import { auditClient, auditRecordsUrl } from './audit/audit-client';
import { developmentKey, mintToken } from './auth/tokens';
import { loadManifest } from './persisted-operations';
import { PURPOSE_HEADER } from '../subgraphs/shared/context';
import { operationLimits } from './limits';
import { developmentSigningKey } from '../subgraphs/shared/request-signing';
import { gatewayContext } from './context';
import { startGatewayHttp } from './http';
import { rateLimiter } from './rate-limit';
import { Admission, ADMISSION_FLOOR } from './admission';

async function main(): Promise<void> {
  const env = loadGatewayEnvironment(process.env);
  const supergraphSdl = readFileSync(path.resolve(env.SUPERGRAPH_PATH), 'utf8');
  const signingKey = env.SUBGRAPH_SIGNING_KEY ?? developmentSigningKey(env.DATA_DIR);
  const subgraphUrls = subgraphUrlOverrides(env);
  const server = createGateway({
    supergraphSdl,
    subgraphUrls,
    development: env.NODE_ENV === 'development',
    limits: operationLimits(env),
    signingKey,
    audit: auditClient({ url: auditRecordsUrl(supergraphSdl, subgraphUrls.audit), signingKey, lingerMs: env.AUDIT_LINGER_MS }),
    persisted: { manifest: loadManifest(path.resolve(env.PERSISTED_OPERATIONS_PATH)), mode: env.PERSISTED_OPERATIONS },
    warmQueryPlans: env.QUERY_PLAN_WARMING === 'on',
    batchFetches: env.FETCH_BATCHING === 'on',
    readCacheBytes: readCacheBytes(env),
    // The IDE answers at once in development: an administrator's development token (an hour) and purpose.
    ...(env.NODE_ENV === 'development'
      ? {
          ideHeaders: async () => ({
            authorization: `Bearer ${await mintToken(await developmentKey(env.DATA_DIR), { agency: 'administrator', subject: 'graphiql' })}`,
            [PURPOSE_HEADER]: 'ADMINISTRATION',
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
    context: gatewayContext(await verifierFor(env, signingKey), {
      limiter: rateLimiter({ perAgencyPerMinute: env.LIMIT_RATE_PER_AGENCY, anonymousPerMinute: env.LIMIT_RATE_ANONYMOUS }),
      admission,
    }),
    maxBodyBytes: env.LIMIT_MAX_BODY_BYTES,
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
