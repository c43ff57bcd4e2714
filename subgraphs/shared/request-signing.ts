import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * Subgraph trust: the gateway signs every request it sends to a subgraph (HMAC-SHA256 over the time
 * and the exact body), and the subgraphs refuse anything unsigned, badly signed or stale. Nobody
 * reaches a registry around the gateway's limits, masking and authorization.
 *
 * Header: `x-dmx-signature: t=<unix seconds>,v1=<hex HMAC of "<t>.<payload>">`, where the payload is
 * the forwarded claims header and the body (signingPayload), so neither can be changed in transit.
 */
export const SIGNATURE_HEADER = 'x-dmx-signature';

/** How far a signature's time may be from the receiver's clock. */
export const SIGNATURE_WINDOW_SECONDS = 60;

export const MIN_SIGNING_KEY_LENGTH = 32;

/**
 * What the signature covers: the forwarded claims (or nothing), a newline and the exact body. Kept as
 * parts that are hashed one after the other, the same bytes as their concatenation: joined, a large
 * body would be copied once more for every request signed or checked.
 */
export type SigningPayload = readonly string[];

export function signingPayload(claimsHeader: string | undefined, body: string): SigningPayload {
  return [claimsHeader ?? '', '\n', body];
}

export function sign(key: string, body: string | SigningPayload, now: Date = new Date()): string {
  const time = Math.floor(now.getTime() / 1000);
  return `t=${time},v1=${hmac(key, time, body)}`;
}

export type SignatureCheck = { valid: true } | { valid: false; reason: string };

export function verify(key: string, header: string | undefined, body: string | SigningPayload, now: Date = new Date()): SignatureCheck {
  if (!header) return { valid: false, reason: 'unsigned: requests are accepted from the gateway only' };
  const match = /^t=(\d{1,12}),v1=([0-9a-f]{64})$/.exec(header);
  if (!match) return { valid: false, reason: 'malformed signature' };
  const time = Number(match[1]);
  if (Math.abs(now.getTime() / 1000 - time) > SIGNATURE_WINDOW_SECONDS) return { valid: false, reason: 'stale signature' };
  const expected = Buffer.from(hmac(key, time, body), 'hex');
  const given = Buffer.from(match[2], 'hex');
  return timingSafeEqual(expected, given) ? { valid: true } : { valid: false, reason: 'bad signature' };
}

function hmac(key: string, time: number, payload: string | SigningPayload): string {
  const digest = createHmac('sha256', key).update(`${time}.`);
  for (const part of typeof payload === 'string' ? [payload] : payload) digest.update(part);
  return digest.digest('hex');
}

/**
 * The development key shared by the processes of `npm start`: made once under DATA_DIR and reused.
 * Production sets SUBGRAPH_SIGNING_KEY and never uses this.
 */
export function developmentSigningKey(dataDir: string): string {
  return developmentSecret(dataDir, 'subgraph-signing.key');
}

/** A random development secret kept in DATA_DIR/keys/<name>, made on first use (e.g. the audit chain's key). */
export function developmentSecret(dataDir: string, name: string): string {
  const file = path.resolve(dataDir, 'keys', name);
  if (!existsSync(file)) {
    mkdirSync(path.dirname(file), { recursive: true });
    // 'wx': if two processes race, one writes and the other reads what it wrote.
    try {
      writeFileSync(file, randomBytes(32).toString('hex'), { flag: 'wx', mode: 0o600 });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
  return readFileSync(file, 'utf8').trim();
}
