import type { IncomingMessage } from 'node:http';
import { parse, type OperationDefinitionNode } from 'graphql';
import { clientAddress, lookupsByKey, rateLimiter } from './rate-limit';

const request = (socket: string, forwardedFor?: string) =>
  ({ socket: { remoteAddress: socket }, headers: forwardedFor === undefined ? {} : { 'x-forwarded-for': forwardedFor } }) as unknown as IncomingMessage;

describe('the address a caller without a token is counted under', () => {
  it('is the socket address when no proxy is trusted, whatever the caller writes in X-Forwarded-For', () => {
    expect(clientAddress(request('10.0.0.5', '1.2.3.4'), 0)).toBe('10.0.0.5');
  });

  it('behind one load balancer, is the address the balancer appended, not what the caller wrote before it', () => {
    expect(clientAddress(request('10.0.0.5', '203.0.113.7'), 1)).toBe('203.0.113.7');
    // A caller that forges an entry only adds one before the balancer's own.
    expect(clientAddress(request('10.0.0.5', '1.2.3.4, 203.0.113.7'), 1)).toBe('203.0.113.7');
    expect(clientAddress(request('10.0.0.5', '1.2.3.4, 203.0.113.7, 10.0.0.9'), 2)).toBe('203.0.113.7');
  });

  it('falls back to the socket when the header has fewer entries than proxies trusted', () => {
    expect(clientAddress(request('10.0.0.5'), 1)).toBe('10.0.0.5');
    expect(clientAddress(request('10.0.0.5', '203.0.113.7'), 2)).toBe('10.0.0.5');
  });

  it('gives two clients behind one balancer a budget each', async () => {
    const limiter = rateLimiter({ perAgencyPerMinute: 10, anonymousPerMinute: 1 });
    await limiter.admit(null, clientAddress(request('10.0.0.5', '203.0.113.7'), 1));
    await limiter.admit(null, clientAddress(request('10.0.0.5', '203.0.113.8'), 1));
    await expect(limiter.admit(null, clientAddress(request('10.0.0.5', '203.0.113.7'), 1))).rejects.toMatchObject({ extensions: { code: 'RATE_LIMITED' } });
  });
});

describe('lookups by key an operation asks (each a guess at a tracking number, PAY-01)', () => {
  const count = (text: string, name?: string) => {
    const document = parse(text);
    const operation = document.definitions.find((definition): definition is OperationDefinitionNode => definition.kind === 'OperationDefinition' && (!name || definition.name?.value === name))!;
    return lookupsByKey(document, operation);
  };

  it('counts each alias, through inline fragments and fragment spreads', () => {
    expect(count('{ applicationByNumber(number: "WP-2026-00000000") { status } }')).toBe(1);
    expect(count('{ a: applicationByNumber(number: "WP-2026-00000001") { status } b: applicationByNumber(number: "WP-2026-00000002") { status } rules { id } }')).toBe(2);
    expect(count(`query { ... on Query { c: applicationByNumber(number: "WP-2026-00000003") { status } } ...More }
      fragment More on Query { d: applicationByNumber(number: "WP-2026-00000004") { status } ... on Query { e: applicationByNumber(number: "WP-2026-00000005") { status } } }`)).toBe(3);
  });

  it('counts one response name once, however often it is asked, and nothing else', () => {
    expect(count('{ a: applicationByNumber(number: "WP-2026-00000001") { status } a: applicationByNumber(number: "WP-2026-00000001") { number } ...F ...F } fragment F on Query { a: applicationByNumber(number: "WP-2026-00000001") { id } }')).toBe(1);
    expect(count('{ rules { id } deadline(type: WORK_PERMIT, submittedOn: "2026-12-01") { dueOn } }')).toBe(0);
    expect(count('query A { x: applicationByNumber(number: "WP-2026-00000001") { status } } query B { rules { id } }', 'B')).toBe(0);
  });
});

describe('the lookups by key of a request (each a guess at a tracking number)', () => {
  it("counts them without a token against the address's own budget of lookups, apart from its requests", async () => {
    const limiter = rateLimiter({ perAgencyPerMinute: 100, anonymousPerMinute: 100, anonymousLookupsPerMinute: 5 });
    await limiter.admitLookups(null, '10.0.0.5', 4);
    await expect(limiter.admitLookups(null, '10.0.0.5', 2)).rejects.toMatchObject({ extensions: { code: 'RATE_LIMITED' } });
    // Another address has its own; the address's requests are untouched.
    await limiter.admitLookups(null, '10.0.0.6', 5);
    await limiter.admit(null, '10.0.0.5');
  });

  it('counts them with a token as requests of the agency, the first being the request itself', async () => {
    const limiter = rateLimiter({ perAgencyPerMinute: 5, anonymousPerMinute: 100, anonymousLookupsPerMinute: 1 });
    const bank = { agency: 'bank' } as never;
    await limiter.admit(bank, '10.0.0.5');
    await limiter.admitLookups(bank, '10.0.0.5', 5);
    await expect(limiter.admit(bank, '10.0.0.5')).rejects.toMatchObject({ extensions: { code: 'RATE_LIMITED' } });
  });
});
