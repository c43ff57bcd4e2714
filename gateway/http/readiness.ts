/**
 * Readiness: whether the gateway can serve, which is more than being alive. It is ready when its
 * supergraph is loaded (it listens only then) and each service behind it answers its health check:
 * the four registries and the audit log, without which no personal data leaves. A load balancer
 * sends traffic only to a ready gateway; the answer names what is down.
 */
export interface Readiness {
  ready: boolean;
  /** Each service the gateway depends on: `up`, or `down` with why. */
  checks: Record<string, string>;
}

export interface ReadinessOptions {
  /** Each service's GraphQL URL, by name; its health check is `health` beside it. */
  urls: Readonly<Record<string, string>>;
  /** How long one health check may take before its service counts as down. */
  timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 2000;

/** The subgraphs the supergraph names, with their URLs, the overrides the gateway was given replacing them. */
export function supergraphServiceUrls(supergraphSdl: string, overrides: Readonly<Record<string, string | undefined>> = {}): Record<string, string> {
  const urls: Record<string, string> = {};
  for (const [, name, url] of supergraphSdl.matchAll(/@join__graph\(name: "([^"]+)", url: "([^"]+)"\)/g)) urls[name] = overrides[name] ?? url;
  return urls;
}

/** The health check beside a service's GraphQL URL (`…/graphql` → `…/health`, a path prefix kept). */
export function healthUrl(graphqlUrl: string): string {
  return new URL('health', graphqlUrl).toString();
}

/**
 * A readiness probe over the services' health checks. Probes asked for while one is under way share
 * it, so that a flood of /ready requests makes no more health checks than one.
 */
export function readinessProbe(options: ReadinessOptions): () => Promise<Readiness> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  let underWay: Promise<Readiness> | null = null;
  const probe = async (): Promise<Readiness> => {
    const entries = await Promise.all(
      Object.entries(options.urls).map(async ([name, url]) => [name, await check(healthUrl(url), timeoutMs)] as const),
    );
    const checks = Object.fromEntries(entries);
    return { ready: entries.every(([, state]) => state === 'up'), checks };
  };
  return () => {
    underWay ??= probe().finally(() => {
      underWay = null;
    });
    return underWay;
  };
}

async function check(url: string, timeoutMs: number): Promise<string> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    await response.arrayBuffer();
    return response.ok ? 'up' : `down (HTTP ${response.status})`;
  } catch (error) {
    const name = (error as Error).name;
    return name === 'TimeoutError' ? `down (no answer within ${timeoutMs} ms)` : 'down (not reachable)';
  }
}
