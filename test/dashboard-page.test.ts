import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { decodeJwt, exportJWK, generateKeyPair, SignJWT, type JWK, type KeyLike } from 'jose';
import { chromium, type Browser, type Page } from 'playwright-core';
import { trustedIssuer } from '../gateway/features/authentication/tokens';
import { AUDIENCE } from '../protocol/registry-token';
import { listen } from '../platform/listen';
import { rawRequest } from '../platform/testing/raw-http';
import { buildDashboard } from '../scripts/build-dashboard';
import { keepOnThisMachine } from './offline-browser';
import { eventually, startGatewayOnly, startGraph, TODAY, type GraphQLAnswer, type RunningGraph } from './harness';

/**
 * The internal dashboard page (issue 23) in a real browser that may reach nothing but this machine:
 * every view waits for its answer, and every number on the page is the one the graph gives the same
 * caller for the same committed operation. A registry stopped leaves its views unavailable, with why,
 * and the others whole. In production the staff sign in with their own identity provider
 * (authorization code with PKCE), here a stand-in issuer whose tokens the gateway trusts.
 * Needs Debian's chromium (CHROMIUM_PATH names another binary).
 */
const ROOT = path.resolve(__dirname, '..');
const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const withBrowser = existsSync(chromiumPath) ? describe : describe.skip;
const SCREENSHOTS = path.join(ROOT, 'test/screenshots');
/** A server's address without its trailing slash, to put a path after. */
const base = (url: string) => url.replace(/\/$/, '');

/** The range the page is opened on: the thirteen weeks up to the harness's today. */
const RANGE = { from: '2026-08-03', to: TODAY, bucket: 'WEEK' };
const rangeQuery = () => new URLSearchParams(RANGE).toString();

const MANIFEST = JSON.parse(readFileSync(path.join(ROOT, 'schema/persisted-operations.json'), 'utf8')) as { operations: Record<string, string> };
const hashOf = (name: string) => Object.entries(MANIFEST.operations).find(([, text]) => new RegExp(`^query ${name}\\b`).test(text))?.[0];

const VIEWS = ['applications', 'permits', 'payments', 'presence'] as const;
type ViewId = (typeof VIEWS)[number];
const OPERATION: Record<ViewId, string> = {
  applications: 'DashboardApplications',
  permits: 'DashboardPermits',
  payments: 'DashboardPayments',
  presence: 'DashboardPresence',
};
const VARIABLES: Record<ViewId, Record<string, unknown>> = {
  applications: RANGE,
  permits: { expiryWindows: [30, 60, 90] },
  payments: RANGE,
  presence: {},
};

