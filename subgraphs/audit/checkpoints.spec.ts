import { generateKeyPairSync } from 'node:crypto';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Database } from '../../platform/db/database';
import { AuditLog, openAuditLog, type AuditEntry } from './audit-log';
import {
  checkAgainstCheckpoints,
  Checkpointer,
  checkpointKeys,
  checkpointKeysFromSeed,
  readCheckpointFile,
  signCheckpoint,
  type CheckpointSettings,
} from './checkpoints';

const KEY = 'k'.repeat(40);
const clock = () => new Date('2026-11-02T05:00:00.000Z');

const entry = (index: number): AuditEntry => ({
  agency: 'police', subject: `officer-${index}`, purpose: 'PUBLIC_ORDER', operation: 'Q', fields: ['Query.person'],
  personIds: [], requestId: `req-${index}`, entryId: `entry-${index}`, outcome: 'SERVED',
});

describe('signed checkpoints of the audit chain (issue 18, item 4)', () => {
  let dir: string;
  let settings: CheckpointSettings;
  const opened: Database[] = [];

  async function open(): Promise<{ log: AuditLog; db: Database; checkpointer: Checkpointer }> {
    const { db } = await openAuditLog({ key: KEY });
    opened.push(db);
    // A fixed clock: the same records appended to two databases make the same chain.
    const log = new AuditLog(db, KEY, clock);
    return { log, db, checkpointer: new Checkpointer(db, log, settings, { clock }) };
  }
  const appendAll = async (log: AuditLog, from: number, to: number) => {
    for (let index = from; index <= to; index += 1) await log.append(entry(index));
  };
  const check = async (db: Database, log: AuditLog) => {
    const chain = await log.verify();
    if (!chain.intact) throw new Error(`chain broken: ${chain.problem}`);
    return checkAgainstCheckpoints(db, log, chain.records, await readCheckpointFile(settings.file, settings.keys.publicKey));
  };
  const tamper = async (db: Database, ...statements: string[]) => {
    await db.exec('test.trigger-off', 'alter table audit_records disable trigger audit_records_append_only');
    for (const sql of statements) await db.query('test.tamper', sql);
  };

  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'dmx-checkpoints-'));
    settings = { file: path.join(dir, 'checkpoints.jsonl'), keys: checkpointKeysFromSeed('ab'.repeat(32)), everyRecords: 5, intervalMs: 60_000 };
  });
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((db) => db.close()));
    rmSync(dir, { recursive: true, force: true });
  });

  it('signs size, head and time; a changed field or another key fails the signature', () => {
    const keys = checkpointKeysFromSeed('cd'.repeat(32));
    const checkpoint = signCheckpoint(keys, { seq: 12, hash: 'f'.repeat(64) }, clock());
    writeFileSync(settings.file, `${JSON.stringify(checkpoint)}\n${JSON.stringify({ ...checkpoint, size: 13 })}\n`);
    return Promise.all([
      expect(readCheckpointFile(settings.file, keys.publicKey)).resolves.toEqual({ checkpoints: [checkpoint], rejected: [{ line: 2, reason: 'bad signature' }] }),
      expect(readCheckpointFile(settings.file, settings.keys.publicKey)).resolves.toMatchObject({ checkpoints: [], rejected: [{ line: 1 }, { line: 2 }] }),
    ]);
  });

  it('takes a key as PEM or as the base64 of its DER, and refuses one that is not Ed25519', () => {
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const pem = privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    const der = privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64');
    const publicDer = publicKey.export({ format: 'der', type: 'spki' }).toString('base64');
    expect(checkpointKeys({ privateKey: pem }).publicKey.equals(publicKey)).toBe(true);
    expect(checkpointKeys({ privateKey: der, publicKey: publicDer }).privateKey).not.toBeNull();
    expect(checkpointKeys({ publicKey: publicDer }).privateKey).toBeNull();
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    expect(() => checkpointKeys({ privateKey: rsa })).toThrow(/Ed25519/);
    expect(() => checkpointKeys({ privateKey: der, publicKey: generateKeyPairSync('ed25519').publicKey.export({ format: 'der', type: 'spki' }).toString('base64') })).toThrow(/half/);
  });

  it('checkpoints at start, every N records and at stop, each noted in the database and the file', async () => {
    const { log, db, checkpointer } = await open();
    await checkpointer.start();
    await appendAll(log, 1, 12);
    await checkpointer.checkpoint(); // waits for the ones under way
    await checkpointer.stop();
    // At start (0), once 5 records were added since (each signs the head as it is when it runs), at the end (12).
    const sizes = (await readCheckpointFile(settings.file, settings.keys.publicKey)).checkpoints.map((checkpoint) => checkpoint.size);
    expect(sizes[0]).toBe(0);
    expect(sizes.at(-1)).toBe(12);
    expect(sizes.length).toBeGreaterThanOrEqual(3);
    expect(sizes.every((size, index) => index === 0 || (size > sizes[index - 1] && size - sizes[index - 1] <= 5 + 2))).toBe(true);
    const noted = await db.query<{ size: number }>('test.noted', 'select size::int as size from audit_checkpoints order by size');
    expect(noted.map((row) => row.size)).toEqual(sizes);
    expect(await check(db, log)).toMatchObject({ status: 'intact', checkpoint: { size: 12 } });
  });

  it('names truncation: records cut from the end and the head moved back', async () => {
    const { log, db, checkpointer } = await open();
    await appendAll(log, 1, 20);
    await checkpointer.checkpoint();
    await tamper(db, 'delete from audit_records where seq > 14', "update audit_head set seq = 14, hash = (select hash from audit_records where seq = 14)");
    expect(await check(db, log)).toMatchObject({ status: 'truncated', problem: expect.stringContaining('records 15 to 20 were removed') });
  });

  it('names a reset: the log emptied and its head set back to the start', async () => {
    const { log, db, checkpointer } = await open();
    await appendAll(log, 1, 8);
    await checkpointer.checkpoint();
    await tamper(db, 'delete from audit_records', `update audit_head set seq = 0, hash = '${'0'.repeat(64)}'`);
    expect(await check(db, log)).toMatchObject({ status: 'reset', problem: expect.stringContaining('the log is empty') });
  });

  it('names a rollback: an older copy of the database put back, and one written on since', async () => {
    // The same records at the same time make the same chain: `older` is this log as it was at record 10.
    const current = await open();
    const older = await open();
    await appendAll(current.log, 1, 10);
    await appendAll(older.log, 1, 10);
    await current.checkpointer.checkpoint();
    await older.checkpointer.checkpoint(); // the older copy saw the checkpoint of 10, not the later one
    await appendAll(current.log, 11, 20);
    await current.checkpointer.checkpoint();
    expect(await check(current.db, current.log)).toMatchObject({ status: 'intact', checkpoint: { size: 20 } });
    expect(await check(older.db, older.log)).toMatchObject({ status: 'rolled-back', problem: expect.stringContaining('older copy') });
    await appendAll(older.log, 100, 115);
    expect(await check(older.db, older.log)).toMatchObject({ status: 'rolled-back', problem: expect.stringContaining('record 20 is not the one') });
  });

  it('finds a checkpoint file edited, removed, or one the log was written without', async () => {
    const { log, db, checkpointer } = await open();
    await appendAll(log, 1, 3);
    await checkpointer.checkpoint();
    appendFileSync(settings.file, `${JSON.stringify({ size: 1, head: 'a'.repeat(64), at: clock().toISOString(), keyId: 'x', signature: 'y' })}\n`);
    expect(await check(db, log)).toMatchObject({ status: 'checkpoints-tampered' });
    rmSync(settings.file);
    expect(await check(db, log)).toMatchObject({ status: 'no-checkpoint', problem: expect.stringContaining('noted 1 checkpoint') });
    const fresh = await open();
    await appendAll(fresh.log, 1, 2);
    expect(await check(fresh.db, fresh.log)).toMatchObject({ status: 'no-checkpoint', problem: expect.stringContaining('holds 2 records') });
  });

  it('ignores a last line cut short by a crash', async () => {
    const { log, db, checkpointer } = await open();
    await appendAll(log, 1, 3);
    await checkpointer.checkpoint();
    appendFileSync(settings.file, '{"size":3,"he');
    expect(await check(db, log)).toMatchObject({ status: 'intact', checkpoint: { size: 3 } });
    expect(readFileSync(settings.file, 'utf8').split('\n')).toHaveLength(2);
  });
});
