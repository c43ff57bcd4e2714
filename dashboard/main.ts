import './app.css';
import { describeError, sendOperation, reasonsFor, type Caller } from './graph';
import { element } from './render';
import { callbackCode, discover, exchangeCode, startSignIn, type PendingSignIn, type SignedIn, type SignInSettings } from './sign-in';
import { defaultRange, type Range } from './range';
import { VIEWS, type View } from './views';

/** What the gateway tells the page at each visit (gateway/features/dashboard/dashboard-page.ts). */
interface DashboardConfig {
  purpose: string;
  operations: Partial<Record<View['operation'], string>>;
  auth: { kind: 'development'; token: string } | ({ kind: 'oidc' } & SignInSettings) | { kind: 'none' };
}

// The tab's session only: gone when the tab closes.
const PENDING_KEY = 'dmx-dashboard:sign-in';
const TOKEN_KEY = 'dmx-dashboard:token';
const PAGE_PATH = '/dashboard';

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

/** The range in the address (so a view can be bookmarked), else the last 12 weeks by week. */
function rangeFromAddress(): Range {
  const params = new URLSearchParams(location.search);
  const fallback = defaultRange(new Date());
  const day = (value: string | null, otherwise: string) => (value && /^\d{4}-\d{2}-\d{2}$/.test(value) ? value : otherwise);
  return {
    from: day(params.get('from'), fallback.from),
    to: day(params.get('to'), fallback.to),
    bucket: params.get('bucket') === 'MONTH' ? 'MONTH' : fallback.bucket,
  };
}

function status(text: string, kind: 'info' | 'error' = 'info', action?: { label: string; run: () => void }): void {
  const box = $('status');
  box.className = `status ${kind}`;
  box.replaceChildren(text, ...(action ? [' ', element('button', { type: 'button' }, action.label)] : []));
  if (action) box.querySelector('button')!.addEventListener('click', action.run);
  box.hidden = false;
}

function readSession<T>(key: string): T | null {
  try {
    return JSON.parse(sessionStorage.getItem(key) ?? 'null') as T | null;
  } catch {
    return null;
  }
}

/**
 * The staff member's own token: from the provider's answer when it just sent the tab back, from the
 * tab's session while it lasts, or else by going to the provider to sign in (null: the tab is leaving).
 */
async function signedInToken(settings: SignInSettings, forceNew = false): Promise<string | null> {
  const redirectUri = `${location.origin}${PAGE_PATH}`;
  const params = new URLSearchParams(location.search);
  if (params.has('state') && (params.has('code') || params.has('error'))) {
    const pending = readSession<PendingSignIn>(PENDING_KEY);
    sessionStorage.removeItem(PENDING_KEY);
    // The code is used once, and leaves the address at once.
    history.replaceState(null, '', `${PAGE_PATH}${pending?.returnTo ?? ''}`);
    const code = callbackCode(params, pending);
    const discovery = await discover(settings.issuer);
    const signedIn = await exchangeCode(discovery, settings, redirectUri, code, pending!, Date.now());
    sessionStorage.setItem(TOKEN_KEY, JSON.stringify(signedIn));
    return signedIn.accessToken;
  }
  const kept = readSession<SignedIn>(TOKEN_KEY);
  if (!forceNew && kept && kept.expiresAt > Date.now() + 30_000) return kept.accessToken;
  sessionStorage.removeItem(TOKEN_KEY);
  const discovery = await discover(settings.issuer);
  const { pending, url } = await startSignIn(discovery, settings, redirectUri, location.search);
  sessionStorage.setItem(PENDING_KEY, JSON.stringify(pending));
  status(`Signing in at ${new URL(discovery.authorization_endpoint).host}…`);
  location.assign(url);
  return null;
}

function viewSection(view: View): HTMLElement {
  return element(
    'section',
    { class: 'view', id: `view-${view.id}`, 'data-view': view.id, 'data-state': 'loading', 'aria-labelledby': `view-${view.id}-title`, 'aria-busy': 'true' },
    element('h2', { id: `view-${view.id}-title` }, view.title),
    element('p', { class: 'view-note' }, view.note),
    element('p', { class: 'loading' }, 'Loading…'),
  );
}

function unavailable(section: HTMLElement, what: string, reasons: string[]): HTMLElement {
  const box = element('div', { class: 'unavailable', role: 'status' }, element('strong', {}, `${what}: `), reasons.join('; ') || 'no answer', '.');
  section.append(box);
  return box;
}

