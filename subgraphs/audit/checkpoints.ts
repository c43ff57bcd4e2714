import { createHash, createPrivateKey, createPublicKey, sign, verify, type KeyObject, type PrivateKeyInput, type PublicKeyInput } from 'node:crypto';
import { existsSync } from 'node:fs';
import { appendFile, mkdir, open, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Database } from '../../platform/db/database';
import type { AuditLog, ChainHead } from './audit-log';

/**
 * Signed checkpoints of the audit chain (issue 18, item 4), in the spirit of RFC 6962's signed tree
 * heads: now and then the audit service signs the chain's size and head hash with the time, and
 * appends the checkpoint to a file outside the audit database (and notes it in the database too).
 * The hash chain finds a record edited, inserted or removed in the middle; it cannot find records
 * removed from the end with the head moved back, an emptied log, or an older copy of the database
 * put back. A checkpoint can: the log must still hold record `size` with hash `head`.
 *
 * The signature is Ed25519 under a key of its own (AUDIT_CHECKPOINT_KEY), held by the audit service
 * alone: not the registries' or the gateway's keys, not the chain's HMAC key, and not in the
 * database. A verifier needs only its public half (AUDIT_CHECKPOINT_PUBLIC_KEY).
 */
export interface Checkpoint {
  /** Records in the chain when it was signed. */
  size: number;
  /** The hash of record `size` (the chain's head then); 64 zeros for an empty chain. */
  head: string;
  /** When it was signed, ISO 8601 UTC. */
  at: string;
  /** Which key signed it: the first 16 hex digits of the SHA-256 of its public key (DER). */
  keyId: string;
  /** Ed25519 over signedText, base64url. */
  signature: string;
}

export interface CheckpointKeys {
  privateKey: KeyObject | null;
  publicKey: KeyObject;
}

/** Ed25519 keys from a private key (PEM, or the base64 of its PKCS#8 DER) and/or a public one (PEM, or the base64 of its SPKI DER). */
export function checkpointKeys(options: { privateKey?: string; publicKey?: string }): CheckpointKeys {
  const privateKey = options.privateKey ? ed25519(createPrivateKey(keyInput(options.privateKey, 'pkcs8') as PrivateKeyInput)) : null;
  const publicKey = options.publicKey ? ed25519(createPublicKey(keyInput(options.publicKey, 'spki') as PublicKeyInput)) : privateKey ? createPublicKey(privateKey) : null;
  if (!publicKey) throw new Error('a checkpoint key is needed: a private key to sign, or a public key to verify');
  if (privateKey && keyIdOf(createPublicKey(privateKey)) !== keyIdOf(publicKey)) throw new Error('the public key given is not the private key\'s half');
  return { privateKey, publicKey };
}

/**
 * A development checkpoint key from a 32-byte random seed (hex), as `developmentSecret` makes them:
 * the seed is the Ed25519 private key itself (RFC 8032), wrapped in its fixed PKCS#8 prefix.
 */
export function checkpointKeysFromSeed(seedHex: string): CheckpointKeys {
  const seed = Buffer.from(seedHex, 'hex');
  if (seed.length !== 32) throw new Error('a checkpoint key seed is 32 bytes (64 hex digits)');
  const der = Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), seed]);
  const privateKey = createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
  return { privateKey, publicKey: createPublicKey(privateKey) };
}

function keyInput(text: string, type: 'pkcs8' | 'spki') {
  const trimmed = text.trim();
  if (trimmed.includes('-----BEGIN')) return { key: trimmed, format: 'pem' as const };
  return { key: Buffer.from(trimmed, 'base64'), format: 'der' as const, type };
}

function ed25519(key: KeyObject): KeyObject {
  if (key.asymmetricKeyType !== 'ed25519') throw new Error(`not an Ed25519 key (${key.asymmetricKeyType})`);
  return key;
}

export function keyIdOf(publicKey: KeyObject): string {
  return createHash('sha256').update(publicKey.export({ format: 'der', type: 'spki' })).digest('hex').slice(0, 16);
}

/** The bytes signed: fixed in shape, labelled, so that a checkpoint's signature is good for nothing else. */
function signedText(checkpoint: Pick<Checkpoint, 'size' | 'head' | 'at'>): Buffer {
  return Buffer.from(`dmx-audit-checkpoint v1\n${checkpoint.size}\n${checkpoint.head}\n${checkpoint.at}\n`, 'utf8');
}

export function signCheckpoint(keys: CheckpointKeys, head: ChainHead, at: Date): Checkpoint {
  if (!keys.privateKey) throw new Error('checkpoints are signed with the private key, which this process was not given');
  const unsigned = { size: head.seq, head: head.hash, at: at.toISOString() };
  return { ...unsigned, keyId: keyIdOf(keys.publicKey), signature: sign(null, signedText(unsigned), keys.privateKey).toString('base64url') };
}

