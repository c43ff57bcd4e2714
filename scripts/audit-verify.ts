import { ConfigError } from '../subgraphs/shared/config';
import { auditLogFor, loadGatewayEnvironment } from '../gateway/config';

/**
 * `npm run audit:verify`: walks the audit log's hash chain from the first record and says whether
 * it is intact; exit code 0 when it is, 1 when a record was edited, inserted or deleted (the first
 * broken record is named), 2 when it cannot run. Reads the database the gateway's environment
 * names (AUDIT_DATABASE_URL, or the embedded one under DATA_DIR/audit: stop the gateway first, as an
 * embedded database has one user at a time), with the same AUDIT_KEY.
 */
async function main(): Promise<number> {
  const env = loadGatewayEnvironment(process.env);
  const { log, db } = await auditLogFor(env);
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
