import { callerOf, claimsForJoining, decodeClaims, encodeClaims, forwarded, joinClaims, type VerifiedClaims } from './claims';
import { MAX_BATCHED_REQUESTS } from './headers';

const officer = (subject: string, scopes = ['status:read']): VerifiedClaims => ({ agency: 'border-service', subject, scopes });
const header = (value: unknown) => Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');

describe('the claims a registry is forwarded', () => {
  it('reads one caller’s claims as naming one officer', () => {
    expect(decodeClaims(encodeClaims(officer('ann')))).toEqual({ agency: 'border-service', subjects: ['ann'], scopes: ['status:read'] });
    expect(decodeClaims(encodeClaims(officer('ann')))).toEqual(forwarded(officer('ann')));
    expect(decodeClaims(undefined)).toBeNull();
  });

  it('joins the claims of officers of one agency holding the same scopes, each officer once, in order', () => {
    const joined = joinClaims([encodeClaims(officer('bob')), encodeClaims(officer('ann')), encodeClaims(officer('bob'))]);
    expect(decodeClaims(joined)).toEqual({ agency: 'border-service', subjects: ['bob', 'ann'], scopes: ['status:read'] });
    // One officer asking several times is forwarded as that officer.
    expect(joinClaims([encodeClaims(officer('ann')), encodeClaims(officer('ann'))])).toBe(encodeClaims(officer('ann')));
  });

  it('gives the claims of one agency and scope set one key whoever the officer, and others another', () => {
    const key = (claims: VerifiedClaims) => claimsForJoining(encodeClaims(claims)).key;
    expect(key(officer('ann'))).toBe(key(officer('bob')));
    expect(key(officer('ann', ['status:read', 'persons:read']))).not.toBe(key(officer('ann')));
    expect(key({ ...officer('ann'), agency: 'police' })).not.toBe(key(officer('ann')));
    expect(claimsForJoining(encodeClaims(officer('ann'))).subject).toBe('ann');
    // Scopes in another order are the same scopes.
    expect(key(officer('ann', ['persons:read', 'status:read']))).toBe(key(officer('bob', ['status:read', 'persons:read'])));
    // A claim added later keeps apart the requests that differ in it, and travels through the join.
    const withRegion = (subject: string, region: string) => encodeClaims({ ...officer(subject), region } as VerifiedClaims);
    expect(claimsForJoining(withRegion('ann', 'north')).key).not.toBe(claimsForJoining(withRegion('bob', 'south')).key);
    expect(claimsForJoining(withRegion('ann', 'north')).key).toBe(claimsForJoining(withRegion('bob', 'north')).key);
    expect(JSON.parse(Buffer.from(joinClaims([withRegion('ann', 'north'), withRegion('bob', 'north')]), 'base64url').toString())).toEqual({
      agency: 'border-service',
      scopes: ['status:read'],
      region: 'north',
      subjects: ['ann', 'bob'],
    });
    expect(() => joinClaims([withRegion('ann', 'north'), withRegion('bob', 'south')])).toThrow('other claims differ');
    // A header that cannot be read joins nothing but itself.
    expect(claimsForJoining('not-claims')).toEqual({ key: 'unreadable not-claims', subject: null });
  });

  it('refuses malformed claims: no subject, both forms, a list of one, repeated or too many officers', () => {
    const base = { agency: 'border-service', scopes: ['status:read'] };
    const many = (count: number) => Array.from({ length: count }, (_, n) => `officer-${n}`);
    expect(decodeClaims(header({ ...base, subjects: many(2) }))?.subjects).toEqual(many(2));
    expect(decodeClaims(header({ ...base, subjects: many(MAX_BATCHED_REQUESTS) }))?.subjects).toHaveLength(MAX_BATCHED_REQUESTS);
    for (const malformed of [
      base,
      { ...base, subject: 'ann', subjects: ['ann', 'bob'] },
      { ...base, subjects: ['ann'] },
      { ...base, subjects: ['ann', 'ann'] },
      { ...base, subjects: many(MAX_BATCHED_REQUESTS + 1) },
      { ...base, subjects: ['ann', 7] },
      { ...base, subject: 'ann', scopes: 'status:read' },
    ]) {
      expect(decodeClaims(header(malformed))).toBeNull();
    }
    expect(decodeClaims('%%%')).toBeNull();
  });

  it('names the one officer a write comes from, and none for a read serving several', () => {
    expect(callerOf(forwarded(officer('ann')))).toBe('border-service:ann');
    expect(callerOf(decodeClaims(joinClaims([encodeClaims(officer('ann')), encodeClaims(officer('bob'))])))).toBeNull();
    expect(callerOf(null)).toBeNull();
  });
});
