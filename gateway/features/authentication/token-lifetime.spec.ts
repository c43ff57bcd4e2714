import { SignJWT } from 'jose';
import { AUDIENCE, DEVELOPMENT_ISSUER, developmentIssuer, mintToken, newDevelopmentKey, tokenVerifier } from './tokens';
import { DEFAULT_TOKEN_LIFETIME, describeSeconds, lifetimeProblem, parseDurationSeconds } from './token-lifetime';

const NOW = Date.UTC(2026, 10, 2, 9, 0, 0);
const at = (offsetSeconds: number) => Math.floor(NOW / 1000) + offsetSeconds;
const HOUR = 3600;

describe('token lifetime', () => {
  it('accepts a token of an hour, and one of exactly the maximum age', () => {
    expect(lifetimeProblem({ iat: at(0), exp: at(HOUR) }, NOW)).toBeNull();
    expect(lifetimeProblem({ iat: at(-11 * HOUR), exp: at(HOUR) }, NOW)).toBeNull();
    // Without an issue time, a token with little time left to run.
    expect(lifetimeProblem({ exp: at(HOUR) }, NOW)).toBeNull();
    // An issuer's clock a little ahead.
    expect(lifetimeProblem({ iat: at(30), exp: at(HOUR) }, NOW)).toBeNull();
  });

  it.each([
    ['no expiry', { iat: at(0) }, /no expiry \(exp\)/],
    ['an expiry a century ahead', { iat: at(0), exp: at(100 * 365 * 24 * HOUR) }, /last longer than AUTH_MAX_TOKEN_AGE \(12 h\)/],
    ['an expiry a century ahead and no issue time', { exp: at(100 * 365 * 24 * HOUR) }, /last longer than AUTH_MAX_TOKEN_AGE/],
    ['an issue time older than the maximum age', { iat: at(-13 * HOUR), exp: at(HOUR) }, /older than AUTH_MAX_TOKEN_AGE \(12 h\)/],
    ['an issue time a year in the future', { iat: at(365 * 24 * HOUR), exp: at(365 * 24 * HOUR + HOUR) }, /issued in the future/],
    ['an issue time two minutes in the future', { iat: at(120), exp: at(HOUR) }, /issued in the future/],
    ['an issue time that is not a number', { iat: 'yesterday', exp: at(HOUR) }, /issue time/],
  ])('refuses %s', (_name, claims, reason) => {
    expect(lifetimeProblem(claims, NOW)).toMatch(reason);
  });

  it('follows the configured maximum age', () => {
    const short = { ...DEFAULT_TOKEN_LIFETIME, maxAgeSeconds: 15 * 60 };
    expect(lifetimeProblem({ iat: at(0), exp: at(HOUR) }, NOW, short)).toMatch(/AUTH_MAX_TOKEN_AGE \(15 min\)/);
    expect(lifetimeProblem({ iat: at(0), exp: at(600) }, NOW, short)).toBeNull();
  });

  it('reads AUTH_MAX_TOKEN_AGE as seconds or with a unit', () => {
    expect(parseDurationSeconds('43200')).toBe(43200);
    expect(parseDurationSeconds('12h')).toBe(43200);
    expect(parseDurationSeconds('30m')).toBe(1800);
    expect(parseDurationSeconds('900s')).toBe(900);
    expect(parseDurationSeconds('12 hours')).toBeNull();
    expect(parseDurationSeconds('-5')).toBeNull();
    expect(describeSeconds(45)).toBe('45 s');
  });

  it('the verifier refuses such tokens, and the tokens of npm run token and of the registries fit', async () => {
    const key = await newDevelopmentKey();
    const verifier = tokenVerifier([developmentIssuer(key)]);
    const sign = (build: (jwt: SignJWT) => SignJWT) =>
      build(new SignJWT({ agency: 'police', scope: 'persons:read' }).setProtectedHeader({ alg: 'ES256', kid: key.kid }).setIssuer(DEVELOPMENT_ISSUER).setAudience(AUDIENCE).setSubject('p-1')).sign(key.privateKey);
    await expect(verifier.verify(await sign((jwt) => jwt.setIssuedAt()))).rejects.toThrow(/no expiry/);
    await expect(verifier.verify(await sign((jwt) => jwt.setIssuedAt().setExpirationTime('36500d')))).rejects.toThrow(/longer than AUTH_MAX_TOKEN_AGE/);
    await expect(verifier.verify(await sign((jwt) => jwt.setIssuedAt(Math.floor(Date.now() / 1000) + 365 * 86400).setExpirationTime('366d')))).rejects.toThrow(/in the future/);
    // What `npm run token` makes at its longest (the maximum age), and the IDE's hour.
    expect(await verifier.verify(await mintToken(key, { agency: 'police', subject: 'p-1', ttlSeconds: DEFAULT_TOKEN_LIFETIME.maxAgeSeconds }))).toMatchObject({ agency: 'police' });
    expect(await verifier.verify(await mintToken(key, { agency: 'police', subject: 'p-1' }))).toMatchObject({ agency: 'police' });
    // A registry's token: 300 s from now, well inside.
    expect(lifetimeProblem({ iat: at(0), exp: at(300) }, NOW)).toBeNull();
  });
});
