import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';
import { MAX_PAGE_SIZE } from '../protocol/pages';
import { badUserInput } from './errors';

/**
 * Cursors are opaque (issue 18, items 1 and 6): the position of the last row seen (keyset
 * pagination, so pages stay stable while rows are added) sealed with AES-256-GCM under a key of the
 * registry's own. A client learns nothing from a cursor (not the row's id, nor anything of it) and
 * cannot make one: a cursor changed, made up, sealed for another list or by another registry is
 * refused as BAD_USER_INPUT.
 *
 * Layout, base64url: version (1 byte) | nonce (12) | sealed position | tag (16). The list's name is
 * authenticated with it (additional data), so a cursor of one list is no cursor of another.
 *
 * The nonce is synthetic: an HMAC of the list and the position under a second key, so one position
 * always gets the same cursor. A nonce then repeats only with its own plaintext, which GCM allows,
 * and answers stay byte-for-byte stable (the gateway's read cache, the benchmark's checks). What it
 * shows, that two cursors point at the same row, is shown only to callers who read the rows anyway:
 * a caller who may only count gets no cursor.
 */
const VERSION = 1;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
/** Longest cursor accepted, in characters: a position of up to about 300 bytes. */
const MAX_CURSOR_LENGTH = 512;
/** HKDF salt: cursor keys are kept apart from any other use of the secret. */
const KEY_SALT = 'dmx-cursor-key-v1';

export interface CursorDecodeOptions {
  /** The argument the cursor came in, named in the error (default `after`). */
  field?: string;
  /** Whether a position unsealed is one this list can have (e.g. a UUID); a cursor with another is refused. */
  isPosition?: (position: string) => boolean;
}

/** Seals and opens one registry's cursors. */
export class CursorCodec {
  private readonly key: Buffer;
  private readonly nonceKey: Buffer;

  /**
   * `secret` is the registry's cursor secret (CURSOR_KEY, or a development one); the key is derived
   * from it and the registry's name, so registries given the same secret still cannot open each
   * other's cursors.
   */
  constructor(secret: string, registry: string) {
    if (secret.length < 32) throw new Error('a cursor secret needs at least 32 characters');
    const keys = Buffer.from(hkdfSync('sha256', secret, KEY_SALT, `registry:${registry}`, 64));
    this.key = keys.subarray(0, 32);
    this.nonceKey = keys.subarray(32);
  }

  /** A cursor pointing at `position` (the sort key of a row) in `list`. */
  encode(list: string, position: string): string {
    const nonce = createHmac('sha256', this.nonceKey).update(list).update('\0').update(position).digest().subarray(0, NONCE_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, nonce);
    cipher.setAAD(Buffer.from(list, 'utf8'));
    const sealed = Buffer.concat([cipher.update(position, 'utf8'), cipher.final()]);
    return Buffer.concat([Buffer.of(VERSION), nonce, sealed, cipher.getAuthTag()]).toString('base64url');
  }

  /** The position a cursor of `list` points at; BAD_USER_INPUT naming the argument for anything else. */
  decode(list: string, cursor: string, options: CursorDecodeOptions = {}): string {
    const field = options.field ?? 'after';
    const invalid = () => badUserInput(`${field} is not a cursor this registry gave for ${list}: pass a pageInfo.endCursor unchanged, with the arguments of the page that gave it`, field);
    if (cursor.length > MAX_CURSOR_LENGTH || !/^[A-Za-z0-9_-]+$/.test(cursor)) throw invalid();
    const bytes = Buffer.from(cursor, 'base64url');
    if (bytes.length <= 1 + NONCE_BYTES + TAG_BYTES || bytes[0] !== VERSION) throw invalid();
    let position: string;
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.key, bytes.subarray(1, 1 + NONCE_BYTES));
      decipher.setAAD(Buffer.from(list, 'utf8'));
      decipher.setAuthTag(bytes.subarray(bytes.length - TAG_BYTES));
      position = Buffer.concat([decipher.update(bytes.subarray(1 + NONCE_BYTES, bytes.length - TAG_BYTES)), decipher.final()]).toString('utf8');
    } catch {
      // The tag does not match: changed, made up, or sealed under another key or for another list.
      throw invalid();
    }
    // Authentic, yet not a position this list has (a key from an older layout, a bug elsewhere): still the client's cursor, never SQL's problem.
    if (options.isPosition && !options.isPosition(position)) throw invalid();
    return position;
  }
}

/** A codec under a random secret: for an app built without one (tests); its cursors last as long as the process. */
export function ephemeralCursorCodec(registry: string): CursorCodec {
  return new CursorCodec(randomBytes(32).toString('hex'), registry);
}

export { MAX_PAGE_SIZE };

export function pageSize(first: number | null | undefined, fallback: number, field = 'first', bounds: { min: number; max: number } = { min: 0, max: MAX_PAGE_SIZE }): number {
  const size = first ?? fallback;
  if (!Number.isInteger(size) || size < bounds.min || size > bounds.max) {
    throw badUserInput(`${field} must be an integer from ${bounds.min} to ${bounds.max}`, field);
  }
  return size;
}
