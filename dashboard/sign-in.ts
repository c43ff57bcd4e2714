/**
 * Signing in to the dashboard with the staff member's own identity provider: OpenID Connect's
 * authorization code flow with PKCE (RFC 7636, S256) for a public client, run in the page. Nothing is
 * kept beyond the browser tab's session: the verifier and state while the provider has the tab, then
 * the access token until it expires.
 */

/** What the page needs of the provider's discovery document (/.well-known/openid-configuration). */
export interface Discovery {
  issuer: string;
  authorization_endpoint: string;
  token_endpoint: string;
  code_challenge_methods_supported?: string[];
}

export interface SignInSettings {
  issuer: string;
  clientId: string;
  scope: string;
}

/** What waits in the tab's session while the provider has it: checked when the provider sends it back. */
export interface PendingSignIn {
  state: string;
  verifier: string;
  /** The page's query (the range shown) to come back to. */
  returnTo: string;
}

export interface SignedIn {
  accessToken: string;
  /** Milliseconds since the epoch; the token is not used after. */
  expiresAt: number;
}

/** base64url without padding (RFC 4648 section 5), as PKCE and JWTs write bytes. */
export function base64url(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** A random string of `bytes` random bytes, base64url: 32 give a verifier of 43 characters, within RFC 7636's 43 to 128. */
export function randomToken(bytes = 32): string {
  return base64url(crypto.getRandomValues(new Uint8Array(bytes)));
}

/** The S256 code challenge of a verifier: base64url(SHA-256(verifier)). */
export async function codeChallenge(verifier: string): Promise<string> {
  return base64url(new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier))));
}

/** Reads the provider's discovery document and checks it is the configured issuer's and offers S256. */
export async function discover(issuer: string, fetchImpl: typeof fetch = fetch): Promise<Discovery> {
  const response = await fetchImpl(`${issuer.replace(/\/$/, '')}/.well-known/openid-configuration`, { headers: { accept: 'application/json' } });
  if (!response.ok) throw new Error(`the identity provider's discovery document answered ${response.status}`);
  const document = (await response.json()) as Discovery;
  if (document.issuer !== issuer) throw new Error(`the discovery document names another issuer (${document.issuer})`);
  if (!document.authorization_endpoint || !document.token_endpoint) throw new Error('the discovery document has no authorization or token endpoint');
  if (document.code_challenge_methods_supported && !document.code_challenge_methods_supported.includes('S256')) {
    throw new Error('the identity provider does not offer PKCE with S256');
  }
  return document;
}

/** Starts a sign-in: a fresh state and verifier, and the provider's authorization address to go to. */
export async function startSignIn(discovery: Discovery, settings: SignInSettings, redirectUri: string, returnTo: string): Promise<{ pending: PendingSignIn; url: string }> {
  const pending: PendingSignIn = { state: randomToken(), verifier: randomToken(), returnTo };
  const url = new URL(discovery.authorization_endpoint);
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('client_id', settings.clientId);
  url.searchParams.set('redirect_uri', redirectUri);
  url.searchParams.set('scope', settings.scope);
  url.searchParams.set('state', pending.state);
  url.searchParams.set('code_challenge', await codeChallenge(pending.verifier));
  url.searchParams.set('code_challenge_method', 'S256');
  return { pending, url: url.href };
}

/**
 * The provider's answer at the redirect address: the code, when it comes with the state this tab
 * sent (else another site may be feeding the tab a code of its own), and no error.
 */
export function callbackCode(params: URLSearchParams, pending: PendingSignIn | null): string {
  if (!pending) throw new Error('no sign-in was started in this tab');
  const state = params.get('state');
  if (!state || state !== pending.state) throw new Error('the answer of the identity provider does not carry the state this page sent');
  const error = params.get('error');
  if (error) throw new Error(`the identity provider refused: ${params.get('error_description') ?? error}`);
  const code = params.get('code');
  if (!code) throw new Error('the identity provider sent no code');
  return code;
}

/** Exchanges the code at the token endpoint with the verifier; the access token is what the page sends to the graph. */
export async function exchangeCode(
  discovery: Discovery,
  settings: SignInSettings,
  redirectUri: string,
  code: string,
  pending: PendingSignIn,
  now: number,
  fetchImpl: typeof fetch = fetch,
): Promise<SignedIn> {
  const response = await fetchImpl(discovery.token_endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
    body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: redirectUri, client_id: settings.clientId, code_verifier: pending.verifier }).toString(),
  });
  const body = (await response.json().catch(() => ({}))) as { access_token?: string; token_type?: string; expires_in?: number; error?: string; error_description?: string };
  if (!response.ok || !body.access_token) throw new Error(`the token endpoint refused the code: ${body.error_description ?? body.error ?? response.status}`);
  if (body.token_type && body.token_type.toLowerCase() !== 'bearer') throw new Error(`the token endpoint gave a ${body.token_type} token, not a bearer token`);
  return { accessToken: body.access_token, expiresAt: now + (body.expires_in ?? 300) * 1000 };
}
