import { createServer, type Server } from 'node:http';
import { listen } from '../listen';
import type { Telemetry } from './telemetry';

/** What a service answers on GET /ready: ready or not, and each dependency's state by name. */
export interface Readiness {
  ready: boolean;
  checks: Record<string, string>;
}

export interface OpsServerOptions {
  /** 0 picks a free port (tests). */
  port: number;
  /** Loopback by default: operators' scrapers reach it, partners never do. */
  host: string;
  telemetry: Telemetry;
  ready: () => Promise<Readiness>;
}

export interface RunningOpsServer {
  url: string;
  server: Server;
  close(): Promise<void>;
}

/**
 * The operations listener of a service, apart from the port partners call: GET /metrics (Prometheus
 * text), /health (the process answers) and /ready (its dependencies answer).
 */
export async function startOpsServer(options: OpsServerOptions): Promise<RunningOpsServer> {
  const server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://ops').pathname;
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    if (path === '/metrics') return options.telemetry.serveMetrics(request, response);
    if (path === '/health') return answer(response, 200, { status: 'alive' });
    if (path === '/ready') {
      options.ready().then(
        (readiness) => answer(response, readiness.ready ? 200 : 503, { status: readiness.ready ? 'ready' : 'not ready', checks: readiness.checks }),
        (error: Error) => answer(response, 503, { status: 'not ready', checks: { self: error.message } }),
      );
      return;
    }
    answer(response, 404, { status: 'not found', paths: ['/metrics', '/health', '/ready'] });
  });
  const url = await listen(server, options.port, options.host);
  return {
    url,
    server,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function answer(response: import('node:http').ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  response.end(JSON.stringify(body));
}
