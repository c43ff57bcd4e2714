import type { Page } from 'playwright-core';

/**
 * Lets `page` reach this machine alone, as a browser with no internet: every request elsewhere is
 * aborted and listed in the array returned, which a test expects empty.
 */
export async function keepOnThisMachine(page: Page): Promise<string[]> {
  const offMachine: string[] = [];
  await page.route('**/*', (route) => {
    const url = new URL(route.request().url());
    if (['http:', 'https:', 'ws:', 'wss:'].includes(url.protocol) && !['127.0.0.1', 'localhost'].includes(url.hostname)) {
      offMachine.push(url.href);
      return route.abort();
    }
    return route.continue();
  });
  return offMachine;
}
