import { SignJWT } from 'jose';
import { AUDIENCE, DEVELOPMENT_ISSUER, developmentKeySet, mintToken, newDevelopmentKey, tokenVerifier } from './tokens';

describe('token verification', () => {
  it('gives an agency no more than its profile allows, whatever its token says', async () => {
    const key = await newDevelopmentKey();
    const verifier = tokenVerifier(developmentKeySet(key), [DEVELOPMENT_ISSUER]);
    const token = await mintToken(key, { agency: 'bank', subject: 'teller-9', scopes: ['payments:read', 'persons:read', 'audit:read'] });
    expect(await verifier.verify(token)).toEqual({ agency: 'bank', subject: 'teller-9', scopes: ['payments:read'] });
  });

  it('refuses an agency with no profile, and an untrusted issuer', async () => {
    const key = await newDevelopmentKey();
    const sign = (agency: string, issuer: string) =>
      new SignJWT({ agency, scope: 'persons:read' }).setProtectedHeader({ alg: 'ES256', kid: key.kid }).setIssuer(issuer).setAudience(AUDIENCE).setSubject('x').setExpirationTime('1h').sign(key.privateKey);
    const verifier = tokenVerifier(developmentKeySet(key), [DEVELOPMENT_ISSUER]);
    await expect(verifier.verify(await sign('ministry-of-magic', DEVELOPMENT_ISSUER))).rejects.toThrow(/no known agency/);
    await expect(verifier.verify(await sign('police', 'https://elsewhere'))).rejects.toThrow(/not valid/);
  });
});
