import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { developmentSigningKey, sign, signingPayload, SIGNATURE_WINDOW_SECONDS, verify } from './request-signing';

const KEY = 'k'.repeat(40);
const BODY = '{"query":"{ person(id: \\"x\\") { id } }"}';
const NOW = new Date('2026-11-21T10:00:00Z');

describe('request signing between the gateway and the subgraphs', () => {
  it('accepts the body the gateway signed', () => {
    expect(verify(KEY, sign(KEY, BODY, NOW), BODY, NOW)).toEqual({ valid: true });
  });

  it('signs the claims and the body in parts, the same bytes as their concatenation', () => {
    const claims = 'eyJhZ2VuY3kiOiJib3JkZXIifQ';
    const signed = sign(KEY, signingPayload(claims, BODY), NOW);
    // The wire format is the one of the joined text: a receiver may check either way.
    expect(signed).toBe(sign(KEY, `${claims}\n${BODY}`, NOW));
    expect(verify(KEY, signed, signingPayload(claims, BODY), NOW)).toEqual({ valid: true });
    // Neither part can be changed, nor the claims dropped.
    expect(verify(KEY, signed, signingPayload(`${claims}x`, BODY), NOW).valid).toBe(false);
    expect(verify(KEY, signed, signingPayload(claims, `${BODY} `), NOW).valid).toBe(false);
    expect(verify(KEY, signed, signingPayload(undefined, BODY), NOW).valid).toBe(false);
  });

  it.each([
    ['no signature', () => verify(KEY, undefined, BODY, NOW), /unsigned/],
    ['a changed body', () => verify(KEY, sign(KEY, BODY, NOW), BODY.replace('x', 'y'), NOW), /bad signature/],
    ['another key', () => verify(KEY, sign('z'.repeat(40), BODY, NOW), BODY, NOW), /bad signature/],
    ['a malformed header', () => verify(KEY, 'v1=abc', BODY, NOW), /malformed/],
    ['a stale signature', () => verify(KEY, sign(KEY, BODY, new Date(NOW.getTime() - (SIGNATURE_WINDOW_SECONDS + 1) * 1000)), BODY, NOW), /stale/],
    ['a signature from the future', () => verify(KEY, sign(KEY, BODY, new Date(NOW.getTime() + (SIGNATURE_WINDOW_SECONDS + 1) * 1000)), BODY, NOW), /stale/],
  ])('refuses %s', (_name, check, reason) => {
    const result = check();
    expect(result.valid).toBe(false);
    expect(result.valid === false && result.reason).toMatch(reason);
  });

  it('makes the development key once and shares it', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'dmx-key-'));
    try {
      const first = developmentSigningKey(dir);
      expect(first).toMatch(/^[0-9a-f]{64}$/);
      expect(developmentSigningKey(dir)).toBe(first);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
