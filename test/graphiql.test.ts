import { existsSync, mkdirSync } from 'node:fs';
import { decodeJwt } from 'jose';
import { chromium, type Browser, type Page } from 'playwright-core';
import { CALLING_AGENCIES } from '../gateway/features/authorization/agencies';
import { rawRequest, type RawAnswer } from '../platform/testing/raw-http';
import { keepOnThisMachine } from './offline-browser';
import { startGatewayOnly, startGraph, type RunningGraph } from './harness';

/**
 * The IDE developers explore the schema with, in a real browser that may reach nothing but this
 * machine: the page must load and run a query with no internet. Needs Debian's chromium
 * (installed by .ci/run); CHROMIUM_PATH names another binary.
 */
const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const withBrowser = existsSync(chromiumPath) ? describe : describe.skip;

withBrowser('the offline GraphQL IDE', () => {
  let graph: RunningGraph;
  let browser: Browser;
  beforeAll(async () => {
    graph = await startGraph({ persons: 20, development: true });
    browser = await chromium.launch({
      executablePath: chromiumPath,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
    });
    // The graph and a browser start on a machine that may be busy.
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await graph?.stop();
  });

  it('loads with no request leaving this machine, and runs a query against the graph', async () => {
    const page = await browser.newPage();
    const offMachine = await keepOnThisMachine(page);
    const errors: string[] = [];
    watchErrors(page, errors);

    const response = await page.goto(graph.gatewayUrl, { waitUntil: 'load' });
    expect(response?.status()).toBe(200);
    expect(await page.title()).toBe('DMX registries graph');

    // The default preset (the administrator) opens on a committed page of persons; run it with the
    // editor's shortcut and read the result pane.
    await page.locator('.graphiql-query-editor').first().click();
    const answered = page.waitForResponse((r) => r.request().method() === 'POST' && (r.request().postData() ?? '').includes('PersonsWithRelations'));
    await page.keyboard.press('Control+Enter');
    const answer = await (await answered).json();
    expect(answer.errors).toBeUndefined();
    expect(answer.data.persons.nodes).toHaveLength(5);
    // The result pane shows it (Monaco renders spaces as no-break spaces).
    await resultPaneShows(page, `"id": "${answer.data.persons.nodes[0].id}"`);
    await page.screenshot({ path: 'test/artifacts/graphiql.png' });

    expect(offMachine).toEqual([]);
    expect(errors).toEqual([]);
  });

  it("opens the schema in the docs explorer: the IDE's introspection is answered, Person found with its fields' descriptions", async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const errors: string[] = [];
    watchErrors(page, errors);
    // GraphiQL's own introspection query (named fragments FullType, InputValue, TypeRef) as the page sends it.
    const introspected = page.waitForResponse((r) => r.request().method() === 'POST' && (r.request().postData() ?? '').includes('IntrospectionQuery'));
    await page.goto(graph.gatewayUrl, { waitUntil: 'load' });
    const introspection = await introspected;
    expect(introspection.status()).toBe(200);
    expect((await introspection.json()).errors).toBeUndefined();

    await page.locator('.graphiql-sidebar button[aria-label="Show Documentation Explorer"]').click();
    await page.locator('.graphiql-doc-explorer-root-type').first().waitFor({ timeout: 15_000 });
    await page.locator('[data-cy="doc-explorer-input"]').fill('Person');
    await page.locator('[data-cy="doc-explorer-list"] .graphiql-doc-explorer-search-type', { hasText: /^Person$/ }).click();
    await page.locator('.graphiql-doc-explorer-title', { hasText: /^Person$/ }).waitFor({ timeout: 10_000 });
    const content = page.locator('.graphiql-doc-explorer-content');
    await content.getByText("The person's applications, oldest first", { exact: false }).first().waitFor({ timeout: 10_000 });
    expect(await page.locator('.graphiql-doc-explorer-error').count()).toBe(0);

    mkdirSync('test/screenshots', { recursive: true });
    await page.screenshot({ path: 'test/screenshots/graphiql-docs-person.png' });
    expect(errors).toEqual([]);
  });

  it('offers a preset per agency profile: the border service runs its committed example and sees data, no FORBIDDEN', async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const errors: string[] = [];
    watchErrors(page, errors);
    await page.goto(graph.gatewayUrl, { waitUntil: 'load' });
    const presets = await page.locator('#dmx-preset option').evaluateAll((options) => options.map((option) => (option as unknown as { value: string }).value));
    const agencies = CALLING_AGENCIES;
    expect(presets).toEqual([...agencies, 'public']);

    // The switcher loads the page again for the chosen preset.
    await Promise.all([page.waitForURL(/preset=border-service/), page.selectOption('#dmx-preset', 'border-service')]);
    await page.waitForLoadState('load');
    await expect(page.locator('#dmx-preset-detail').innerText()).resolves.toContain('purpose BORDER_CONTROL');
    await page.locator('.graphiql-query-editor').first().click();
    const answered = page.waitForResponse((r) => r.request().method() === 'POST' && (r.request().postData() ?? '').includes('StatusByDocument'));
    await page.keyboard.press('Control+Enter');
    const response = await answered;
    // Sent as the border service: a token minted for it, and its first purpose.
    const headers = response.request().headers();
    expect(headers['x-dmx-purpose']).toBe('BORDER_CONTROL');
    expect(decodeJwt(headers.authorization.replace(/^Bearer /, ''))).toMatchObject({ agency: 'border-service' });
    const answer = await response.json();
    expect(JSON.stringify(answer)).not.toContain('FORBIDDEN');
    expect(answer.errors).toBeUndefined();
    expect(answer.data.personByDocument.givenName).toBe('Emre');
    await resultPaneShows(page, '"givenName": "Emre"');
    mkdirSync('test/screenshots', { recursive: true });
    await page.screenshot({ path: 'test/screenshots/graphiql-presets.png' });

    // Loaded again, the page keeps the preset.
    await page.goto(graph.gatewayUrl, { waitUntil: 'load' });
    expect(await page.locator('#dmx-preset').inputValue()).toBe('border-service');
    expect(errors).toEqual([]);
  });

  it('stays usable in safelist mode: committed examples run, the page says only they do, the docs need no introspection', async () => {
    const safelisted = await startGraph({ persons: 5, development: true, persisted: 'safelist' });
    try {
      const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
      const errors: string[] = [];
      watchErrors(page, errors);
      const introspections: string[] = [];
      page.on('request', (request) => {
        if ((request.postData() ?? '').includes('__schema')) introspections.push(request.url());
      });
      await page.goto(`${safelisted.gatewayUrl}?preset=bank`, { waitUntil: 'load' });
      await expect(page.locator('#dmx-safelist-note').innerText()).resolves.toContain('only the committed operations run');
      await page.locator('.graphiql-query-editor').first().click();
      const answered = page.waitForResponse((r) => r.request().method() === 'POST' && (r.request().postData() ?? '').includes('PaymentByCode'));
      await page.keyboard.press('Control+Enter');
      const answer = await (await answered).json();
      expect(answer.errors).toBeUndefined();
      expect(answer.data.paymentByCode.code).toBe('000000000000');
      await resultPaneShows(page, '"code": "000000000000"');
      // The schema comes with the page (an introspection query is not a committed operation), with the scopes each field needs.
      await page.locator('.graphiql-sidebar button[aria-label="Show Documentation Explorer"]').click();
      await page.locator('[data-cy="doc-explorer-input"]').fill('Payment');
      await page.locator('[data-cy="doc-explorer-list"] .graphiql-doc-explorer-search-type', { hasText: /^Payment$/ }).click();
      await page.locator('.graphiql-doc-explorer-title', { hasText: /^Payment$/ }).waitFor({ timeout: 10_000 });
      // A type lists its fields with the first paragraph of each description; a field shows it whole, with its scopes.
      await page.locator('.graphiql-doc-explorer-field-name', { hasText: /^payer$/ }).first().click();
      await page.locator('.graphiql-doc-explorer-title', { hasText: /^payer$/ }).waitFor({ timeout: 10_000 });
      await page.locator('.graphiql-doc-explorer-content').getByText(/Needs the scope payments:read/).first().waitFor({ timeout: 10_000 });
      mkdirSync('test/screenshots', { recursive: true });
      await page.screenshot({ path: 'test/screenshots/graphiql-presets-safelist.png' });
      expect(introspections).toEqual([]);
      expect(errors).toEqual([]);
    } finally {
      await safelisted.stop();
    }
  }, 180_000);

  it('sends a small page naming its files: the browser keeps them, compressed; a second visit asks for the page alone', async () => {
    const page = await browser.newPage();
    // No request routing here: Playwright's routing turns the browser's cache off.
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Network.enable');
    interface Seen {
      path: string;
      method: string;
      cached: boolean;
      bytes: number;
      encoding?: string;
    }
    const visits: Seen[][] = [];
    const byId = new Map<string, Seen>();
    cdp.on('Network.requestWillBeSent', (event) => {
      if (!event.request.url.startsWith('http')) return;
      const seen = { path: new URL(event.request.url).pathname.replace(/\.[\w-]{16}\./, '.<hash>.'), method: event.request.method, cached: false, bytes: 0 };
      byId.set(event.requestId, seen);
      visits.at(-1)!.push(seen);
    });
    const update = (id: string, change: (seen: Seen) => void) => {
      const seen = byId.get(id);
      if (seen) change(seen);
    };
    cdp.on('Network.requestServedFromCache', (event) => update(event.requestId, (seen) => (seen.cached = true)));
    cdp.on('Network.responseReceived', (event) =>
      update(event.requestId, (seen) => {
        seen.cached ||= event.response.fromDiskCache ?? false;
        seen.encoding = event.response.headers['content-encoding'];
      }),
    );
    cdp.on('Network.loadingFinished', (event) => update(event.requestId, (seen) => (seen.bytes = event.encodedDataLength)));
    const errors: string[] = [];
    watchErrors(page, errors);

    for (const _ of [1, 2]) {
      visits.push([]);
      await page.goto(graph.gatewayUrl, { waitUntil: 'load' });
      await page.locator('.graphiql-query-editor').first().waitFor();
      await page.waitForLoadState('networkidle');
    }
    const [first, second] = visits as [Seen[], Seen[]];
    const files = ['/ide/favicon.<hash>.ico', '/ide/graphiql.<hash>.css', '/ide/graphiql.<hash>.js'];
    const pageOf = (visit: Seen[]) => visit.find((seen) => seen.path === '/' && seen.method === 'GET')!;
    // The page (about 6 KB, 9 MB when it carried the IDE inline) and its files, compressed.
    expect(pageOf(first).bytes).toBeLessThan(20_000);
    expect(first.filter((seen) => files.includes(seen.path)).map((seen) => [seen.path, seen.encoding, seen.cached]).sort()).toEqual(files.map((path) => [path, 'br', false]));
    // The editor's workers come from the gateway too (their answers reach the workers, not this page's log).
    expect(visits.flat().some((seen) => /^\/ide\/\w+\.worker\.<hash>\.js$/.test(seen.path))).toBe(true);
    // Again: the page anew (its tokens are fresh), every file from the browser's cache.
    expect(pageOf(second).cached).toBe(false);
    expect(second.filter((seen) => files.includes(seen.path)).map((seen) => [seen.path, seen.cached]).sort()).toEqual(files.map((path) => [path, true]));
    expect(errors).toEqual([]);
  });

  it('answers HEAD for the page as GET, and a file it does not have with 404', async () => {
    const page = await fetch(graph.gatewayUrl, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    expect(page.headers.get('cache-control')).toBe('no-store');
    const html = await page.text();
    const script = /<script src="(\/ide\/graphiql\.[\w-]{16}\.js)">/.exec(html)?.[1];
    expect(script).toBeDefined();
    // HEAD: the headers GET gives, no body.
    const asked = { accept: 'text/html', 'accept-encoding': 'gzip' };
    const [get, head] = [await rawRequest(graph.gatewayUrl, { headers: asked }), await rawRequest(graph.gatewayUrl, { method: 'HEAD', headers: asked })];
    const kept = ({ headers }: RawAnswer) => ({ type: headers['content-type'], cache: headers['cache-control'], coding: headers['content-encoding'], vary: headers.vary });
    expect(kept(head)).toEqual(kept(get));
    expect(kept(get)).toEqual({ type: 'text/html; charset=utf-8', cache: 'no-store', coding: 'gzip', vary: expect.stringContaining('Accept-Encoding') });
    // The page's scripts run by this visit's nonce, and nothing comes from elsewhere.
    const policy = String(get.headers['content-security-policy']);
    const nonce = /'nonce-([^']+)'/.exec(policy)?.[1];
    expect(policy).toMatch(/^default-src 'none'; script-src 'self' 'nonce-[^']+';/);
    expect(html.match(/<script nonce="/g)?.length).toBeGreaterThanOrEqual(3);
    expect(html).not.toMatch(/<script>/);
    expect(nonce).not.toBe(/'nonce-([^']+)'/.exec(String(head.headers['content-security-policy']))?.[1]);
    expect([head.status, head.body.length]).toEqual([200, 0]);
    // The presets' tokens go to a visit from this machine that names it, not to a page whose own name
    // was made to point here (DNS rebinding): that one gets the presets without tokens.
    expect(html).toMatch(/Bearer ey/);
    const rebound = await rawRequest(graph.gatewayUrl, { headers: { accept: 'text/html', host: 'evil.example' } });
    expect(rebound.status).toBe(200);
    expect(rebound.body.toString('utf8')).not.toMatch(/Bearer ey/);
    const file = await fetch(new URL(script!, graph.gatewayUrl));
    expect(file.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    const missing = await fetch(new URL('/ide/graphiql.0000000000000000.js', graph.gatewayUrl));
    expect(missing.status).toBe(404);
    expect(await missing.text()).toContain('load the page again');
  });

  it('is not served in production', async () => {
    const gateway = await startGatewayOnly({ development: false });
    try {
      const response = await fetch(gateway.url, { headers: { accept: 'text/html' } });
      expect(await response.text()).not.toMatch(/graphiql/i);
    } finally {
      await gateway.stop();
    }
  });
});

/** Collects the page's uncaught errors and what its content security policy refused (Chromium logs each refusal). */
function watchErrors(page: Page, errors: string[]): void {
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error' && /Content Security Policy/i.test(message.text())) errors.push(message.text());
  });
}

/** Waits until GraphiQL's result pane shows `text` (Monaco renders spaces as no-break spaces). */
async function resultPaneShows(page: Page, text: string): Promise<void> {
  const pane = page.locator('.graphiql-response').first();
  const deadline = Date.now() + 10_000;
  let shown = '';
  while (Date.now() < deadline) {
    shown = (await pane.innerText()).replace(/\u00a0/g, ' ');
    if (shown.includes(text)) return;
    await page.waitForTimeout(100);
  }
  expect(shown).toContain(text);
}
