import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ConfigError } from '../subgraphs/shared/config';
import { createGateway } from './app';
import { auditLogFor, loadGatewayEnvironment, subgraphUrlOverrides, verifierFor } from './config';
import { auditSubgraphSchema } from './audit/audit-subgraph';
import { developmentKey, mintToken } from './auth/tokens';
import { loadManifest } from './persisted-operations';
import { operationLimits } from './limits';
import { developmentSigningKey } from '../subgraphs/shared/request-signing';
import { gatewayContext } from './context';
import { startGatewayHttp } from './http';
import { rateLimiter } from './rate-limit';

async function main(): Promise<void> {
  const env = loadGatewayEnvironment(process.env);
  const supergraphSdl = readFileSync(path.resolve(env.SUPERGRAPH_PATH), 'utf8');
  const audit = await auditLogFor(env);
  const signingKey = env.SUBGRAPH_SIGNING_KEY ?? developmentSigningKey(env.DATA_DIR);
  const server = createGateway({
    supergraphSdl,
    subgraphUrls: subgraphUrlOverrides(env),
    development: env.NODE_ENV === 'development',
    limits: operationLimits(env),
    signingKey,
    audit: audit.log,
    auditSchema: await auditSubgraphSchema(),
    persisted: { manifest: loadManifest(path.resolve(env.PERSISTED_OPERATIONS_PATH)), mode: env.PERSISTED_OPERATIONS },
    // The IDE answers at once in development: an administrator's development token (an hour) and purpose.
    ...(env.NODE_ENV === 'development'
      ? {
          ideHeaders: async () => ({
            authorization: `Bearer ${await mintToken(await developmentKey(env.DATA_DIR), { agency: 'administrator', subject: 'graphiql' })}`,
            'x-dmx-purpose': 'ADMINISTRATION',
          }),
        }
      : {}),
  });
  const http = await startGatewayHttp(server, {
    port: env.PORT,
    host: env.HOST,
    context: gatewayContext(
      await verifierFor(env, signingKey),
      rateLimiter({ perAgencyPerMinute: env.LIMIT_RATE_PER_AGENCY, anonymousPerMinute: env.LIMIT_RATE_ANONYMOUS }),
    ),
    maxBodyBytes: env.LIMIT_MAX_BODY_BYTES,
  });
  console.log(`Gateway ready at ${http.url}`);
  const stop = async () => {
    await http.stop();
    await audit.db.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? `[gateway] ${error.message}` : error);
  process.exit(1);
});