export function checkpointSignatureValid(publicKey: KeyObject, checkpoint: Checkpoint): boolean {
  try {
    return verify(null, signedText(checkpoint), publicKey, Buffer.from(checkpoint.signature, 'base64url'));
  } catch {
    return false;
  }
}

/** What a checkpoint file holds: its checkpoints with good signatures, and the lines that are not one. */
export interface CheckpointFileContents {
  checkpoints: Checkpoint[];
  /** Lines (1-based) that are not a checkpoint signed by this key: the file was edited, or another key signed them. */
  rejected: { line: number; reason: string }[];
}

/** The checkpoint file: one JSON checkpoint per line, only ever appended to. */
export async function readCheckpointFile(file: string, publicKey: KeyObject): Promise<CheckpointFileContents> {
  if (!existsSync(file)) return { checkpoints: [], rejected: [] };
  const lines = (await readFile(file, 'utf8')).split('\n');
  const checkpoints: Checkpoint[] = [];
  const rejected: CheckpointFileContents['rejected'] = [];
  const keyId = keyIdOf(publicKey);
  lines.forEach((text, index) => {
    if (text.trim() === '') return;
    let checkpoint: Checkpoint;
    try {
      checkpoint = JSON.parse(text) as Checkpoint;
    } catch {
      // The last line may be cut short by a crash while it was written: that is no forgery.
      if (index >= lines.length - 2) return;
      rejected.push({ line: index + 1, reason: 'not JSON' });
      return;
    }
    if (!Number.isSafeInteger(checkpoint.size) || checkpoint.size < 0 || typeof checkpoint.head !== 'string' || typeof checkpoint.at !== 'string') {
      rejected.push({ line: index + 1, reason: 'not a checkpoint' });
    } else if (checkpoint.keyId !== keyId) {
      rejected.push({ line: index + 1, reason: `signed by another key (${String(checkpoint.keyId)})` });
    } else if (!checkpointSignatureValid(publicKey, checkpoint)) {
      rejected.push({ line: index + 1, reason: 'bad signature' });
    } else {
      checkpoints.push(checkpoint);
    }
  });
  return { checkpoints, rejected };
}

