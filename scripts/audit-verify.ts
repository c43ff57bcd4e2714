import path from 'node:path';
import { openAuditLog } from '../subgraphs/audit/audit-log';
import { checkAgainstCheckpoints, readCheckpointFile } from '../subgraphs/audit/checkpoints';
import { checkpointSettings } from '../subgraphs/audit/config';
import { auditChainKey, ConfigError, parseEnvironment, subgraphEnvironment } from '../platform/config';

/**
 * `npm run audit:verify`: walks the audit log's hash chain from the first record, then checks it
 * against the latest signed checkpoint (subgraphs/audit/checkpoints.ts). Exit code 0 when it is
 * intact; 1 when a record was edited, inserted or deleted (the first broken record is named), when
 * records were cut from its end (TRUNCATED), when it was emptied (RESET), when an older copy of the
 * database was put back (ROLLED BACK), or when the checkpoints themselves were tampered with or are
 * missing; 2 when it cannot run. Reads the audit subgraph's database as `npm start` gives it
 * (AUDIT_DATABASE_URL, or the embedded one under DATA_DIR/audit: stop the audit service first, as an
 * embedded database has one user at a time) with the same AUDIT_KEY, and the checkpoints at
 * AUDIT_CHECKPOINT_PATH with AUDIT_CHECKPOINT_KEY (or its public half, AUDIT_CHECKPOINT_PUBLIC_KEY).
 */
async function main(): Promise<number> {
  const env = parseEnvironment(subgraphEnvironment, process.env);
  const key = auditChainKey(env);
  if (!key) throw new ConfigError('AUDIT_KEY is required in production');
  const checkpoints = checkpointSettings(process.env, 'verify');
  const { log, db } = await openAuditLog({ url: process.env.AUDIT_DATABASE_URL || undefined, dataDir: path.resolve(env.DATA_DIR, 'audit'), key });
  try {
    const check = await log.verify();
    if (!check.intact) {
      console.error(`audit log BROKEN at record ${check.seq}: ${check.problem} (${check.records} records verified before it)`);
      return 1;
    }
    const against = await checkAgainstCheckpoints(db, log, check.records, await readCheckpointFile(checkpoints.file, checkpoints.keys.publicKey));
    if (against.status === 'intact') {
      const signed = against.checkpoint ? `; latest checkpoint ${against.checkpoint.at}, ${against.checkpoint.size} records` : '; no checkpoint yet';
      console.log(`audit log intact: ${check.records} records; head ${check.head}${signed}`);
      return 0;
    }
    const name = { truncated: 'TRUNCATED', reset: 'RESET', 'rolled-back': 'ROLLED BACK', 'checkpoints-tampered': 'CHECKPOINTS TAMPERED', 'no-checkpoint': 'UNCHECKED' }[against.status];
    console.error(`audit log ${name}: ${against.problem} (${checkpoints.file})`);
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
