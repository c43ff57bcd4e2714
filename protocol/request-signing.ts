import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes, randomUUID, sign, verify, type KeyObject } from 'node:crypto';
import { existsSync, linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * Subgraph trust: the gateway signs every request it sends to a registry or to the audit log with an
 * Ed25519 private key that only the gateway holds; the receivers hold its public key and refuse
 * anything unsigned, badly signed, stale, meant for another receiver, or seen before. So a signature
 * is good for one request, to one place, once, and no receiver can make one.
 *
 * Header: `x-dmx-signature: t=<unix seconds>,id=<request nonce>,ed25519=<base64url signature>`. The
 * signature covers (signedText) the receiver's name, the method, the path with its query string, the
 * content type, the W3C traceparent header, the time, the nonce, and the SHA-256 of the forwarded
 * claims header and of the body.
 */
export const SIGNATURE_HEADER = 'x-dmx-signature';

/** How far a signature's time may be from the receiver's clock; a receiver remembers nonces this long. */
export const SIGNATURE_WINDOW_SECONDS = 60;

/** Secrets of the HMAC kind (the audit chain's key) are at least this long. */
export const MIN_SIGNING_KEY_LENGTH = 32;

/** What a signature is about: one HTTP request to one receiver. */
export interface SignedRequest {
  /** The receiver: a registry's name, or `audit` (registries.ts SUBGRAPH_NAMES). */
  audience: string;
  method: string;
  /** The path as requested, with its query string (`/graphql`, `/state`, `/graphql?query=…`). */
  path: string;
  /** The content-type header as sent; empty when none. */
  contentType?: string;
  /** The forwarded claims header (headers.ts CLAIMS_HEADER); empty when none. */
  claims?: string;
  /** The exact body; empty when none. */
  body?: string;
  /** The W3C `traceparent` header as sent (the trace a request belongs to); empty when none. */
  traceparent?: string;
}

/** A nonce: 16 to 64 URL-safe characters (the gateway sends a random UUID). */
const NONCE = /^[A-Za-z0-9_-]{16,64}$/;
const HEADER = /^t=(\d{1,12}),id=([A-Za-z0-9_-]{16,64}),ed25519=([A-Za-z0-9_-]{86})$/;

function sha256(text: string | undefined): string {
  return createHash('sha256')
    .update(text ?? '')
    .digest('base64url');
}

/**
 * The bytes signed: short and fixed in shape whatever the body's size (Ed25519 reads its message
 * twice, so a body of hundreds of kilobytes is hashed once here instead). No field can hold a line
 * break: the fixed ones are ours, and HTTP allows none in a method, a path or a header.
 */
function signedText(request: SignedRequest, time: number, nonce: string): Buffer {
  return Buffer.from(
    [
      'dmx-request-v3',
      request.audience,
      request.method.toUpperCase(),
      request.path,
      request.contentType ?? '',
      request.traceparent ?? '',
      String(time),
      nonce,
      sha256(request.claims),
      sha256(request.body),
    ].join('\n'),
  );
}

/** The signature header for a request: a fresh nonce unless one is given (tests replay one on purpose). */
export function signRequest(privateKey: KeyObject, request: SignedRequest, options: { now?: Date; nonce?: string } = {}): string {
  const time = Math.floor((options.now ?? new Date()).getTime() / 1000);
  const nonce = options.nonce ?? randomUUID();
  if (!NONCE.test(nonce)) throw new Error('a request nonce is 16 to 64 URL-safe characters');
  return `t=${time},id=${nonce},ed25519=${sign(null, signedText(request, time, nonce), privateKey).toString('base64url')}`;
}

export type SignatureCheck = { valid: true; time: number; nonce: string } | { valid: false; reason: string };

/** A signature header read: its time, nonce and signature, or why it cannot be a signature made now. */
type HeaderCheck = { valid: true; time: number; nonce: string; signature: string } | { valid: false; reason: string };

/**
 * What can be checked of a signature header without the request's body: present, well-formed, within
 * the window. A receiver refuses a request failing this before it reads the body.
 */
export function checkSignatureHeader(header: string | undefined, now: Date = new Date()): HeaderCheck {
  if (!header) return { valid: false, reason: 'unsigned: requests are accepted from the gateway only' };
  const match = HEADER.exec(header);
  if (!match) return { valid: false, reason: 'malformed signature' };
  const time = Number(match[1]);
  if (Math.abs(now.getTime() / 1000 - time) > SIGNATURE_WINDOW_SECONDS) return { valid: false, reason: 'stale signature' };
  return { valid: true, time, nonce: match[2], signature: match[3] };
}

/** Checks a signature header against the request received; the caller then refuses a nonce seen before (SeenNonces). */
export function verifyRequest(publicKey: KeyObject, header: string | undefined, request: SignedRequest, now: Date = new Date()): SignatureCheck {
  const read = checkSignatureHeader(header, now);
  if (!read.valid) return read;
  const { time, nonce } = read;
  const signature = Buffer.from(read.signature, 'base64url');
  if (signature.length !== 64 || !verify(null, signedText(request, time, nonce), publicKey, signature)) return { valid: false, reason: 'bad signature' };
  return { valid: true, time, nonce };
}

/**
 * The nonces of the signatures a receiver accepted, kept while their signatures are within the window:
 * a request is answered once. Kept by the second of the signature's time (a replay carries the same
 * time, so it is looked for there alone), and a second is forgotten as a whole once its signatures are
 * stale. Memory is bounded by the gateway's rate: at most SIGNATURE_WINDOW_SECONDS + 2 seconds of its
 * requests to this receiver (a little more with clocks apart), some 80 bytes each. Only signatures already checked come here, so nobody else can
 * fill it. One per process: several processes of one registry each remember their own requests only.
 */
export class SeenNonces {
  private readonly bySecond = new Map<number, Set<string>>();
  private oldestKept = Number.POSITIVE_INFINITY;

  constructor(private readonly windowSeconds = SIGNATURE_WINDOW_SECONDS) {}

  /** True the first time a nonce is given for a signature time; false for a replay. */
  firstUse(time: number, nonce: string, now: Date = new Date()): boolean {
    this.forgetStale(Math.floor(now.getTime() / 1000));
    let nonces = this.bySecond.get(time);
    if (!nonces) {
      nonces = new Set();
      this.bySecond.set(time, nonces);
      if (time < this.oldestKept) this.oldestKept = time;
    }
    if (nonces.has(nonce)) return false;
    // A copy of its own: the nonce as matched is a slice that would keep the whole header alive (about
    // 80 bytes kept a nonce instead of 225).
    nonces.add(Buffer.from(nonce, 'latin1').toString('latin1'));
    return true;
  }

  /** Nonces kept (for tests and the report of memory). */
  get size(): number {
    let count = 0;
    for (const nonces of this.bySecond.values()) count += nonces.size;
    return count;
  }

  private forgetStale(nowSeconds: number): void {
    // A signature of a second before this is stale, and refused before its nonce is looked for.
    const staleBefore = nowSeconds - this.windowSeconds - 1;
    if (this.oldestKept >= staleBefore) return;
    let oldest = Number.POSITIVE_INFINITY;
    for (const second of this.bySecond.keys()) {
      if (second < staleBefore) this.bySecond.delete(second);
      else if (second < oldest) oldest = second;
    }
    this.oldestKept = oldest;
  }
}

/**
 * Keys as configured: a PEM text, or the base64 of its DER on one line (PKCS#8 for a private key,
 * SPKI for a public one), which fits an environment variable. Only Ed25519 keys are accepted.
 */
export function parsePrivateKey(text: string): KeyObject {
  const value = text.trim();
  const key = value.startsWith('-----BEGIN')
    ? createPrivateKey({ key: value, format: 'pem' })
    : createPrivateKey({ key: Buffer.from(value, 'base64'), format: 'der', type: 'pkcs8' });
  if (key.asymmetricKeyType !== 'ed25519') throw new Error('not an Ed25519 key');
  return key;
}

export function parsePublicKey(text: string): KeyObject {
  const value = text.trim();
  // createPublicKey would derive a public key from a private PEM as well: a private key is refused
  // here, or a receiver might be configured with the gateway's own.
  if (value.startsWith('-----BEGIN') && !value.startsWith('-----BEGIN PUBLIC KEY-----')) throw new Error('not a public key');
  const key = value.startsWith('-----BEGIN')
    ? createPublicKey({ key: value, format: 'pem' })
    : createPublicKey({ key: Buffer.from(value, 'base64'), format: 'der', type: 'spki' });
  if (key.asymmetricKeyType !== 'ed25519') throw new Error('not an Ed25519 key');
  return key;
}

/** A key as one line of base64 (DER), as parsePrivateKey/parsePublicKey read it. */
export function encodeKey(key: KeyObject): string {
  return key.type === 'private'
    ? key.export({ format: 'der', type: 'pkcs8' }).toString('base64')
    : key.export({ format: 'der', type: 'spki' }).toString('base64');
}

export interface SigningKeyPair {
  privateKey: KeyObject;
  publicKey: KeyObject;
}

export function newSigningKeyPair(): SigningKeyPair {
  return generateKeyPairSync('ed25519');
}

/**
 * A development key pair of `npm start`, made once under DATA_DIR/keys/<name>.ed25519.pem and reused:
 * `gateway` (the gateway signs with it; the receivers read its public half) and `registry-<name>`
 * (a registry's tokens). Production configures keys and never uses these.
 */
export function developmentKeyPair(dataDir: string, name: string): SigningKeyPair {
  const file = path.resolve(dataDir, 'keys', `${name}.ed25519.pem`);
  if (!existsSync(file)) {
    mkdirSync(path.dirname(file), { recursive: true });
    // Written whole under a name of its own, then linked into place: the processes of `npm start`
    // start together, and none may read a half-written key; if two race, the first link wins.
    const draft = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    writeFileSync(draft, newSigningKeyPair().privateKey.export({ format: 'pem', type: 'pkcs8' }), { mode: 0o600 });
    try {
      linkSync(draft, file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    } finally {
      unlinkSync(draft);
    }
  }
  const privateKey = parsePrivateKey(readFileSync(file, 'utf8'));
  return { privateKey, publicKey: createPublicKey(privateKey) };
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