async function appendCheckpointLine(file: string, checkpoint: Checkpoint): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  await appendFile(file, `${JSON.stringify(checkpoint)}\n`, { mode: 0o640 });
  // Durable before it counts: a checkpoint lost in a crash would weaken the next verification.
  const handle = await open(file, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** The checkpoint the log is checked against: the largest signed (the log never shrinks), the newest of those. */
export function latestCheckpoint(checkpoints: readonly Checkpoint[]): Checkpoint | null {
  let latest: Checkpoint | null = null;
  for (const checkpoint of checkpoints) {
    if (!latest || checkpoint.size > latest.size || (checkpoint.size === latest.size && checkpoint.at > latest.at)) latest = checkpoint;
  }
  return latest;
}

export interface CheckpointSettings {
  /** The file the checkpoints are appended to (outside the audit database). */
  file: string;
  keys: CheckpointKeys;
  /** A checkpoint after this many records since the last one. */
  everyRecords: number;
  /** And one this often when the chain grew since the last one. */
  intervalMs: number;
}

/**
 * Writes the checkpoints of one audit process: at start, after every `everyRecords` records, every
 * `intervalMs` when the chain grew, and at close. A checkpoint is noted in the database first and
 * then appended to the file: lost between the two, the file merely lacks it. It signs the head the
 * database holds, which several writers move, so each process's checkpoints are of the one chain.
 */
export class Checkpointer {
  private last: ChainHead | null = null;
  private writing: Promise<Checkpoint | null> = Promise.resolve(null);
  private timer: NodeJS.Timeout | null = null;
  /** A checkpoint for the record count is asked for and not yet written. */
  private due = false;

  constructor(
    private readonly db: Database,
    private readonly log: AuditLog,
    private readonly settings: CheckpointSettings,
    private readonly options: { clock?: () => Date; onError?: (error: Error) => void } = {},
  ) {}

  /** Signs and writes a checkpoint of the chain as it is now (none when nothing changed since the last); resolves with it. */
  checkpoint(): Promise<Checkpoint | null> {
    const next = this.writing.then(() => this.write());
    this.writing = next.catch((error: Error) => {
      this.options.onError?.(error);
      return null;
    });
    return next;
  }

  private async write(): Promise<Checkpoint | null> {
    const head = await this.log.readHead();
    if (this.last && this.last.seq === head.seq && this.last.hash === head.hash) return null;
    const checkpoint = signCheckpoint(this.settings.keys, head, (this.options.clock ?? (() => new Date()))());
    await this.db.query(
      'audit.checkpoint',
      'insert into audit_checkpoints (size, head, at, signature) values ($1, $2, $3, $4) on conflict do nothing',
      [checkpoint.size, checkpoint.head, checkpoint.at, checkpoint.signature],
    );
    await appendCheckpointLine(this.settings.file, checkpoint);
    this.last = head;
    return checkpoint;
  }

  /** Told by the log of each append it commits. */
  appended(head: ChainHead): void {
    if (this.due || head.seq - (this.last?.seq ?? 0) < this.settings.everyRecords) return;
    // One checkpoint asked for at a time: it signs the head as it is when it runs.
    this.due = true;
    void this.checkpoint()
      .catch(() => undefined)
      .finally(() => (this.due = false));
  }

  start(): Promise<Checkpoint | null> {
    this.log.onAppended = (head) => this.appended(head);
    this.timer = setInterval(() => void this.checkpoint().catch(() => undefined), this.settings.intervalMs);
    this.timer.unref();
    return this.checkpoint();
  }

  /** At close: the last checkpoint, then no more. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.log.onAppended = null;
    await this.checkpoint().catch(() => undefined);
  }
}

/** The result of checking the log against its latest checkpoint. */
export type CheckpointCheck =
  | { status: 'intact'; checkpoint: Checkpoint | null }
  | { status: 'truncated' | 'reset' | 'rolled-back' | 'checkpoints-tampered' | 'no-checkpoint'; checkpoint: Checkpoint | null; problem: string };

/**
 * Checks a log whose chain verified intact (with `records` records) against the signed checkpoints:
 * - truncated: it ends before the latest checkpoint, and this database noted that checkpoint (so
 *   records were removed from its end and its head moved back);
 * - reset: it is empty, though a checkpoint signed records;
 * - rolled back: it ends before the latest checkpoint and this database never noted it (an older copy
 *   of the database), or it has a different record where the checkpoint's head was (an older copy,
 *   written on since);
 * - checkpoints tampered: lines of the file are not checkpoints signed by this key;
 * - no checkpoint: the log holds records but there is no checkpoint to check them against.
 */
export async function checkAgainstCheckpoints(
  db: Database,
  log: AuditLog,
  records: number,
  contents: CheckpointFileContents,
): Promise<CheckpointCheck> {
  const latest = latestCheckpoint(contents.checkpoints);
  if (contents.rejected.length > 0) {
    const lines = contents.rejected.slice(0, 5).map(({ line, reason }) => `line ${line}: ${reason}`).join('; ');
    return { status: 'checkpoints-tampered', checkpoint: latest, problem: `the checkpoint file holds ${contents.rejected.length} line(s) that are not checkpoints signed by this key (${lines})` };
  }
  if (!latest) {
    const [noted] = await db.query<{ count: number }>('audit.checkpoints-noted', 'select count(*)::int as count from audit_checkpoints');
    if (noted.count > 0) return { status: 'no-checkpoint', checkpoint: null, problem: `the checkpoint file is missing or empty, but this database noted ${noted.count} checkpoint(s)` };
    if (records > 0) return { status: 'no-checkpoint', checkpoint: null, problem: `the log holds ${records} records, but there is no checkpoint to check them against (its file was removed, or the log was written without checkpoints)` };
    return { status: 'intact', checkpoint: null };
  }
  const signed = `the checkpoint signed ${latest.at} for ${latest.size} records`;
  if (records < latest.size) {
    if (records === 0) return { status: 'reset', checkpoint: latest, problem: `the log is empty, but ${signed}` };
    const [noted] = await db.query<{ count: number }>(
      'audit.checkpoint-noted',
      'select count(*)::int as count from audit_checkpoints where size = $1 and head = $2',
      [latest.size, latest.head],
    );
    return noted.count > 0
      ? { status: 'truncated', checkpoint: latest, problem: `the log ends at record ${records}, but ${signed}: records ${records + 1} to ${latest.size} were removed and the head moved back` }
      : { status: 'rolled-back', checkpoint: latest, problem: `the log ends at record ${records}, and this database never saw ${signed}: it is an older copy put back` };
  }
  const hash = latest.size === 0 ? GENESIS : await log.hashAt(latest.size);
  if (hash !== latest.head) {
    return { status: 'rolled-back', checkpoint: latest, problem: `record ${latest.size} is not the one ${signed} (an older copy of the database was put back and written on since)` };
  }
  return { status: 'intact', checkpoint: latest };
}

const GENESIS = '0'.repeat(64);
