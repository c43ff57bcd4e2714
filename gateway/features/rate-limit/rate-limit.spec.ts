import type { IncomingMessage } from 'node:http';
import { clientAddress, rateLimiter } from './rate-limit';

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
