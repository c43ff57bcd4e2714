import { parseArgs } from 'node:util';
import { AGENCIES } from '../gateway/auth/agencies';
import { developmentKey, mintToken } from '../gateway/auth/tokens';

/**
 * `npm run token -- --agency border-service [--subject officer-17] [--ttl 3600]`: a development token,
 * signed with the local development key the gateway trusts outside production (made on first use).
 */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      agency: { type: 'string' },
      subject: { type: 'string', default: 'developer' },
      ttl: { type: 'string', default: '3600' },
    },
  });
  const agencies = Object.keys(AGENCIES).join(', ');
  if (!values.agency || !AGENCIES[values.agency]) throw new Error(`--agency must be one of: ${agencies}`);
  const ttlSeconds = Number(values.ttl);
  if (!Number.isInteger(ttlSeconds) || ttlSeconds < 60 || ttlSeconds > 86_400) throw new Error('--ttl must be 60 to 86400 seconds');
  const key = await developmentKey(process.env.DATA_DIR ?? './data');
  process.stdout.write(`${await mintToken(key, { agency: values.agency, subject: values.subject!, ttlSeconds })}\n`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
