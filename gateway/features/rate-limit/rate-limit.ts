import type { IncomingMessage } from 'node:http';
import { Kind, type DocumentNode, type OperationDefinitionNode, type SelectionSetNode } from 'graphql';
import { Pool } from 'pg';
import { RateLimiterMemory, RateLimiterPostgres, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { VerifiedClaims } from '../../../protocol/claims';
import { telemetry } from '../../../platform/telemetry/telemetry';
import { retryLater, type GatewayFeature } from '../feature';

export interface RateLimits {
  /** Requests per minute for each agency, all its users together. */
  perAgencyPerMinute: number;
  /** Requests per minute for each client address calling without a token. */
  anonymousPerMinute: number;
  /** Lookups by key (tracking numbers) per minute for each client address without a token; 60 when absent. */
  anonymousLookupsPerMinute?: number;
}

/** An applicant checks a number a few times; sixty a minute is far above that, and far below a walk. */
const DEFAULT_ANONYMOUS_LOOKUPS_PER_MINUTE = 60;

export interface RateLimiter {
  /** Counts a request; refuses it with 429 RATE_LIMITED and Retry-After when the minute's budget is spent. */
  admit(claims: VerifiedClaims | null, address: string): Promise<void>;
  /**
   * Counts the lookups by key of a request admitted already: without a token, against the address's
   * budget of lookups; with one, each after the first as one more request of the agency. 429 beyond.
   */
  admitLookups(claims: VerifiedClaims | null, address: string, lookups: number): Promise<void>;
  /** Lets go of what the limiter holds (a shared store's connections). */
  close(): Promise<void>;
}

/** Per-agency budgets (rate-limiter-flexible) in this process's memory: right for one gateway process. */
export function rateLimiter(limits: RateLimits): RateLimiter {
  const agencies = new RateLimiterMemory({ keyPrefix: 'agency', points: limits.perAgencyPerMinute, duration: 60 });
  const anonymous = new RateLimiterMemory({ keyPrefix: 'anonymous', points: limits.anonymousPerMinute, duration: 60 });
  const lookups = new RateLimiterMemory({ keyPrefix: 'lookups', points: limits.anonymousLookupsPerMinute ?? DEFAULT_ANONYMOUS_LOOKUPS_PER_MINUTE, duration: 60 });
  return budgets({ agencies, anonymous, lookups }, async () => undefined);
}

/**
 * Per-agency budgets kept in PostgreSQL, shared by every gateway process that names the same server
 * (RATE_LIMIT_DATABASE_URL): several gateways behind a load balancer count against one budget. The
 * deployment already runs PostgreSQL for the registries, so sharing needs no other service (a Redis
 * would be one more to run and secure). Should the server not answer, each process falls back to a
 * budget of its own in memory (rate-limiter-flexible's insurance limiter) rather than refuse everyone.
 */
export async function sharedRateLimiter(limits: RateLimits, databaseUrl: string): Promise<RateLimiter> {
  const pool = new Pool({ connectionString: databaseUrl, max: 4 });
  pool.on('error', () => undefined);
  const store = (keyPrefix: string, points: number) =>
    new Promise<RateLimiterPostgres>((resolve, reject) => {
      const limiter: RateLimiterPostgres = new RateLimiterPostgres(
        {
          storeClient: pool,
          tableName: 'gateway_rate_budgets',
          keyPrefix,
          points,
          duration: 60,
          // An agency past its budget is refused from memory for the rest of the minute: no round trip per refusal.
          inMemoryBlockOnConsumed: points,
          inMemoryBlockDuration: 60,
          insuranceLimiter: new RateLimiterMemory({ keyPrefix, points, duration: 60 }),
        },
        (error?: unknown) => (error ? reject(error) : resolve(limiter)),
      );
    });
  try {
    const agencies = await store('agency', limits.perAgencyPerMinute);
    const anonymous = await store('anonymous', limits.anonymousPerMinute);
    const lookups = await store('lookups', limits.anonymousLookupsPerMinute ?? DEFAULT_ANONYMOUS_LOOKUPS_PER_MINUTE);
    return budgets({ agencies, anonymous, lookups }, () => pool.end());
  } catch (error) {
    await pool.end();
    throw error;
  }
}

function budgets(
  { agencies, anonymous, lookups }: Record<'agencies' | 'anonymous' | 'lookups', RateLimiterAbstract>,
  close: () => Promise<void>,
): RateLimiter {
  const refusals = telemetry().meter.createCounter('dmx.rate_limit.refusals', { unit: '{request}', description: 'Requests refused with 429 RATE_LIMITED, by agency.' });
  const spend = async (claims: VerifiedClaims | null, take: () => Promise<unknown>, what: string) => {
    try {
      await take();
    } catch (refusal) {
      if (!(refusal instanceof RateLimiterRes)) throw refusal;
      refusals.add(1, { 'dmx.agency': claims?.agency ?? 'anonymous' });
      const seconds = Math.max(1, Math.ceil(refusal.msBeforeNext / 1000));
      throw retryLater('RATE_LIMITED', 429, `Too many ${what}${claims ? ` from ${claims.agency}` : ''}: retry after ${seconds} s.`, seconds);
    }
  };
  return {
    admit: (claims, address) => spend(claims, () => (claims ? agencies.consume(claims.agency) : anonymous.consume(address)), 'requests'),
    async admitLookups(claims, address, count) {
      if (claims) {
        if (count > 1) await spend(claims, () => agencies.consume(claims.agency, count - 1), 'requests');
      } else if (count > 0) {
        await spend(null, () => lookups.consume(address, count), 'lookups by number');
      }
    },
    close,
  };
}

/**
 * The address a request without a token is counted under. Behind `trustedProxies` proxies (a load
 * balancer: TRUST_PROXY_HOPS), each of which appends the address it received from to
 * X-Forwarded-For, the client is that many entries from its end; what a client wrote there itself
 * comes before and is never believed. With no proxy trusted, the socket's address.
 */
export function clientAddress(req: IncomingMessage, trustedProxies: number): string {
  const socket = req.socket.remoteAddress ?? 'unknown';
  if (trustedProxies === 0) return socket;
  const header = req.headers['x-forwarded-for'];
  const forwarded = (Array.isArray(header) ? header.join(',') : (header ?? '')).split(',').map((entry) => entry.trim()).filter(Boolean);
  return forwarded[forwarded.length - trustedProxies] ?? socket;
}

/**
 * Public reads that find one record by a key the caller must already know (an application's tracking
 * number, PAY-01). Each one an operation asks is a guess at a key: without a token, each is counted
 * against the address's budget of lookups (LIMIT_RATE_ANONYMOUS_LOOKUPS, aliases included), far below
 * its budget of requests; with a token, each after the first as one more request of the agency.
 */
const LOOKUPS_BY_KEY: ReadonlySet<string> = new Set(['applicationByNumber']);

/**
 * How many lookups by key an operation asks at its root: the distinct response names of such fields,
 * through inline fragments and fragment spreads (one name asked twice is executed once).
 */
export function lookupsByKey(document: DocumentNode, operation: OperationDefinitionNode): number {
  const fragments = new Map(document.definitions.flatMap((definition) => (definition.kind === Kind.FRAGMENT_DEFINITION ? [[definition.name.value, definition] as const] : [])));
  const names = new Set<string>();
  const spread = new Set<string>();
  const walk = (selectionSet: SelectionSetNode) => {
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) {
        if (LOOKUPS_BY_KEY.has(selection.name.value)) names.add((selection.alias ?? selection.name).value);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        walk(selection.selectionSet);
      } else if (!spread.has(selection.name.value)) {
        spread.add(selection.name.value);
        const fragment = fragments.get(selection.name.value);
        if (fragment) walk(fragment.selectionSet);
      }
    }
  };
  if (operation.operation === 'query') walk(operation.selectionSet);
  return names.size;
}

/** A request whose token was refused, counted against its address's budget (429 once spent): see useAuthentication. */
export function countRefusedToken(limiter: RateLimiter, trustedProxies = 0): (req: IncomingMessage) => Promise<void> {
  return (req) => limiter.admit(null, clientAddress(req, trustedProxies));
}

/**
 * Counts each request against its agency's budget, or its address's without a token (429 RATE_LIMITED
 * beyond), and its lookups by key (admitLookups).
 */
export function useRateLimit(options: { limiter: RateLimiter; trustedProxies?: number }): GatewayFeature {
  const hops = options.trustedProxies ?? 0;
  return {
    name: 'rate-limit',
    onRequest: ({ req, context }) => {
      context.clientAddress = clientAddress(req, hops);
      return options.limiter.admit(context.claims, context.clientAddress);
    },
    apolloPlugins: [
      {
        async requestDidStart() {
          return {
            async didResolveOperation({ document, operation, contextValue }) {
              const lookups = operation ? lookupsByKey(document, operation) : 0;
              if (lookups > 0) await options.limiter.admitLookups(contextValue.claims, contextValue.clientAddress!, lookups);
            },
          };
        },
      },
    ],
  };
}
