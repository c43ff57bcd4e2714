import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { ApolloServerPlugin } from '@apollo/server';
import Negotiator from 'negotiator';
import { introspectionFromSchema, type GraphQLSchema, type IntrospectionQuery } from 'graphql';
import { PURPOSE_HEADER } from '../../../protocol/headers';
import { GRAPHQL_PATHS } from '../../http/server';
import type { PageAnswer } from '../feature';
import { endCompressed } from '../../http/compression';
import { fromThisMachine } from '../../http/loopback';
import { serveStaticAsset } from '../../http/static-asset';
import { withAccessNotes } from '../authorization/contract-notes';
import type { AccessPolicy } from '../authorization/policy';
import { committedOperations, DEFAULT_IDE_PRESET, idePresets, type IdePreset } from './graphiql-presets';
import { IDE_ASSETS_PATH, IdeAssets, type IdeAddresses } from './ide-assets';

const TITLE = 'DMX registries graph';

export interface OfflineGraphiQLOptions {
  /** The headers of a caller of an agency with a purpose: a development token minted for it, at each visit. */
  caller?: (agency: string, purpose: string) => Promise<Record<string, string>>;
  /** The access policy the gateway enforces: which committed operation fits which preset. */
  policy: AccessPolicy;
  /** The committed operations' texts (the persisted operations manifest). */
  manifestTexts: readonly string[];
  /** Where the committed operations' files are, for the profile each declares (`# profile: <agency>`). */
  operationsDir: string;
  /** Safelist mode: only committed operations run, and the IDE says so. */
  safelist: boolean;
}

/** What the page carries for the browser: the presets with their headers, and what it needs to know of the mode. */
interface PageData {
  presets: (IdePreset & { headers: Record<string, string> })[];
  defaultPreset: string;
  safelist: boolean;
}

/**
 * Serves GraphiQL at the gateway's URL when a browser asks for a page (development only), with one
 * preset per agency profile and one without a token, switched in a bar above the IDE: each preset
 * calls with a development token minted for its agency at each visit (short-lived, see
 * authentication/token-lifetime.ts) and its first purpose, and opens on a committed operation it may run
 * (graphiql-presets.ts). Everything the page needs comes from the gateway (ide-assets.ts), so it
 * works on a machine with no internet; Apollo's default landing page loads its IDE from a CDN.
 *
 * The page is made at each visit, for its fresh tokens, and never stored (`no-store`); the IDE's
 * files it names are served once and then kept by the browser under addresses naming their
 * content, compressed when the browser takes it.
 *
 * In safelist mode only committed operations run: the page says so, its examples are committed
 * ones, and it gives the docs explorer the schema, since its introspection query would be
 * refused. That schema says the scopes each field needs, as schema/api.graphql does.
 */
export function offlineGraphiQL(options: OfflineGraphiQLOptions): { plugin: ApolloServerPlugin; page: (req: IncomingMessage) => PageAnswer | undefined } {
  let presets: IdePreset[] = [];
  const assets = new IdeAssets();
  const plugin: ApolloServerPlugin = {
    async serverWillStart() {
      return {
        schemaDidLoadOrUpdate({ apiSchema }) {
          // Read when the gateway starts: the committed operations as they are now.
          presets = idePresets(apiSchema, options.policy, committedOperations(options.manifestTexts, options.operationsDir));
          assets.setSchema(options.safelist ? schemaForDocs(apiSchema, options.policy) : undefined);
        },
      };
    },
  };
  const page = (req: IncomingMessage): PageAnswer | undefined => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return undefined;
    const pathname = new URL(req.url ?? '/', 'http://gateway').pathname;
    if (pathname.startsWith(`${IDE_ASSETS_PATH}/`)) {
      return async (res) => {
        const asset = assets.find(pathname);
        if (!asset) {
          const text = 'Not found: the IDE names its files anew when the gateway serves another build; load the page again.\n';
          res.writeHead(404, { ...PAGE_HEADERS, 'content-type': 'text/plain; charset=utf-8', 'content-length': String(Buffer.byteLength(text)) });
          res.end(text);
        } else {
          await serveStaticAsset(req, res, asset, { cacheControl: 'public, max-age=31536000, immutable', headers: PAGE_HEADERS });
        }
      };
    }
    if (!GRAPHQL_PATHS.includes(pathname) || !prefersHtml(req)) return undefined;
    return async (res) => {
      // Tokens only to a visit from this machine that names it (loopback.ts), and none for HEAD, which shows no page.
      const caller = req.method === 'GET' && fromThisMachine(req) ? options.caller : undefined;
      const withHeaders = await Promise.all(presets.map(async (preset) => ({ ...preset, headers: await presetHeaders(preset, caller) })));
      const nonce = randomBytes(16).toString('base64');
      const html = graphiQLPage(assets.addresses(), assets.schemaAddress, nonce, { presets: withHeaders, defaultPreset: DEFAULT_IDE_PRESET, safelist: options.safelist });
      const headers = {
        ...PAGE_HEADERS,
        'content-type': 'text/html; charset=utf-8',
        'cache-control': 'no-store',
        'referrer-policy': 'no-referrer',
        'content-security-policy': ideContentSecurityPolicy(nonce),
      };
      for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
      await endCompressed(req, res, html);
    };
  };
  return { plugin, page };
}

