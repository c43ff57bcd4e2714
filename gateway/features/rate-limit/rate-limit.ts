import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import type { VerifiedClaims } from '../../../protocol/claims';
import { retryLater, type GatewayFeature } from '../feature';

export interface RateLimits {
  /** Requests per minute for each agency, all its users together. */
  perAgencyPerMinute: number;
  /** Requests per minute for each client address calling without a token. */
  anonymousPerMinute: number;
}

export interface RateLimiter {
  /** Counts a request; refuses it with 429 RATE_LIMITED and Retry-After when the minute's budget is spent. */
  admit(claims: VerifiedClaims | null, address: string): Promise<void>;
}

/** Per-agency budgets (rate-limiter-flexible, in memory: one gateway process). */
export function rateLimiter(limits: RateLimits): RateLimiter {
  const agencies = new RateLimiterMemory({ keyPrefix: 'agency', points: limits.perAgencyPerMinute, duration: 60 });
  const anonymous = new RateLimiterMemory({ keyPrefix: 'anonymous', points: limits.anonymousPerMinute, duration: 60 });
  return {
    async admit(claims, address) {
      try {
        await (claims ? agencies.consume(claims.agency) : anonymous.consume(address));
      } catch (refusal) {
        if (!(refusal instanceof RateLimiterRes)) throw refusal;
        const seconds = Math.max(1, Math.ceil(refusal.msBeforeNext / 1000));
        throw retryLater('RATE_LIMITED', 429, `Too many requests${claims ? ` from ${claims.agency}` : ''}: retry after ${seconds} s.`, seconds);
      }
    },
  };
}

/** Counts each request against its agency's budget, or its address's without a token (429 RATE_LIMITED beyond). */
export function useRateLimit(options: { limiter: RateLimiter }): GatewayFeature {
  return {
    name: 'rate-limit',
    onRequest: ({ req, context }) => options.limiter.admit(context.claims, req.socket.remoteAddress ?? 'unknown'),
  };
}
