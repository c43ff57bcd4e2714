import { base64url, callbackCode, codeChallenge, discover, exchangeCode, randomToken, startSignIn, type Discovery, type PendingSignIn } from './sign-in';

const ISSUER = 'https://id.example.az/realms/staff';
const DISCOVERY: Discovery = {
  issuer: ISSUER,
  authorization_endpoint: `${ISSUER}/protocol/openid-connect/auth`,
  token_endpoint: `${ISSUER}/protocol/openid-connect/token`,
  code_challenge_methods_supported: ['plain', 'S256'],
};
const SETTINGS = { issuer: ISSUER, clientId: 'dmx-dashboard', scope: 'openid aggregates:read' };
const REDIRECT = 'https://graph.example.az/dashboard';

/** A fetch that answers with `body` and records what it was asked. */
function fakeFetch(status: number, body: unknown) {
  const calls: { url: string; init?: RequestInit }[] = [];
  const impl = (async (url: string, init?: RequestInit) => {
    calls.push({ url, init });
    return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
  }) as unknown as typeof fetch;
  return { impl, calls };
}

describe('the dashboard sign-in (authorization code with PKCE)', () => {
  it('derives the S256 challenge of RFC 7636 appendix B from its verifier', async () => {
    expect(await codeChallenge('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk')).toBe('E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM');
    expect(base64url(new Uint8Array([251, 255, 191]))).toBe('-_-_');
  });

  it('makes verifiers and states of 43 unreserved characters, a new one each time', () => {
    const tokens = Array.from({ length: 20 }, () => randomToken());
    for (const token of tokens) expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(new Set(tokens).size).toBe(tokens.length);
  });

  it("sends the browser to the provider with the verifier's challenge, the state, the client and the redirect address", async () => {
    const { pending, url } = await startSignIn(DISCOVERY, SETTINGS, REDIRECT, '?from=2026-08-03');
    const sent = new URL(url);
    expect(`${sent.origin}${sent.pathname}`).toBe(DISCOVERY.authorization_endpoint);
    expect(Object.fromEntries(sent.searchParams)).toEqual({
      response_type: 'code',
      client_id: 'dmx-dashboard',
      redirect_uri: REDIRECT,
      scope: 'openid aggregates:read',
      state: pending.state,
      code_challenge: await codeChallenge(pending.verifier),
      code_challenge_method: 'S256',
    });
    // The verifier itself never leaves the tab before the code exchange.
    expect(url).not.toContain(pending.verifier);
    expect(pending.returnTo).toBe('?from=2026-08-03');
  });

  it('takes the code only with the state this tab sent', () => {
    const pending: PendingSignIn = { state: 'state-1', verifier: 'v'.repeat(43), returnTo: '' };
    expect(callbackCode(new URLSearchParams({ code: 'code-1', state: 'state-1' }), pending)).toBe('code-1');
    expect(() => callbackCode(new URLSearchParams({ code: 'code-1', state: 'state-2' }), pending)).toThrow(/state/);
    expect(() => callbackCode(new URLSearchParams({ code: 'code-1' }), pending)).toThrow(/state/);
    expect(() => callbackCode(new URLSearchParams({ code: 'code-1', state: 'state-1' }), null)).toThrow(/no sign-in was started/);
    expect(() => callbackCode(new URLSearchParams({ error: 'access_denied', state: 'state-1' }), pending)).toThrow(/refused: access_denied/);
  });

  it('exchanges the code with the verifier at the token endpoint and keeps the access token until it expires', async () => {
    const pending: PendingSignIn = { state: 's', verifier: 'verifier-'.padEnd(43, 'x'), returnTo: '' };
    const { impl, calls } = fakeFetch(200, { access_token: 'at-1', token_type: 'Bearer', expires_in: 600 });
    expect(await exchangeCode(DISCOVERY, SETTINGS, REDIRECT, 'code-1', pending, 1_000, impl)).toEqual({ accessToken: 'at-1', expiresAt: 601_000 });
    expect(calls).toHaveLength(1);
    expect(calls[0].url).toBe(DISCOVERY.token_endpoint);
    expect(calls[0].init?.method).toBe('POST');
    expect(Object.fromEntries(new URLSearchParams(String(calls[0].init?.body)))).toEqual({
      grant_type: 'authorization_code',
      code: 'code-1',
      redirect_uri: REDIRECT,
      client_id: 'dmx-dashboard',
      code_verifier: pending.verifier,
    });
  });

  it('refuses a token endpoint that refuses, or gives no bearer token', async () => {
    const pending: PendingSignIn = { state: 's', verifier: 'v'.repeat(43), returnTo: '' };
    await expect(exchangeCode(DISCOVERY, SETTINGS, REDIRECT, 'c', pending, 0, fakeFetch(400, { error: 'invalid_grant', error_description: 'PKCE verification failed' }).impl)).rejects.toThrow(/PKCE verification failed/);
    await expect(exchangeCode(DISCOVERY, SETTINGS, REDIRECT, 'c', pending, 0, fakeFetch(200, { access_token: 'x', token_type: 'DPoP' }).impl)).rejects.toThrow(/not a bearer token/);
  });

  it("reads the issuer's discovery document, and refuses another issuer's or one without S256", async () => {
    const found = fakeFetch(200, DISCOVERY);
    expect(await discover(ISSUER, found.impl)).toEqual(DISCOVERY);
    expect(found.calls[0].url).toBe(`${ISSUER}/.well-known/openid-configuration`);
    await expect(discover(ISSUER, fakeFetch(200, { ...DISCOVERY, issuer: 'https://elsewhere.example' }).impl)).rejects.toThrow(/another issuer/);
    await expect(discover(ISSUER, fakeFetch(200, { ...DISCOVERY, code_challenge_methods_supported: ['plain'] }).impl)).rejects.toThrow(/S256/);
  });
});