/** On the page and its files. */
const PAGE_HEADERS = { 'x-content-type-options': 'nosniff', 'x-frame-options': 'DENY' };

/**
 * The page's content security policy: it holds bearer tokens, so no script runs but the gateway's
 * files and the page's own (by this visit's nonce), and nothing is fetched from elsewhere. GraphiQL's
 * editor sets styles inline and its fonts and icons are data: URLs.
 */
export function ideContentSecurityPolicy(nonce: string): string {
  return [
    "default-src 'none'",
    `script-src 'self' 'nonce-${nonce}'`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "worker-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/**
 * Whether the request asks for a page rather than a GraphQL answer, as Apollo Server decides for its
 * landing page: text/html preferred over the GraphQL media types (a browser's navigation, not a client).
 */
function prefersHtml(req: IncomingMessage): boolean {
  const accept = req.headers.accept;
  return accept !== undefined && new Negotiator(req).mediaType(['application/json', 'application/graphql-response+json', 'text/html']) === 'text/html';
}

async function presetHeaders(preset: IdePreset, caller: OfflineGraphiQLOptions['caller']): Promise<Record<string, string>> {
  if (preset.purpose === null) return {};
  return { ...(caller ? await caller(preset.agency, preset.purpose) : {}), [PURPOSE_HEADER]: preset.purpose };
}

function schemaForDocs(apiSchema: GraphQLSchema, policy: AccessPolicy): IntrospectionQuery {
  return introspectionFromSchema(withAccessNotes(apiSchema, policy), { descriptions: true, specifiedByUrl: true, inputValueDeprecation: true, schemaDescription: true });
}

/** JSON that may stand inside a <script> element: no `<` that could close it. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c');
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"]/g, (char) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[char]!);
}

/** The page: the preset bar, then GraphiQL (Yoga's build of it) rendered with the chosen preset. */
function graphiQLPage(assets: IdeAddresses, schemaAddress: string | undefined, nonce: string, data: PageData): string {
  const choices = data.presets.map((preset) => `<option value="${escapeHtml(preset.agency)}">${escapeHtml(preset.label)}</option>`).join('');
  const safelistNote = data.safelist
    ? '<span class="dmx-safelist" id="dmx-safelist-note" title="PERSISTED_OPERATIONS=safelist: the operations of schema/persisted-operations.json (from test/operations) run, nothing else; propose another by committing it to test/operations.">Safelist mode: only the committed operations run</span>'
    : '';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8" />
<title>${TITLE}</title>
<link rel="icon" href="${assets.favicon}" />
<link rel="stylesheet" href="${assets.styles}" />
<style>
  :root { --dmx-bar-height: 40px; }
  #dmx-ide-bar { box-sizing: border-box; height: var(--dmx-bar-height); display: flex; align-items: center; gap: 12px; padding: 0 16px;
    font: 14px system-ui, sans-serif; color: #3b3b4f; background: #f4f4f8; border-bottom: 1px solid #dcdce6; white-space: nowrap; overflow: hidden; }
  #dmx-ide-bar select { font: inherit; padding: 2px 6px; }
  #dmx-preset-detail { color: #6b6b80; overflow: hidden; text-overflow: ellipsis; }
  .dmx-safelist { margin-left: auto; color: #8a4b00; font-weight: 600; overflow: hidden; text-overflow: ellipsis; }
  .graphiql-container { height: calc(100vh - var(--dmx-bar-height)); }
</style>
</head>
<body>
<noscript>The IDE needs JavaScript.</noscript>
<header id="dmx-ide-bar">
  <label for="dmx-preset">Calling as</label>
  <select id="dmx-preset" aria-label="Agency preset">${choices}</select>
  <span id="dmx-preset-detail"></span>
  ${safelistNote}
</header>
<div id="root"></div>
${schemaAddress ? `<script src="${schemaAddress}"></script>\n` : ''}<script nonce="${nonce}">
(function () {
  var ide = ${scriptJson(data)};
  var stored = function (key) { try { return localStorage.getItem(key); } catch (e) { return null; } };
  var store = function (key, value) { try { value === null ? localStorage.removeItem(key) : localStorage.setItem(key, value); } catch (e) {} };
  var find = function (agency) { return ide.presets.filter(function (p) { return p.agency === agency; })[0]; };
  var preset = find(new URLSearchParams(location.search).get('preset')) || find(stored('dmx:ide-preset')) || find(ide.defaultPreset) || ide.presets[0];
  var headers = JSON.stringify(preset.headers, null, 2);
  var token = (preset.headers.authorization || '').replace(/^Bearer\\s+/i, '');

  // GraphiQL keeps its tabs, with their headers, in this browser. Another preset starts from its own
  // example; the same preset keeps the tabs and gets the token just minted in place of the last one.
  // (GraphiQL keeps the tabs, and the editors' contents apart from them.)
  if (stored('dmx:ide-preset') !== preset.agency) {
    ['tabState', 'query', 'variables', 'headers'].forEach(function (key) { store('graphiql:' + key, null); });
  } else {
    var previous = stored('dmx:ide-token');
    ['tabState', 'headers'].forEach(function (key) {
      var kept = stored('graphiql:' + key);
      if (previous && token && kept) store('graphiql:' + key, kept.split(previous).join(token));
    });
  }
  var fresh = !stored('graphiql:tabState');
  store('dmx:ide-preset', preset.agency);
  store('dmx:ide-token', token || null);

  var select = document.getElementById('dmx-preset');
  select.value = preset.agency;
  select.addEventListener('change', function () { location.search = '?preset=' + encodeURIComponent(select.value); });
  var until = '';
  try { until = new Date(JSON.parse(atob(token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/'))).exp * 1000).toLocaleTimeString(); } catch (e) {}
  document.getElementById('dmx-preset-detail').textContent = preset.purpose
    ? 'purpose ' + preset.purpose + ' · scopes ' + preset.scopes.join(', ') + (until ? ' · token minted at page load, valid until ' + until + ' (reload for a new one)' : '')
    : 'no token: only public fields answer';

  var example = preset.example;
  var intro = [
    '# Calling as ' + preset.label + (preset.purpose ? ' (' + preset.agency + '), purpose ' + preset.purpose + '.' : '.'),
    example.committed
      ? '# ' + example.operationName + ' is a committed operation (test/operations); its variables name the demo\\'s well-known records.'
      : '# No committed operation fits this profile; this one is written from its scopes' + (ide.safelist ? ' and is refused in safelist mode.' : '.'),
    '# Switch the caller above; the docs explorer (left) says which scopes each field needs.',
  ];
  window.dmxIde = {
    preset: preset.agency,
    options: {
      title: ${JSON.stringify(TITLE)},
      endpoint: '/',
      method: 'POST',
      headers: headers,
      defaultTabs: [{ query: intro.join('\\n') + '\\n' + example.text + '\\n', variables: JSON.stringify(example.variables, null, 2), headers: headers }],
      // Safelist mode: the schema's script (ide-assets.ts), loaded before this one.
      schema: self.dmxIdeSchema
    }
  };
  // GraphiQL fills the variables editor from this, not from the first tab; only on a fresh start, or
  // it would open a tab of its own beside the ones kept.
  if (fresh) window.dmxIde.options.variables = JSON.stringify(example.variables, null, 2);
})();
</script>
<script nonce="${nonce}">
  // The editor's workers, from the gateway as the rest.
  self.MonacoEnvironment = { globalAPI: false, getWorkerUrl: function (moduleId, label) { return ${scriptJson(assets.workers)}[label]; } };
</script>
<script src="${assets.script}"></script>
<script nonce="${nonce}">
YogaGraphiQL.renderYogaGraphiQL(document.getElementById('root'), window.dmxIde.options);
</script>
</body>
</html>
`;
}