/** Asks for one view and shows it: each panel whose part of the answer came, and why the others did not. */
async function showView(view: View, section: HTMLElement, config: DashboardConfig, caller: Caller, range: Range): Promise<number> {
  section.querySelector('.loading')?.remove();
  const hash = config.operations[view.operation];
  if (!hash) {
    unavailable(section, 'Not shown', [`this gateway has no committed ${view.operation} operation (its API is not deployed here yet)`]);
    return finish(section, 'unavailable', 0);
  }
  const answer = await sendOperation<Record<string, unknown>>(view.operation, hash, view.variables(range), caller);
  let shown = 0;
  const missing = new Set<string>();
  const grid = element('div', { class: 'panels' });
  section.append(grid);
  for (const panel of view.panels) {
    const article = element('article', { class: panel.wide ? 'panel wide' : 'panel', 'data-panel': panel.rootField }, element('h3', {}, panel.title));
    grid.append(article);
    const part = answer.data?.[panel.rootField];
    let reasons: string[];
    if (part === null || part === undefined) {
      reasons = reasonsFor(answer, panel.rootField);
    } else {
      try {
        article.append(...panel.render(answer.data as never));
        shown += 1;
        continue;
      } catch (error) {
        reasons = [`the page could not show the answer (${(error as Error).message})`];
      }
    }
    unavailable(article, 'Not shown', reasons);
    reasons.forEach((reason) => missing.add(reason));
  }
  // Nothing came: one message for the view in place of its empty panels.
  if (shown === 0) {
    grid.remove();
    unavailable(section, 'Not shown', [...missing]);
  }
  // Errors that left the data whole (a withheld field) are said once under the view.
  if (shown === view.panels.length && answer.errors.length > 0) {
    section.append(element('p', { class: 'view-note' }, `Notes from the graph: ${answer.errors.map(describeError).join('; ')}.`));
  }
  return finish(section, shown === 0 ? 'unavailable' : shown < view.panels.length ? 'partial' : 'ready', answer.status);
}

function finish(section: HTMLElement, state: 'ready' | 'partial' | 'unavailable', httpStatus: number): number {
  section.dataset.state = state;
  section.removeAttribute('aria-busy');
  return httpStatus;
}

function showRange(range: Range): void {
  $<HTMLInputElement>('from').value = range.from;
  $<HTMLInputElement>('to').value = range.to;
  $<HTMLSelectElement>('bucket').value = range.bucket;
  $('range-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const params = new URLSearchParams({ from: $<HTMLInputElement>('from').value, to: $<HTMLInputElement>('to').value, bucket: $<HTMLSelectElement>('bucket').value });
    location.search = params.toString();
  });
}

async function main(): Promise<void> {
  const range = rangeFromAddress();
  showRange(range);
  const views = $('views');
  const sections = VIEWS.map((view) => {
    const section = viewSection(view);
    views.append(section);
    return section;
  });
  let config: DashboardConfig;
  try {
    const response = await fetch(`${PAGE_PATH}/config.json`, { headers: { accept: 'application/json' } });
    if (!response.ok) throw new Error(`the gateway answered ${response.status}`);
    config = (await response.json()) as DashboardConfig;
  } catch (error) {
    status(`The dashboard's settings could not be read: ${(error as Error).message}.`, 'error');
    for (const section of sections) {
      section.querySelector('.loading')?.remove();
      unavailable(section, 'Not shown', ['the page has no settings']);
      finish(section, 'unavailable', 0);
    }
    return;
  }

  let token: string | null = null;
  const auth = config.auth;
  if (auth.kind === 'development') {
    token = auth.token;
    $('who').textContent = 'Development: a token minted for the internal dashboard at page load.';
  } else if (auth.kind === 'oidc') {
    try {
      token = await signedInToken(auth);
      if (token === null) return;
      $('who').textContent = `Signed in at ${new URL(auth.issuer).host}.`;
    } catch (error) {
      status(`Sign-in failed: ${(error as Error).message}.`, 'error', { label: 'Sign in again', run: () => void signedInToken(auth, true) });
    }
  } else {
    status('No sign-in is configured for this dashboard (DASHBOARD_OIDC_ISSUER): the views answer only with a token.', 'error');
  }

  const caller: Caller = { token, purpose: config.purpose };
  const statuses = await Promise.all(VIEWS.map((view, index) => showView(view, sections[index], config, caller, range)));
  if (auth.kind === 'oidc' && statuses.includes(401)) {
    sessionStorage.removeItem(TOKEN_KEY);
    status('Your sign-in has expired or was refused.', 'error', { label: 'Sign in again', run: () => void signedInToken(auth, true) });
  }
  document.body.dataset.loaded = 'true';
}

void main();
