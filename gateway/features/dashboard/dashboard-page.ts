import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { IncomingMessage } from 'node:http';
import { answerWhole, serveStaticAsset, StaticAsset } from '../../http/static-asset';
import { fromThisMachine } from '../../http/loopback';
import type { PageAnswer } from '../feature';
import type { PersistedOperationsManifest } from '../persisted-operations/persisted-operations';

/** Where the page is served, and the files `npm run build` writes for it (scripts/build-dashboard.ts). */
export const DASHBOARD_PATH = '/dashboard';
const FILES: Record<string, { file: string; type: string }> = {
  [DASHBOARD_PATH]: { file: 'index.html', type: 'text/html; charset=utf-8' },
  [`${DASHBOARD_PATH}/`]: { file: 'index.html', type: 'text/html; charset=utf-8' },
  [`${DASHBOARD_PATH}/app.js`]: { file: 'app.js', type: 'text/javascript; charset=utf-8' },
  [`${DASHBOARD_PATH}/app.css`]: { file: 'app.css', type: 'text/css; charset=utf-8' },
  [`${DASHBOARD_PATH}/favicon.svg`]: { file: 'favicon.svg', type: 'image/svg+xml' },
};
const CONFIG_PATH = `${DASHBOARD_PATH}/config.json`;

/** The committed operations the page sends by hash, one per view (test/operations/dashboard.graphql). */
export const DASHBOARD_OPERATIONS = ['DashboardApplications', 'DashboardPermits', 'DashboardPayments', 'DashboardPresence'] as const;
export const DASHBOARD_PURPOSE = 'STATISTICS';

/** Signing in with the staff member's own identity provider (OpenID Connect, authorization code with PKCE). */
export interface DashboardSignIn {
  issuer: string;
  clientId: string;
  scope: string;
}

export interface DashboardOptions {
  /** The built page (dist/dashboard). */
  assetsDir: string;
  /** The persisted operations the gateway accepts: the page learns its operations' hashes from it. */
  manifest: PersistedOperationsManifest;
  /** Development: a token minted for the internal-dashboard profile at each visit, as the IDE's presets get. */
  developmentToken?: () => Promise<string>;
  /** Production: the identity provider the page signs in with; absent, the page says sign-in is not configured. */
  signIn?: DashboardSignIn;
}

/** What the page is told at each visit (GET /dashboard/config.json): how to get a token, and what to send. */
export interface DashboardConfig {
  purpose: string;
  /** Operation name → SHA-256 of its committed text; an operation this gateway does not have is absent. */
  operations: Partial<Record<(typeof DASHBOARD_OPERATIONS)[number], string>>;
  auth: { kind: 'development'; token: string } | ({ kind: 'oidc' } & DashboardSignIn) | { kind: 'none' };
}

/** The dashboard's operations in the manifest, by name. */
export function dashboardOperations(manifest: PersistedOperationsManifest): DashboardConfig['operations'] {
  const operations: DashboardConfig['operations'] = {};
  for (const [hash, text] of Object.entries(manifest.operations)) {
    const name = /^\s*query\s+(\w+)/.exec(text)?.[1];
    if (name && (DASHBOARD_OPERATIONS as readonly string[]).includes(name)) operations[name as (typeof DASHBOARD_OPERATIONS)[number]] = hash;
  }
  return operations;
}

/**
 * The page's content security policy: scripts, styles and requests from the gateway itself only (and
 * requests to the identity provider's origin when one is configured, for its discovery document and
 * token endpoint); no frames, no forms, no plugins.
 */
export function contentSecurityPolicy(signIn?: DashboardSignIn): string {
  const connect = ["'self'", ...(signIn ? [new URL(signIn.issuer).origin] : [])].join(' ');
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self'",
    `connect-src ${connect}`,
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/**
 * Serves the dashboard page: its built files, and its configuration made at each visit (a fresh
 * development token, or where to sign in). Every answer carries the content security policy; the
 * page and its configuration are never cached, and no address is sent on as a referrer (the sign-in
 * callback's address holds a one-time code).
 */
export function dashboardPages(options: DashboardOptions): (req: IncomingMessage) => PageAnswer | undefined {
  const csp = contentSecurityPolicy(options.signIn);
  const operations = dashboardOperations(options.manifest);
  // Read at each request: the files are small and asked for once a visit, and a rebuilt page is served
  // at once. The same bytes as last time keep their asset, and with it their compressed copies.
  const kept = new Map<string, StaticAsset>();
  const assetOf = (file: string, type: string): StaticAsset | null => {
    let body: Buffer;
    try {
      body = readFileSync(path.join(options.assetsDir, file));
    } catch {
      return null;
    }
    const last = kept.get(file);
    if (last?.body.equals(body)) return last;
    const asset = new StaticAsset(type, body);
    kept.set(file, asset);
    return asset;
  };
  return (req) => {
    const pathname = new URL(req.url ?? '/', 'http://gateway').pathname;
    if (pathname !== DASHBOARD_PATH && !pathname.startsWith(`${DASHBOARD_PATH}/`)) return undefined;
    return async (res) => {
      const headers: Record<string, string> = {
        'content-security-policy': csp,
        'x-content-type-options': 'nosniff',
        'x-frame-options': 'DENY',
        'referrer-policy': 'no-referrer',
        'cross-origin-opener-policy': 'same-origin',
      };
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        answerWhole(req, res, 405, { ...headers, allow: 'GET, HEAD', 'content-type': 'text/plain; charset=utf-8' }, 'Method not allowed.\n');
        return;
      }
      if (pathname === CONFIG_PATH) {
        const config: DashboardConfig = {
          purpose: DASHBOARD_PURPOSE,
          operations,
          // A development token only to a visit from this machine that names it (loopback.ts).
          auth: options.developmentToken && fromThisMachine(req)
            ? { kind: 'development', token: await options.developmentToken() }
            : options.signIn
              ? { kind: 'oidc', ...options.signIn }
              : { kind: 'none' },
        };
        answerWhole(req, res, 200, { ...headers, 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' }, JSON.stringify(config));
        return;
      }
      const served = FILES[pathname];
      if (!served) {
        answerWhole(req, res, 404, { ...headers, 'content-type': 'text/plain; charset=utf-8' }, 'Not found.\n');
        return;
      }
      const asset = assetOf(served.file, served.type);
      if (!asset) {
        answerWhole(req, res, 503, { ...headers, 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' }, 'The dashboard is not built: run `npm run build`.\n');
        return;
      }
      // The files change with each release: checked again at each visit (304 while the same).
      await serveStaticAsset(req, res, asset, { cacheControl: served.file === 'index.html' ? 'no-store' : 'no-cache', headers });
    };
  };
}

