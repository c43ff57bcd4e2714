import path from 'node:path';
import { openAuditLog } from '../subgraphs/audit/audit-log';
import { auditChainKey, ConfigError, parseEnvironment, subgraphEnvironment } from '../subgraphs/shared/config';

/**
 * `npm run audit:verify`: walks the audit log's hash chain from the first record and says whether
 * it is intact; exit code 0 when it is, 1 when a record was edited, inserted or deleted (the first
 * broken record is named), 2 when it cannot run. Reads the audit subgraph's database as `npm start`
 * gives it (AUDIT_DATABASE_URL, or the embedded one under DATA_DIR/audit: stop the audit service
 * first, as an embedded database has one user at a time) with the same AUDIT_KEY.
 */
async function main(): Promise<number> {
  const env = parseEnvironment(subgraphEnvironment, process.env);
  const key = auditChainKey(env);
  if (!key) throw new ConfigError('AUDIT_KEY is required in production');
  const { log, db } = await openAuditLog({ url: process.env.AUDIT_DATABASE_URL || undefined, dataDir: path.resolve(env.DATA_DIR, 'audit'), key });
  try {
    const check = await log.verify();
    if (check.intact) {
      console.log(`audit log intact: ${check.records} records; head ${check.head}`);
      return 0;
    }
    console.error(`audit log BROKEN at record ${check.seq}: ${check.problem} (${check.records} records verified before it)`);
    return 1;
  } finally {
    await db.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof ConfigError ? error.message : error);
    process.exit(2);
  },
);
