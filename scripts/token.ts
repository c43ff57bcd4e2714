import { parseArgs } from 'node:util';
import { z } from 'zod';
import { CALLING_AGENCIES } from '../gateway/features/authorization/agencies';
import { existingDevelopmentKey, mintToken } from '../gateway/features/authentication/tokens';
import { describeSeconds } from '../gateway/features/authentication/token-lifetime';
import { maxTokenAge } from '../gateway/config';
import { parseEnvironment } from '../platform/config';

/**
 * `npm run token -- --agency border-service [--subject officer-17] [--ttl 3600]`: a development token,
 * signed with the local development key the gateway trusts outside production. The gateway makes
 * that key on its first start under DATA_DIR; without it here, the script stops and says so (a new
 * key would make tokens the gateway refuses). The lifetime is at most the gateway's AUTH_MAX_TOKEN_AGE.
 */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      agency: { type: 'string' },
      subject: { type: 'string', default: 'developer' },
      ttl: { type: 'string', default: '3600' },
    },
  });
  // The registries' own profile is never granted to a token of the development key (tokens.ts).
  if (!values.agency || !CALLING_AGENCIES.includes(values.agency)) throw new Error(`--agency must be one of: ${CALLING_AGENCIES.join(', ')}`);
  // The same variables, read the same way, as the gateway that is to accept the token.
  const env = parseEnvironment(z.object({ DATA_DIR: z.string().min(1).default('./data'), AUTH_MAX_TOKEN_AGE: maxTokenAge }), process.env);
  const ttlSeconds = Number(values.ttl);
  if (!Number.isInteger(ttlSeconds) || ttlSeconds < 60 || ttlSeconds > env.AUTH_MAX_TOKEN_AGE) {
    throw new Error(`--ttl must be 60 to ${env.AUTH_MAX_TOKEN_AGE} seconds (the gateway refuses tokens made to last longer than AUTH_MAX_TOKEN_AGE, ${describeSeconds(env.AUTH_MAX_TOKEN_AGE)})`);
  }
  const key = await existingDevelopmentKey(env.DATA_DIR);
  process.stdout.write(`${await mintToken(key, { agency: values.agency, subject: values.subject!, ttlSeconds })}\n`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
