import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
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
  });
  afterAll(async () => {
    await browser?.close();
    await graph?.stop();
  });

  it('loads with no request leaving this machine, and runs a query against the graph', async () => {
    const page = await browser.newPage();
    const offMachine: string[] = [];
    await page.route('**/*', (route) => {
      const url = new URL(route.request().url());
      if (['http:', 'https:', 'ws:', 'wss:'].includes(url.protocol) && !['127.0.0.1', 'localhost'].includes(url.hostname)) {
        offMachine.push(url.href);
        return route.abort();
      }
      return route.continue();
    });
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));

    const response = await page.goto(graph.gatewayUrl, { waitUntil: 'load' });
    expect(response?.status()).toBe(200);
    expect(await page.title()).toBe('DMX registries graph');

    // The default query lists persons; run it with the editor's shortcut and read the result pane.
    await page.locator('.graphiql-query-editor').first().click();
    const answered = page.waitForResponse((r) => r.request().method() === 'POST' && (r.request().postData() ?? '').includes('FirstPersons'));
    await page.keyboard.press('Control+Enter');
    const answer = await (await answered).json();
    expect(answer.data.persons.totalCount).toBe(20);
    // The result pane shows it (Monaco renders spaces as no-break spaces).
    await page.waitForFunction(
      () => (document.querySelector('.graphiql-response') as HTMLElement | null)?.innerText.replace(/\u00a0/g, ' ').includes('"totalCount": 20'),
      undefined,
      { timeout: 10_000 },
    );
    await page.screenshot({ path: 'test/artifacts/graphiql.png' });

    expect(offMachine).toEqual([]);
    expect(errors).toEqual([]);
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
