import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  developmentKeyPair,
  encodeKey,
  newSigningKeyPair,
  parsePrivateKey,
  parsePublicKey,
  SeenNonces,
  signRequest,
  SIGNATURE_WINDOW_SECONDS,
  verifyRequest,
  type SignedRequest,
} from './request-signing';

const GATEWAY = newSigningKeyPair();
const BODY = '{"query":"{ person(id: \\"x\\") { id } }"}';
const CLAIMS = 'eyJhZ2VuY3kiOiJib3JkZXIifQ';
const NOW = new Date('2026-11-21T10:00:00Z');
const REQUEST: SignedRequest = { audience: 'persons', method: 'POST', path: '/graphql', contentType: 'application/json', claims: CLAIMS, body: BODY };
const seconds = (n: number) => new Date(NOW.getTime() + n * 1000);

describe('request signing between the gateway and the subgraphs', () => {
  const signed = signRequest(GATEWAY.privateKey, REQUEST, { now: NOW });

  it('accepts the request the gateway signed, naming its time and nonce', () => {
    expect(signed).toMatch(/^t=\d+,id=[0-9a-f-]{36},ed25519=[A-Za-z0-9_-]{86}$/);
    expect(verifyRequest(GATEWAY.publicKey, signed, REQUEST, NOW)).toEqual({ valid: true, time: NOW.getTime() / 1000, nonce: expect.any(String) });
    // Each signature has a nonce of its own.
    expect(signRequest(GATEWAY.privateKey, REQUEST, { now: NOW })).not.toBe(signed);
  });

  it.each<[string, Partial<SignedRequest>]>([
    ['another receiver', { audience: 'payments' }],
    ['another method', { method: 'GET' }],
    ['another path', { path: '/state' }],
    ['a query string added', { path: '/graphql?query=%7B__typename%7D' }],
    ['another content type', { contentType: 'application/graphql' }],
    ['no content type', { contentType: undefined }],
    ['other claims', { claims: `${CLAIMS}x` }],
    ['the claims dropped', { claims: undefined }],
    ['another body', { body: `${BODY} ` }],
    ['a trace context added', { traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01' }],
  ])('refuses the signature for %s', (_name, change) => {
    expect(verifyRequest(GATEWAY.publicKey, signed, { ...REQUEST, ...change }, NOW)).toEqual({ valid: false, reason: 'bad signature' });
  });

  it('binds the trace context: a traceparent changed in transit is refused', () => {
    const traced = { ...REQUEST, traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01' };
    const signature = signRequest(GATEWAY.privateKey, traced, { now: NOW });
    expect(verifyRequest(GATEWAY.publicKey, signature, traced, NOW)).toMatchObject({ valid: true });
    expect(verifyRequest(GATEWAY.publicKey, signature, { ...traced, traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-1111111111111111-01' }, NOW)).toEqual({ valid: false, reason: 'bad signature' });
  });

  it("gives the state probe's signature to the probe alone", () => {
    const probe: SignedRequest = { audience: 'persons', method: 'GET', path: '/state' };
    const header = signRequest(GATEWAY.privateKey, probe, { now: NOW });
    expect(verifyRequest(GATEWAY.publicKey, header, probe, NOW).valid).toBe(true);
    for (const other of [
      { ...probe, path: '/graphql?query=%7B__typename%7D' },
      { ...probe, method: 'POST', path: '/graphql', contentType: 'application/graphql', body: '{ __typename }' },
      { ...probe, audience: 'payments' },
    ]) {
      expect(verifyRequest(GATEWAY.publicKey, header, other, NOW).valid).toBe(false);
    }
  });

  it.each([
    ['no signature', () => verifyRequest(GATEWAY.publicKey, undefined, REQUEST, NOW), /unsigned/],
    ['another key', () => verifyRequest(GATEWAY.publicKey, signRequest(newSigningKeyPair().privateKey, REQUEST, { now: NOW }), REQUEST, NOW), /bad signature/],
    ['a malformed header', () => verifyRequest(GATEWAY.publicKey, 'v1=abc', REQUEST, NOW), /malformed/],
    ['no nonce', () => verifyRequest(GATEWAY.publicKey, signed.replace(/,id=[^,]+/, ''), REQUEST, NOW), /malformed/],
    ['another nonce', () => verifyRequest(GATEWAY.publicKey, signed.replace(/id=[^,]+/, 'id=0123456789abcdef0123'), REQUEST, NOW), /bad signature/],
    ['another time', () => verifyRequest(GATEWAY.publicKey, signed.replace(/^t=\d+/, `t=${NOW.getTime() / 1000 + 1}`), REQUEST, NOW), /bad signature/],
    ['a stale signature', () => verifyRequest(GATEWAY.publicKey, signRequest(GATEWAY.privateKey, REQUEST, { now: seconds(-SIGNATURE_WINDOW_SECONDS - 1) }), REQUEST, NOW), /stale/],
    ['a signature from the future', () => verifyRequest(GATEWAY.publicKey, signRequest(GATEWAY.privateKey, REQUEST, { now: seconds(SIGNATURE_WINDOW_SECONDS + 1) }), REQUEST, NOW), /stale/],
  ])('refuses %s', (_name, check, reason) => {
    const result = check();
    expect(result.valid).toBe(false);
    expect(result.valid === false && result.reason).toMatch(reason);
  });
});

describe('the nonces a receiver has seen', () => {
  it('accepts a nonce once within the window, and forgets it once its signature is stale', () => {
    const seen = new SeenNonces();
    const time = NOW.getTime() / 1000;
    expect(seen.firstUse(time, 'nonce-0000000000001', NOW)).toBe(true);
    expect(seen.firstUse(time, 'nonce-0000000000001', seconds(SIGNATURE_WINDOW_SECONDS))).toBe(false);
    // The same nonce under another time is another signature (the time is signed): its own entry.
    expect(seen.firstUse(time + 1, 'nonce-0000000000001', NOW)).toBe(true);
    expect(seen.size).toBe(2);
    // Past the window both signatures are stale (refused before this), and kept no longer.
    seen.firstUse(time + SIGNATURE_WINDOW_SECONDS * 3, 'nonce-0000000000002', seconds(SIGNATURE_WINDOW_SECONDS * 3));
    expect(seen.size).toBe(1);
  });

  it('holds no more than the window of signatures, whatever the rate', () => {
    const seen = new SeenNonces();
    const start = NOW.getTime() / 1000;
    for (let second = 0; second < 5 * SIGNATURE_WINDOW_SECONDS; second += 1) {
      for (let n = 0; n < 10; n += 1) seen.firstUse(start + second, `nonce-${second}-${n}-padding`, seconds(second));
    }
    expect(seen.size).toBeLessThanOrEqual(10 * (SIGNATURE_WINDOW_SECONDS + 2));
  });
});

describe('signing keys', () => {
  it('reads keys as PEM or as the base64 of their DER, and refuses a private key where a public one is asked', () => {
    const { privateKey, publicKey } = newSigningKeyPair();
    expect(parsePrivateKey(encodeKey(privateKey)).equals(privateKey)).toBe(true);
    expect(parsePrivateKey(privateKey.export({ format: 'pem', type: 'pkcs8' }) as string).equals(privateKey)).toBe(true);
    expect(parsePublicKey(encodeKey(publicKey)).equals(publicKey)).toBe(true);
    expect(parsePublicKey(publicKey.export({ format: 'pem', type: 'spki' }) as string).equals(publicKey)).toBe(true);
    expect(() => parsePublicKey(encodeKey(privateKey))).toThrow();
    expect(() => parsePublicKey(privateKey.export({ format: 'pem', type: 'pkcs8' }) as string)).toThrow();
    expect(() => parsePrivateKey(encodeKey(publicKey))).toThrow();
    expect(() => parsePrivateKey('k'.repeat(64))).toThrow();
  });

  it('makes a development key pair once and shares it, leaving no draft behind', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'dmx-key-'));
    try {
      const first = developmentKeyPair(dir, 'gateway');
      expect(developmentKeyPair(dir, 'gateway').privateKey.equals(first.privateKey)).toBe(true);
      expect(developmentKeyPair(dir, 'registry-applications').publicKey.equals(first.publicKey)).toBe(false);
      expect(readdirSync(path.join(dir, 'keys')).sort()).toEqual(['gateway.ed25519.pem', 'registry-applications.ed25519.pem']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
