import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openAuditLog, type AuditLog } from '../subgraphs/audit/audit-log';
import { Checkpointer } from '../subgraphs/audit/checkpoints';
import { checkpointSettings } from '../subgraphs/audit/config';
import type { Database } from '../platform/db/database';

/**
 * `npm run audit:verify` as an operator runs it, on the embedded audit database under DATA_DIR and
 * the checkpoints the audit service signed (issue 18, item 4): an intact log, an edited record, and
 * the three things a hash chain alone cannot see: records cut from its end with the head moved back
 * (truncation), an emptied log (reset), and an older copy of the database put back (rollback).
 */
describe('npm run audit:verify', () => {
  const root = path.resolve(__dirname, '..');
  const key = 'v'.repeat(64);
  const dataDirs: string[] = [];
  afterAll(() => dataDirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

  /** A fresh DATA_DIR, as `npm start` lays it out: the audit database in audit/, the checkpoints beside it, the development keys in keys/. */
  function world() {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'dmx-audit-'));
    dataDirs.push(dataDir);
    const env = { NODE_ENV: 'development', DATA_DIR: dataDir };
    const open = async (): Promise<{ log: AuditLog; db: Database; checkpoint: () => Promise<unknown> }> => {
      const { log, db } = await openAuditLog({ dataDir: path.join(dataDir, 'audit'), key });
      // The audit service's checkpoints, with the settings the script reads (the same variables, the same key).
      const checkpointer = new Checkpointer(db, log, checkpointSettings(env));
      return { log, db, checkpoint: () => checkpointer.checkpoint() };
    };
    const verify = () =>
      spawnSync(process.execPath, [path.join(root, 'node_modules/ts-node/dist/bin.js'), '--transpile-only', 'scripts/audit-verify.ts'], {
        cwd: root,
        env: { ...process.env, ...env, AUDIT_DATABASE_URL: '', AUDIT_KEY: key, AUDIT_CHECKPOINT_KEY: '', AUDIT_CHECKPOINT_PATH: '' },
        encoding: 'utf8',
      });
    return { dataDir, open, verify };
  }

  async function append(log: AuditLog, from: number, to: number): Promise<void> {
    for (let index = from; index <= to; index += 1) {
      await log.append({ agency: 'police', subject: 'p', purpose: 'PUBLIC_ORDER', operation: 'Q', fields: ['Person.surname'], personIds: [], requestId: `r${index}`, entryId: `entry-${index}`, outcome: 'SERVED' });
    }
  }

  /** What a database administrator can do without any key: the append-only trigger switched off, then SQL. */
  async function tamper(db: Database, ...statements: string[]): Promise<void> {
    await db.exec('test.trigger-off', 'alter table audit_records disable trigger audit_records_append_only');
    for (const sql of statements) await db.query('test.tamper', sql);
  }

  it('says the chain is intact, then finds the edited record', async () => {
    const { open, verify } = world();
    let { log, db, checkpoint } = await open();
    await append(log, 0, 4);
    await checkpoint();
    await db.close();
    const intact = verify();
    expect({ status: intact.status, out: intact.stdout }).toEqual({ status: 0, out: expect.stringContaining('audit log intact: 5 records') });

    ({ log, db } = await open());
    await tamper(db, "update audit_records set subject = 'nobody' where seq = 3");
    await db.close();
    const broken = verify();
    expect({ status: broken.status, err: broken.stderr }).toEqual({ status: 1, err: expect.stringContaining('BROKEN at record 3') });
  }, 120_000);

  it('names a truncation: the newest records deleted and audit_head moved back', async () => {
    const { open, verify } = world();
    const { log, db, checkpoint } = await open();
    await append(log, 1, 10);
    await checkpoint();
    await tamper(db, 'delete from audit_records where seq > 6', 'update audit_head set seq = 6, hash = (select hash from audit_records where seq = 6)');
    await db.close();
    const result = verify();
    expect({ status: result.status, err: result.stderr }).toEqual({ status: 1, err: expect.stringContaining('audit log TRUNCATED: the log ends at record 6') });
  }, 120_000);

  it('names a reset: the log emptied and its head set back to the start', async () => {
    const { open, verify } = world();
    const { log, db, checkpoint } = await open();
    await append(log, 1, 4);
    await checkpoint();
    await tamper(db, 'delete from audit_records', `update audit_head set seq = 0, hash = '${'0'.repeat(64)}'`);
    await db.close();
    const result = verify();
    expect({ status: result.status, err: result.stderr }).toEqual({ status: 1, err: expect.stringContaining('audit log RESET: the log is empty') });
  }, 120_000);

  it('names a rollback: an older copy of the database restored', async () => {
    const { dataDir, open, verify } = world();
    let { log, db, checkpoint } = await open();
    await append(log, 1, 6);
    await checkpoint();
    await db.close();
    const backup = path.join(dataDir, 'audit-backup');
    cpSync(path.join(dataDir, 'audit'), backup, { recursive: true });
    ({ log, db, checkpoint } = await open());
    await append(log, 7, 12);
    await checkpoint();
    await db.close();
    // The administrator puts the older copy back: its chain is whole, its head matches it.
    rmSync(path.join(dataDir, 'audit'), { recursive: true, force: true });
    cpSync(backup, path.join(dataDir, 'audit'), { recursive: true });
    const result = verify();
    expect({ status: result.status, err: result.stderr }).toEqual({ status: 1, err: expect.stringContaining('audit log ROLLED BACK: the log ends at record 6') });
  }, 120_000);
});
