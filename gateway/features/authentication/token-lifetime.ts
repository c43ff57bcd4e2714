/**
 * How long a token may be used: every token names its expiry, none is older than the configured
 * maximum age (AUTH_MAX_TOKEN_AGE) or made to last longer than it, and none is issued in the future
 * beyond a small clock skew. The signature says who made a token; this says it is still fresh, so
 * that a token that leaked is of use for hours at most, not for a century.
 */
export interface TokenLifetime {
  /** Longest a token may be used after it was issued, and longest it may be made to last, in seconds. */
  maxAgeSeconds: number;
  /** How far the issuer's clock may run ahead of the gateway's, in seconds. */
  skewSeconds: number;
}

/** Twelve hours: a working day's shift with its margins (AUTH_MAX_TOKEN_AGE's default). */
export const DEFAULT_MAX_TOKEN_AGE_SECONDS = 12 * 3600;
export const DEFAULT_TOKEN_LIFETIME: TokenLifetime = { maxAgeSeconds: DEFAULT_MAX_TOKEN_AGE_SECONDS, skewSeconds: 60 };

/** The variable that sets the maximum age, named in refusals so that an operator knows what to change. */
export const MAX_TOKEN_AGE_VARIABLE = 'AUTH_MAX_TOKEN_AGE';

/**
 * Why a verified token's times refuse it (a reason for a 401), or null when they are fine. `now` is
 * in milliseconds, the claims in seconds as JWT has them. Expiry itself (exp in the past) is checked
 * with the signature.
 */
export function lifetimeProblem(claims: { iat?: unknown; exp?: unknown }, now: number, lifetime: TokenLifetime = DEFAULT_TOKEN_LIFETIME): string | null {
  const { maxAgeSeconds, skewSeconds } = lifetime;
  const seconds = now / 1000;
  const limit = `${MAX_TOKEN_AGE_VARIABLE} (${describeSeconds(maxAgeSeconds)})`;
  if (typeof claims.exp !== 'number') return 'the token names no expiry (exp); every token must';
  if (claims.iat !== undefined && typeof claims.iat !== 'number') return 'the token names its issue time (iat) as something else than a number';
  if (typeof claims.iat === 'number') {
    if (claims.iat > seconds + skewSeconds) return 'the token is issued in the future (iat); check the issuer\'s clock';
    if (seconds - claims.iat > maxAgeSeconds) return `the token is older than ${limit} allows; ask the issuer for a new one`;
    if (claims.exp - claims.iat > maxAgeSeconds) return `the token is made to last longer than ${limit} allows`;
  } else if (claims.exp - seconds > maxAgeSeconds + skewSeconds) {
    // Without an issue time, the time left to run stands for the lifetime.
    return `the token is made to last longer than ${limit} allows`;
  }
  return null;
}

/** 43200 → "12 h", 900 → "15 min", 45 → "45 s". */
export function describeSeconds(seconds: number): string {
  if (seconds % 3600 === 0) return `${seconds / 3600} h`;
  if (seconds % 60 === 0) return `${seconds / 60} min`;
  return `${seconds} s`;
}

/**
 * Reads a duration as AUTH_MAX_TOKEN_AGE is written: seconds (`43200`), or a number with a unit,
 * `s`, `m` or `h` (`900s`, `30m`, `12h`). Null when it is not one.
 */
export function parseDurationSeconds(text: string): number | null {
  const match = /^\s*(\d{1,7})\s*(s|m|h)?\s*$/i.exec(text);
  if (!match) return null;
  const unit = (match[2] ?? 's').toLowerCase();
  return Number(match[1]) * (unit === 'h' ? 3600 : unit === 'm' ? 60 : 1);
}