// How the page writes numbers, said again here: British English grouping, amounts to the cent.
const COUNT = new Intl.NumberFormat('en-GB', { maximumFractionDigits: 0 });
const MONEY = new Intl.NumberFormat('en-GB', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
type Money = { amount: string; currency: string };

/** A count as the page must show it: whole, or "fewer than N" where the graph withheld it (never 0). */
const count = (value: number | null, below: number | null) => (value === null ? `fewer than ${below}` : COUNT.format(value));
/** Totals as the page must show them: withheld with their count, or when every currency's was left out; "none" only for nothing. */
function amounts(key: string, list: Money[] | null, of: number | null): Record<string, string> {
  if (list === null || (list.length === 0 && of !== 0)) return { [`${key}|*`]: 'withheld' };
  if (list.length === 0) return { [`${key}|-`]: 'none' };
  return Object.fromEntries(list.map((money) => [`${key}|${money.currency}`, `${MONEY.format(Number(money.amount))} ${money.currency}`]));
}

/** Every number a view's answer holds, under the key the page marks it with (data-key), as the page must write it. */
function expectedNumbers(view: ViewId, data: GraphQLAnswer): Record<string, string> {
  const numbers: Record<string, string> = {};
  const put = (key: string, text: string) => (numbers[key] = text);
  if (view === 'applications') {
    const { submittedApplications: submitted, applicationStatistics: stats } = data;
    for (const row of submitted.series) put(`submitted|${row.periodStart}|${row.type}`, count(row.count, submitted.suppressedBelow));
    put('open', count(stats.open, stats.suppressedBelow));
    put('overdue', count(stats.overdue, stats.suppressedBelow));
    for (const row of stats.byStatus) put(`status|${row.status}`, count(row.count, stats.suppressedBelow));
    for (const row of stats.overdueByOffice) {
      put(`overdueOffice|${row.office}`, count(row.count, stats.suppressedBelow));
      put(`overdueOfficeOldest|${row.office}`, row.oldestSubmittedOn ?? '—');
    }
    for (const row of stats.overdueByChannel) {
      put(`overdueChannel|${row.channel}`, count(row.count, stats.suppressedBelow));
      put(`overdueChannelOldest|${row.channel}`, row.oldestSubmittedOn ?? '—');
    }
  } else if (view === 'permits') {
    const stats = data.permitStatistics;
    for (const row of stats.byKind) put(`inForce|${row.kind}`, count(row.inForce, stats.suppressedBelow));
    for (const row of stats.expiringWithin) put(`expiring|${row.withinDays}|${row.kind}`, count(row.count, stats.suppressedBelow));
  } else if (view === 'payments') {
    const { paymentStatistics: stats, paymentsByChannel: paid } = data;
    put('fines', count(stats.outstandingFines, stats.suppressedBelow));
    Object.assign(numbers, amounts('fineTotal', stats.outstandingFineAmounts, stats.outstandingFines));
    put('duties', count(stats.unpaidStateDuties, stats.suppressedBelow));
    Object.assign(numbers, amounts('dutyTotal', stats.unpaidStateDutyAmounts, stats.unpaidStateDuties));
    for (const group of stats.outstandingFinesByAge) {
      put(`finesAge|${group.minDays}`, count(group.count, stats.suppressedBelow));
      Object.assign(numbers, amounts(`finesAgeAmount|${group.minDays}`, group.amounts, group.count));
    }
    for (const row of paid.series) {
      put(`paid|${row.periodStart}|${row.channel}`, count(row.count, paid.suppressedBelow));
      Object.assign(numbers, amounts(`paidAmount|${row.periodStart}|${row.channel}`, row.amounts, row.count));
    }
  } else {
    const stats = data.presenceStatistics;
    put('present', count(stats.present, stats.suppressedBelow));
    put('overstaying', count(stats.overstaying, stats.suppressedBelow));
    put('registrationOverdue', count(stats.registrationOverdue, stats.suppressedBelow));
    for (const row of stats.presentByCitizenship) put(`presentBy|${row.citizenship ?? '-'}`, count(row.count, stats.suppressedBelow));
    for (const row of stats.overstayingByCitizenship) put(`overstayingBy|${row.citizenship ?? '-'}`, count(row.count, stats.suppressedBelow));
    for (const row of stats.overstayingByLength) put(`overstayLength|${row.minDays}`, count(row.count, stats.suppressedBelow));
  }
  return numbers;
}

/** The same committed operation the page sends, by hash, with the page's own headers. */
async function askAsThePage(gatewayUrl: string, view: ViewId, headers: Record<string, string>, variables = VARIABLES[view]): Promise<GraphQLAnswer> {
  const response = await fetch(`${base(gatewayUrl)}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: headers.authorization, 'x-dmx-purpose': headers['x-dmx-purpose'] },
    body: JSON.stringify({ operationName: OPERATION[view], variables, extensions: { persistedQuery: { version: 1, sha256Hash: hashOf(OPERATION[view]) } } }),
  });
  return (await response.json()) as GraphQLAnswer;
}

/** The numbers a view shows, by key; a key shown twice must show one text. */
async function numbersOn(page: Page, view: ViewId): Promise<Record<string, string>> {
  const pairs = await page.locator(`[data-view="${view}"] [data-key]`).evaluateAll((nodes) => nodes.map((node) => [node.getAttribute('data-key')!, node.textContent!.trim()] as const));
  const numbers: Record<string, string> = {};
  for (const [key, text] of pairs) {
    if (key in numbers) expect(`${key}: ${text}`).toBe(`${key}: ${numbers[key]}`);
    numbers[key] = text;
  }
  return numbers;
}

/** Opens the page and waits until every view has its answer (or has said why not). */
async function openDashboard(page: Page, url: string): Promise<void> {
  await page.goto(url, { waitUntil: 'load' });
  await page.locator('body[data-loaded="true"]').waitFor({ timeout: 60_000 });
  expect(await page.locator('[data-view][data-state="loading"]').count()).toBe(0);
  // The charts are drawn on the next frame.
  await page.evaluate('new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)))');
}

/** A page whose requests may only reach this machine; what it tried elsewhere, and its errors. */
async function offlinePage(browser: Browser) {
  const page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
  const offMachine = await keepOnThisMachine(page);
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  // A content security policy refusal is reported on the console.
  page.on('console', (message) => {
    if (message.type() === 'error' && !/Failed to load resource/.test(message.text())) errors.push(message.text());
  });
  return { page, offMachine, errors };
}

function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  });
}

/**
 * A stand-in for the Service's identity provider: discovery, an authorization endpoint that signs the
 * staff member in at once, a token endpoint that gives an access token for the internal dashboard
 * only for the verifier of the challenge it was shown.
 */
async function fakeIssuer(clientId: string) {
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
  const jwk: JWK = { ...(await exportJWK(publicKey)), kid: 'stand-in-1', alg: 'ES256', use: 'sig' };
  const codes = new Map<string, { challenge: string; redirectUri: string; used: boolean }>();
  const exchanges: { verifierMatched: boolean }[] = [];
  const authorizations: URLSearchParams[] = [];
  let issuer = '';
  const fake = {
    get issuer() {
      return issuer;
    },
    exchanges,
    authorizations,
    /** Send the browser back with another state than it sent (as a code injected by another site would come). */
    forgeState: false,
    trust: trustedIssuer({ issuer: '', jwks: { keys: [jwk] }, agencies: ['internal-dashboard'] }),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', issuer);
    const json = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json', 'access-control-allow-origin': '*', 'cache-control': 'no-store' });
      res.end(JSON.stringify(body));
    };
    if (url.pathname === '/.well-known/openid-configuration') {
      return json(200, { issuer, authorization_endpoint: `${issuer}/authorize`, token_endpoint: `${issuer}/token`, jwks_uri: `${issuer}/jwks`, code_challenge_methods_supported: ['S256'] });
    }
    if (url.pathname === '/authorize') {
      const params = url.searchParams;
      authorizations.push(params);
      const redirectUri = params.get('redirect_uri') ?? '';
      if (params.get('response_type') !== 'code' || params.get('client_id') !== clientId || params.get('code_challenge_method') !== 'S256' || !params.get('code_challenge')) {
        res.writeHead(400).end('bad authorization request');
        return;
      }
      const code = randomBytes(16).toString('hex');
      codes.set(code, { challenge: params.get('code_challenge')!, redirectUri, used: false });
      const state = fake.forgeState ? 'not-the-state-sent' : (params.get('state') ?? '');
      res.writeHead(302, { location: `${redirectUri}?${new URLSearchParams({ code, state })}` }).end();
      return;
    }
    if (url.pathname === '/token' && req.method === 'POST') {
      let raw = '';
      req.on('data', (chunk) => (raw += chunk));
      req.on('end', async () => {
        const form = new URLSearchParams(raw);
        const grant = codes.get(form.get('code') ?? '');
        const verifier = form.get('code_verifier') ?? '';
        const verifierMatched = Boolean(grant) && createHash('sha256').update(verifier).digest('base64url') === grant!.challenge;
        exchanges.push({ verifierMatched });
        if (!grant || grant.used || !verifierMatched || form.get('grant_type') !== 'authorization_code' || form.get('client_id') !== clientId || form.get('redirect_uri') !== grant.redirectUri) {
          return json(400, { error: 'invalid_grant', error_description: 'the code, its verifier or its client do not match' });
        }
        grant.used = true;
        const accessToken = await new SignJWT({ agency: 'internal-dashboard', scope: 'aggregates:read' })
          .setProtectedHeader({ alg: 'ES256', kid: jwk.kid })
          .setIssuer(issuer)
          .setAudience(AUDIENCE)
          .setSubject('staff-officer-7')
          .setIssuedAt()
          .setExpirationTime('10m')
          .sign(privateKey as KeyLike);
        return json(200, { access_token: accessToken, token_type: 'Bearer', expires_in: 600 });
      });
      return;
    }
    res.writeHead(404).end();
  });
  issuer = (await listen(server, 0, '127.0.0.1')).replace(/\/$/, '');
  // The gateway trusts its tokens for the internal dashboard, as AUTH_TRUST would say.
  fake.trust = trustedIssuer({ issuer, jwks: { keys: [jwk] }, agencies: ['internal-dashboard'] });
  return fake;
}

let assetsDir: string;
beforeAll(async () => {
  // The page as `npm run build` makes it, built afresh from dashboard/.
  assetsDir = mkdtempSync(path.join(tmpdir(), 'dmx-dashboard-'));
  await buildDashboard(assetsDir, ROOT);
  mkdirSync(SCREENSHOTS, { recursive: true });
});
afterAll(() => rmSync(assetsDir, { recursive: true, force: true }));

describe('the dashboard page at the gateway', () => {
  const POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

  it('is served in production, its own files only, with a policy that allows nothing but the gateway itself', async () => {
    const gateway = await startGatewayOnly({ development: false, dashboard: { assetsDir, developmentToken: async () => 'never-in-production' } });
    try {
      const page = await fetch(`${base(gateway.url)}/dashboard`);
      expect(page.status).toBe(200);
      expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(page.headers.get('content-security-policy')).toBe(POLICY);
      expect(page.headers.get('x-content-type-options')).toBe('nosniff');
      expect(page.headers.get('x-frame-options')).toBe('DENY');
      expect(page.headers.get('referrer-policy')).toBe('no-referrer');
      expect(page.headers.get('cache-control')).toBe('no-store');
      const html = await page.text();
      // Nothing inline and nothing from elsewhere: every script and style is the gateway's own file.
      expect([...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((match) => match[1])).toEqual(['/dashboard/favicon.svg', '/dashboard/app.css', '/dashboard/app.js']);
      expect(html).not.toMatch(/<script>|<style>|style="/);

      for (const [file, type] of [['app.js', 'text/javascript; charset=utf-8'], ['app.css', 'text/css; charset=utf-8']]) {
        const asset = await fetch(`${base(gateway.url)}/dashboard/${file}`);
        expect(asset.status).toBe(200);
        expect(asset.headers.get('content-type')).toBe(type);
        expect(asset.headers.get('content-security-policy')).toBe(POLICY);
        // Chart.js is in the bundle (its licence notice with it), not loaded from elsewhere.
        if (file === 'app.js') expect(/Chart\.js v4/.test(await asset.text())).toBe(true);
      }
      // Compressed for a client that takes it (fetch does), and not sent again while it is the same.
      const script = await fetch(`${base(gateway.url)}/dashboard/app.js`);
      expect(script.headers.get('content-encoding')).toMatch(/^(br|gzip)$/);
      expect(script.headers.get('cache-control')).toBe('no-cache');
      const again = await fetch(`${base(gateway.url)}/dashboard/app.js`, { headers: { 'if-none-match': script.headers.get('etag')! } });
      expect(again.status).toBe(304);
      // Production never hands out a minted token, whatever it is given; with no identity provider configured, it says so.
      const config = (await (await fetch(`${base(gateway.url)}/dashboard/config.json`)).json()) as GraphQLAnswer;
      expect(config.auth).toEqual({ kind: 'none' });
      expect(config.purpose).toBe('STATISTICS');
      expect((await fetch(`${base(gateway.url)}/dashboard/nothing-here`)).status).toBe(404);
      expect((await fetch(`${base(gateway.url)}/dashboard`, { method: 'POST' })).status).toBe(405);
    } finally {
      await gateway.stop();
    }
  });

  it('lets the page reach the identity provider, and only it, when one is configured', async () => {
    const signIn = { issuer: 'https://id.migration.gov.az/realms/staff', clientId: 'dmx-dashboard', scope: 'openid aggregates:read' };
    const gateway = await startGatewayOnly({ development: false, dashboard: { assetsDir, signIn } });
    try {
      const page = await fetch(`${base(gateway.url)}/dashboard`);
      expect(page.headers.get('content-security-policy')).toBe(POLICY.replace("connect-src 'self'", "connect-src 'self' https://id.migration.gov.az"));
      expect(((await (await fetch(`${base(gateway.url)}/dashboard/config.json`)).json()) as GraphQLAnswer).auth).toEqual({ kind: 'oidc', ...signIn });
    } finally {
      await gateway.stop();
    }
  });
});

withBrowser('the dashboard page in a browser', () => {
  let graph: RunningGraph;
  let browser: Browser;
  let issuer: Awaited<ReturnType<typeof fakeIssuer>>;
  beforeAll(async () => {
    issuer = await fakeIssuer('dmx-dashboard');
    // Safelist mode, as a partner deployment: the page runs on its committed operations alone.
    graph = await startGraph({ persons: 200, development: true, persisted: 'safelist', dashboard: { assetsDir }, trust: [issuer.trust], presence: { intervalMs: 200 } });
    // The permits registry's status of who is present fills itself once; nothing is written afterwards, so it stands still.
    const dashboard = await graph.caller('internal-dashboard', 'STATISTICS');
    await eventually(async () => {
      // By its hash, as the safelist wants.
      const response = await fetch(graph.gatewayUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...dashboard },
        body: JSON.stringify({ extensions: { persistedQuery: { version: 1, sha256Hash: hashOf('DashboardPresence') } } }),
      });
      const { data } = (await response.json()) as { data?: { presenceStatistics: { statusAsOf: string } } };
      return data && data.presenceStatistics.statusAsOf > '1970-01-01T00:00:00Z';
    }, 'the presence status to fill', 120_000);
    browser = await launch();
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await graph?.stop();
    await issuer?.close();
  });

  it('gives its development token only to a visit from this machine that names it (not to a rebound name)', async () => {
    const config = async (host: string) => JSON.parse((await rawRequest(`${base(graph.gatewayUrl)}/dashboard/config.json`, { headers: { host } })).body.toString('utf8')) as { auth: { kind: string; token?: string } };
    expect((await config(new URL(graph.gatewayUrl).host)).auth).toMatchObject({ kind: 'development', token: expect.any(String) });
    expect((await config('evil.example')).auth).toEqual({ kind: 'none' });
  });

  it("signs the staff member in at the identity provider with PKCE in production, and calls the graph with the provider's token", async () => {
    const production = await graph.addGateway({ development: false, dashboard: { assetsDir, signIn: { issuer: issuer.issuer, clientId: 'dmx-dashboard', scope: 'openid aggregates:read' } } });
    try {
      const { page, offMachine, errors } = await offlinePage(browser);
      const sent: Record<string, string>[] = [];
      page.on('request', (request) => {
        if (request.url().endsWith('/graphql')) sent.push(request.headers());
      });
      await openDashboard(page, `${base(production.url)}/dashboard?${rangeQuery()}`);
      // Back from the provider: the code is gone from the address, the range kept.
      expect(page.url()).toBe(`${base(production.url)}/dashboard?${rangeQuery()}`);
      expect(issuer.authorizations).toHaveLength(1);
      expect(issuer.authorizations[0].get('redirect_uri')).toBe(`${base(production.url)}/dashboard`);
      expect(issuer.exchanges).toEqual([{ verifierMatched: true }]);
      // Every view asked with the provider's token for the staff member, as the internal dashboard.
      expect(sent).toHaveLength(4);
      for (const headers of sent) {
        expect(decodeJwt(headers.authorization.replace(/^Bearer /, ''))).toMatchObject({ iss: issuer.issuer, sub: 'staff-officer-7', agency: 'internal-dashboard' });
        expect(headers['x-dmx-purpose']).toBe('STATISTICS');
      }
      for (const view of ['applications', 'permits', 'payments'] as const) expect(await page.locator(`[data-view="${view}"]`).getAttribute('data-state')).toBe('ready');
      await expect(page.locator('#who').innerText()).resolves.toContain('Signed in at 127.0.0.1');
      // Nothing of the sign-in outlives the tab's session, and the verifier is gone once used.
      const stored = await page.evaluate('({ local: localStorage.length, session: Object.keys(sessionStorage) })');
      expect(stored).toEqual({ local: 0, session: ['dmx-dashboard:token'] });

      // A code sent back with another state than the tab sent is refused, and so is one no sign-in of this tab asked for.
      await page.evaluate('sessionStorage.clear()');
      issuer.forgeState = true;
      await page.goto(`${base(production.url)}/dashboard`, { waitUntil: 'load' });
      await page.locator('#status', { hasText: 'Sign-in failed' }).waitFor({ timeout: 30_000 });
      await expect(page.locator('#status').innerText()).resolves.toContain('does not carry the state this page sent');
      await page.goto(`${base(production.url)}/dashboard?code=forged&state=not-ours`, { waitUntil: 'load' });
      await page.locator('#status', { hasText: 'Sign-in failed' }).waitFor({ timeout: 30_000 });
      await expect(page.locator('#status').innerText()).resolves.toContain('no sign-in was started in this tab');
      expect(issuer.authorizations).toHaveLength(2);
      expect(issuer.exchanges).toHaveLength(1);
      expect(offMachine).toEqual([]);
      expect(errors).toEqual([]);
    } finally {
      await production.stop();
    }
  });

  it("shows the part of an answer that came and says why the rest did not; draws the presence contract's answer", async () => {
    const { page, offMachine, errors } = await offlinePage(browser);
    // The applications registry's counts fail while its series comes (a partial answer), and the
    // presence view gets an answer of the contract its API is being built to (issue 23), here in the
    // browser alone: the page is checked against that shape before the API lands.
    const presence = {
      asOf: TODAY,
      present: 1234,
      presentByCitizenship: [
        { citizenship: 'TUR', count: 410 },
        { citizenship: 'RUS', count: 17 },
        { citizenship: 'IRN', count: null },
        { citizenship: null, count: 12 },
      ],
      overstaying: 31,
      overstayingByCitizenship: [{ citizenship: 'TUR', count: 14 }, { citizenship: 'RUS', count: null }],
      overstayingByLength: [
        { minDays: 1, maxDays: 30, count: 19 },
        { minDays: 31, maxDays: 90, count: null },
        { minDays: 91, maxDays: null, count: null },
      ],
      registrationOverdue: null,
      statusAsOf: `${TODAY}T08:59:00.000Z`,
      suppressedBelow: 10,
    };
    const presenceHash = 'f'.repeat(64);
    await page.route('**/dashboard/config.json', async (route) => {
      const config = await (await route.fetch()).json();
      await route.fulfill({ json: { ...config, operations: { ...config.operations, DashboardPresence: presenceHash } } });
    });
    await page.route('**/graphql', async (route) => {
      const sent = route.request().postDataJSON();
      if (sent.operationName === 'DashboardPresence') {
        expect(sent.extensions.persistedQuery.sha256Hash).toBe(presenceHash);
        return route.fulfill({ json: { data: { presenceStatistics: presence } } });
      }
      const answer = await (await route.fetch()).json();
      if (sent.operationName !== 'DashboardApplications') return route.fulfill({ json: answer });
      return route.fulfill({
        json: {
          data: { ...answer.data, applicationStatistics: null },
          errors: [{ message: 'The counts could not be made.', path: ['applicationStatistics'], extensions: { code: 'INTERNAL_SERVER_ERROR' } }],
        },
      });
    });
    await openDashboard(page, `${base(graph.gatewayUrl)}/dashboard?${rangeQuery()}`);

    const applications = page.locator('[data-view="applications"]');
    expect(await applications.getAttribute('data-state')).toBe('partial');
    expect(await applications.locator('[data-panel="submittedApplications"] [data-key]').count()).toBeGreaterThan(0);
    const reasons = applications.locator('[data-panel="applicationStatistics"] .unavailable');
    expect(await reasons.allInnerTexts()).toEqual(Array(2).fill('Not shown: The counts could not be made (INTERNAL_SERVER_ERROR).'));
    expect(await reasons.first().isVisible()).toBe(true);
    expect(await applications.locator('[data-panel="applicationStatistics"] [data-key]').count()).toBe(0);

    expect(await page.locator('[data-view="presence"]').getAttribute('data-state')).toBe('ready');
    expect(await numbersOn(page, 'presence')).toEqual(expectedNumbers('presence', { presenceStatistics: presence }));
    expect(await page.locator('[data-view="presence"] [data-key="registrationOverdue"]').innerText()).toBe('fewer than 10');
    // Citizenships by their English names, with the code the passport prints.
    expect(await page.locator('[data-view="presence"] tbody th').allInnerTexts()).toEqual(expect.arrayContaining(['Türkiye (TUR)', 'Other or unknown']));
    await page.locator('[data-view="presence"]').scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(SCREENSHOTS, 'dashboard-partial-and-presence.png'), fullPage: true });
    expect(offMachine).toEqual([]);
    expect(errors).toEqual([]);
  });

  it('shows every view with the numbers the graph gives; a stopped registry leaves its views unavailable, the others whole', async () => {
    const { page, offMachine, errors } = await offlinePage(browser);
    let headers: Record<string, string> = {};
    page.on('request', (request) => {
      if (request.url().endsWith('/graphql')) headers = request.headers();
    });
    await openDashboard(page, `${base(graph.gatewayUrl)}/dashboard?${rangeQuery()}`);
    expect(headers.authorization).toMatch(/^Bearer /);
    expect(decodeJwt(headers.authorization.replace(/^Bearer /, ''))).toMatchObject({ agency: 'internal-dashboard' });

    const before: Partial<Record<ViewId, Record<string, string>>> = {};
    for (const view of VIEWS) {
      const state = await page.locator(`[data-view="${view}"]`).getAttribute('data-state');
      expect(`${view}: ${state}`).toBe(`${view}: ready`);
      const answer = await askAsThePage(graph.gatewayUrl, view, headers);
      expect(answer.errors).toBeUndefined();
      const expected = expectedNumbers(view, answer.data);
      // The demo world gives each view numbers, some withheld for being small: "fewer than N", never 0.
      expect(Object.keys(expected).length).toBeGreaterThan(3);
      before[view] = await numbersOn(page, view);
      expect(before[view]).toEqual(expected);
    }
    const withheld = Object.values(before).flatMap((numbers) => Object.values(numbers!)).filter((text) => text.startsWith('fewer than'));
    expect(withheld.length).toBeGreaterThan(0);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'dashboard.png'), fullPage: true });
    await page.screenshot({ path: path.join(SCREENSHOTS, 'dashboard-top.png') });

    // Another range picked in the form: the views over time count by month, as the graph does for the same range.
    await page.selectOption('#bucket', 'MONTH');
    await Promise.all([page.waitForURL(/bucket=MONTH/), page.click('#range-form button[type="submit"]')]);
    await page.locator('body[data-loaded="true"]').waitFor({ timeout: 60_000 });
    for (const view of ['applications', 'payments'] as const) {
      const answer = await askAsThePage(graph.gatewayUrl, view, headers, { ...RANGE, bucket: 'MONTH' });
      expect(answer.data[view === 'applications' ? 'submittedApplications' : 'paymentsByChannel'].bucket).toBe('MONTH');
      expect(await numbersOn(page, view)).toEqual(expectedNumbers(view, answer.data));
    }

    // The payments registry stops: its view says so; the others show what they showed.
    await graph.subgraphs.payments!.app.close();
    await openDashboard(page, `${base(graph.gatewayUrl)}/dashboard?${rangeQuery()}`);
    expect(await page.locator('[data-view="payments"]').getAttribute('data-state')).toBe('unavailable');
    const reason = page.locator('[data-view="payments"] .unavailable');
    expect(await reason.count()).toBe(1);
    expect(await reason.isVisible()).toBe(true);
    expect(await reason.innerText()).toBe('Not shown: the payments registry is unavailable (SUBGRAPH_UNAVAILABLE).');
    expect(await page.locator('[data-view="payments"] [data-key]').count()).toBe(0);
    for (const view of ['applications', 'permits'] as const) {
      expect(await page.locator(`[data-view="${view}"]`).getAttribute('data-state')).toBe('ready');
      expect(await numbersOn(page, view)).toEqual(before[view]);
    }
    await page.locator('[data-view="payments"]').scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(SCREENSHOTS, 'dashboard-payments-down.png'), fullPage: true });
    expect(offMachine).toEqual([]);
    expect(errors).toEqual([]);
  });
});
