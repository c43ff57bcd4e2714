import { SignJWT } from 'jose';
import { mintRegistryToken, REGISTRY_ALGORITHM, REGISTRY_ISSUER, REGISTRY_SCOPES, registryTokenKeys } from '../../../protocol/registry-token';
import { newSigningKeyPair } from '../../../protocol/request-signing';
import { AUDIENCE, DEVELOPMENT_ISSUER, developmentIssuer, developmentKeySet, mintToken, newDevelopmentKey, tokenVerifier, trustedIssuer } from './tokens';

describe('token verification', () => {
  it('gives an agency no more than its profile allows, whatever its token says', async () => {
    const key = await newDevelopmentKey();
    const verifier = tokenVerifier([developmentIssuer(key)]);
    const token = await mintToken(key, { agency: 'bank', subject: 'teller-9', scopes: ['payments:read', 'persons:read', 'audit:read'] });
    expect(await verifier.verify(token)).toEqual({ agency: 'bank', subject: 'teller-9', scopes: ['payments:read'] });
  });

  it('refuses an agency with no profile, and an untrusted issuer', async () => {
    const key = await newDevelopmentKey();
    const sign = (agency: string, issuer: string) =>
      new SignJWT({ agency, scope: 'persons:read' }).setProtectedHeader({ alg: 'ES256', kid: key.kid }).setIssuer(issuer).setAudience(AUDIENCE).setSubject('x').setExpirationTime('1h').sign(key.privateKey);
    const verifier = tokenVerifier([developmentIssuer(key)]);
    await expect(verifier.verify(await sign('ministry-of-magic', DEVELOPMENT_ISSUER))).rejects.toThrow(/no known agency/);
    // Names every object has are no profiles either (they gave an internal error, not a 401).
    for (const agency of ['constructor', '__proto__', 'toString', 'hasOwnProperty']) {
      await expect(verifier.verify(await sign(agency, DEVELOPMENT_ISSUER))).rejects.toMatchObject({ message: expect.stringMatching(/no known agency/), extensions: { code: 'UNAUTHENTICATED' } });
    }
    await expect(verifier.verify(await sign('police', 'https://elsewhere'))).rejects.toThrow(/not valid/);
  });

  it('checks a token once and reuses its claims until it expires, then refuses it', async () => {
    const key = await newDevelopmentKey();
    let clock = Date.now();
    let lookups = 0;
    const keys = developmentKeySet(key);
    const counting: typeof keys = (header, token) => {
      lookups += 1;
      return keys(header, token);
    };
    const verifier = tokenVerifier([{ issuer: DEVELOPMENT_ISSUER, keys: counting, agencies: 'any' }], undefined, () => clock);
    const token = await mintToken(key, { agency: 'police', subject: 'p-7', ttlSeconds: 600 });
    for (let i = 0; i < 5; i += 1) expect(await verifier.verify(token)).toEqual({ agency: 'police', subject: 'p-7', scopes: expect.arrayContaining(['persons:read']) });
    expect(lookups).toBe(1);
    // Past its expiry (and jose's 30 s tolerance) the token is checked again, and refused.
    clock += 700_000;
    jest.useFakeTimers({ now: clock, doNotFake: ['nextTick', 'setImmediate', 'setTimeout', 'setInterval', 'queueMicrotask'] });
    try {
      await expect(verifier.verify(token)).rejects.toThrow(/expired/);
    } finally {
      jest.useRealTimers();
    }
    expect(lookups).toBe(2);
  });

  it('a registry token is accepted under the registry profile only, and never from an agency key', async () => {
    const applications = newSigningKeyPair();
    const permits = newSigningKeyPair();
    const key = await newDevelopmentKey();
    const verifier = tokenVerifier([developmentIssuer(key)], registryTokenKeys({ applications: applications.publicKey, permits: permits.publicKey }));
    expect(await verifier.verify(await mintRegistryToken(applications.privateKey, 'applications'))).toEqual({ agency: 'registry', subject: 'applications', scopes: [...REGISTRY_SCOPES] });
    await expect(verifier.verify(await mintRegistryToken(newSigningKeyPair().privateKey, 'applications'))).rejects.toThrow(/not valid/);
    // One registry's key cannot make another's token, nor one for a registry without a key.
    await expect(verifier.verify(await mintRegistryToken(permits.privateKey, 'applications'))).rejects.toThrow(/not valid/);
    await expect(verifier.verify(await mintRegistryToken(applications.privateKey, 'persons'))).rejects.toThrow(/not valid/);
    await expect(verifier.verify(await mintToken(key, { agency: 'registry', subject: 'x' }))).rejects.toThrow(/no known agency/);
    // A registry holds its own scopes only: the feed of stay facts is the permits registry's, whatever another's token says.
    expect((await verifier.verify(await mintRegistryToken(permits.privateKey, 'permits'))).scopes).toEqual([...REGISTRY_SCOPES, 'stay-facts:read']);
    const claimingMore = await new SignJWT({ agency: 'registry', scope: [...REGISTRY_SCOPES, 'stay-facts:read'].join(' ') })
      .setProtectedHeader({ alg: REGISTRY_ALGORITHM, kid: 'applications' })
      .setIssuer(REGISTRY_ISSUER)
      .setAudience(AUDIENCE)
      .setSubject('applications')
      .setIssuedAt()
      .setExpirationTime('300s')
      .sign(applications.privateKey);
    expect((await verifier.verify(claimingMore)).scopes).toEqual([...REGISTRY_SCOPES]);
    // Without the registries' keys configured, their tokens are not accepted at all.
    await expect(tokenVerifier([developmentIssuer(key)]).verify(await mintRegistryToken(applications.privateKey, 'applications'))).rejects.toThrow(/not valid/);
  });

  it("an agency's issuer speaks for that agency only: the bank's key cannot make a police token", async () => {
    const bankKey = await newDevelopmentKey();
    const policeKey = await newDevelopmentKey();
    const verifier = tokenVerifier([
      trustedIssuer({ issuer: 'https://idp.bank.az', jwks: { keys: [bankKey.publicJwk] }, agencies: ['bank'] }),
      trustedIssuer({ issuer: 'https://idp.police.az', jwks: { keys: [policeKey.publicJwk] }, agencies: ['police'] }),
    ]);
    const sign = (key: typeof bankKey, issuer: string, agency: string) =>
      new SignJWT({ agency, scope: 'persons:read payments:read' }).setProtectedHeader({ alg: 'ES256', kid: key.kid }).setIssuer(issuer).setAudience(AUDIENCE).setSubject('u-1').setExpirationTime('1h').sign(key.privateKey);
    expect(await verifier.verify(await sign(bankKey, 'https://idp.bank.az', 'bank'))).toEqual({ agency: 'bank', subject: 'u-1', scopes: ['payments:read'] });
    expect(await verifier.verify(await sign(policeKey, 'https://idp.police.az', 'police'))).toMatchObject({ agency: 'police' });
    // The bank's identity provider claiming to speak for the police.
    await expect(verifier.verify(await sign(bankKey, 'https://idp.bank.az', 'police'))).rejects.toThrow(/may not speak for police/);
    // The bank's key under the police issuer's name: checked with the police keys, so refused.
    await expect(verifier.verify(await sign(bankKey, 'https://idp.police.az', 'police'))).rejects.toThrow(/not valid/);
    // An issuer nobody trusts.
    await expect(verifier.verify(await sign(bankKey, 'https://idp.elsewhere.az', 'bank'))).rejects.toThrow(/not valid/);
  });
});
