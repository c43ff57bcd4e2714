import { HeaderMap, type ApolloServer } from '@apollo/server';
import { listen } from '../../platform/listen';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { GraphQLError } from 'graphql';
import type { GatewayContext, GatewayContextFunction } from './context';
import type { PageAnswer } from '../features/feature';
import { answerRefusal } from './refusal';
import { crossOrigin } from './cors';
import { linkTrace, tracedListener } from '../../platform/telemetry/http-server';
import type { Readiness } from './readiness';
import { endCompressed } from './compression';

/** What the HTTP server serves: Apollo Server, and the context function that runs the features' onRequest hooks. */
export interface GatewayApp {
  apollo: ApolloServer<GatewayContext>;
  context: GatewayContextFunction;
  /** The page served beside GraphQL that owns this request (features' `page`), if any. */
  pageFor?(req: IncomingMessage): PageAnswer | undefined;
  /** Their paths, named as routes in the request metrics. */
  pagePaths?: readonly string[];
}

export interface GatewayHttpOptions {
  port: number;
  host: string;
  /** Largest request body accepted; larger ones get 413 before anything is parsed. */
  maxBodyBytes?: number;
  /** Browser origins allowed to read answers from another site (CORS_ORIGINS); none when absent. */
  corsOrigins?: readonly string[];
  /** Whether the services behind the gateway answer (readiness.ts), for GET /ready; only the gateway's own state when absent. */
  readiness?: () => Promise<Readiness>;
  /**
   * Answers compressed in the coding the client accepts (RESPONSE_COMPRESSION; on unless false): off
   * when a proxy in front compresses, so that the gateway's CPU serves GraphQL.
   */
  compression?: boolean;
}

/** The paths served beside GraphQL: liveness and readiness, for load balancers and orchestrators. */
export const HEALTH_PATH = '/health';
/** Where the gateway answers GraphQL: both paths are one endpoint (the README's examples post to `/`). */
export const GRAPHQL_PATHS: readonly string[] = ['/', '/graphql'];
export const READY_PATH = '/ready';
/** This instance alone: its supergraph loaded and not stopping, whatever the services behind it (decision 0013). */
export const INSTANCE_READY_PATH = '/ready/instance';

export interface RunningGatewayHttp {
  url: string;
  server: Server;
  /** Stops taking requests, then stops the gateway. */
  stop(): Promise<void>;
}

export const DEFAULT_MAX_BODY_BYTES = 256 * 1024;

class RequestRefused extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly code: string,
  ) {
    super(message);
  }
}

/**
 * The gateway's HTTP server: node's own, in front of Apollo Server's request handling, so that a body
 * too large or not JSON is answered with a GraphQL-shaped error and a 4xx, never an HTML page or a
 * stack trace.
 */
export async function startGatewayHttp(app: GatewayApp, options: GatewayHttpOptions): Promise<RunningGatewayHttp> {
  const { apollo } = app;
  await apollo.start();
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const compression = options.compression ?? true;
  const allowCrossOrigin = crossOrigin(options.corsOrigins ?? []);
  let stopping = false;
  // Each request a server span (continuing a caller's W3C trace) and one observed duration.
  const server = createServer(tracedListener((req, res) => {
    serve(req, res).catch((error: unknown) => {
      const refused = error instanceof RequestRefused ? error : new RequestRefused(500, 'Internal server error', 'INTERNAL_SERVER_ERROR');
      if (!res.headersSent) {
        res.writeHead(refused.status, { 'content-type': 'application/json; charset=utf-8', ...(refused.status === 413 ? { connection: 'close' } : {}) });
        res.end(JSON.stringify({ errors: [{ message: refused.message, extensions: { code: refused.code } }] }));
      } else {
        res.end();
      }
    });
  }, { routes: [...GRAPHQL_PATHS, HEALTH_PATH, READY_PATH, INSTANCE_READY_PATH, ...(app.pagePaths ?? [])] }));

  async function serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    // A preflight is answered here, whatever the path; an origin not in the list gets no CORS headers.
    if (await allowCrossOrigin(req, res)) return;
    const path = new URL(req.url ?? '/', 'http://gateway').pathname;
    if (path === HEALTH_PATH || path === READY_PATH || path === INSTANCE_READY_PATH) {
      if (req.method !== 'GET' && req.method !== 'HEAD') return answerJson(res, 405, { status: 'method not allowed' }, { allow: 'GET, HEAD' });
      if (path === HEALTH_PATH) return answerJson(res, 200, { status: 'alive' });
      // Listening means the supergraph is loaded (Apollo Server has started); stopping means no longer ready.
      const gateway = stopping ? 'down (stopping)' : 'up';
      const services = options.readiness && path === READY_PATH ? await options.readiness() : { ready: true, checks: {} };
      const ready = !stopping && services.ready;
      return answerJson(res, ready ? 200 : 503, { status: ready ? 'ready' : 'not ready', checks: { supergraph: gateway, ...services.checks } });
    }
    const page = app.pageFor?.(req);
    if (page) return servePage(app, page, req, res);
    return handle(app, { maxBodyBytes, compression }, req, res);
  }

  const url = await listen(server, options.port, options.host);
  return {
    url,
    server,
    async stop() {
      stopping = true;
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await apollo.stop();
    },
  };
}

/**
 * A page beside GraphQL passes the same hooks as a GraphQL request (request id, token, rate budget,
 * purpose; admission lets it by) before it is answered: a forged token or a burst costs there what it
 * costs on GraphQL. A refusal is answered with its status and headers and the error in a GraphQL body.
 */
async function servePage({ context }: GatewayApp, answer: PageAnswer, req: IncomingMessage, res: ServerResponse): Promise<void> {
  let made: GatewayContext;
  try {
    made = await context({ req, res, besideGraphQL: true });
  } catch (error) {
    if (!(error instanceof GraphQLError)) throw error;
    return answerRefusal(req, res, error);
  }
  await answer(res, made);
}

async function handle(
  { apollo, context }: GatewayApp,
  { maxBodyBytes, compression }: { maxBodyBytes: number; compression: boolean },
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const raw = await readBody(req, maxBodyBytes);
  let body: unknown;
  if (raw.length > 0 && (req.headers['content-type'] ?? '').startsWith('application/json')) {
    try {
      body = JSON.parse(raw);
    } catch {
      throw new RequestRefused(400, 'The request body is not valid JSON.', 'BAD_REQUEST');
    }
  } else {
    body = raw.length > 0 ? raw : undefined;
  }
  const headers = new HeaderMap();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
  }
  const httpGraphQLRequest = { method: (req.method ?? 'GET').toUpperCase(), headers, search: new URL(req.url ?? '/', 'http://gateway').search, body };
  // Apollo's plugins see this object (as `request.http`), not the IncomingMessage: it finds the request's trace too.
  linkTrace(req, httpGraphQLRequest);
  const response = await apollo.executeHTTPGraphQLRequest({ httpGraphQLRequest, context: () => context({ req, res }) });
  for (const [name, value] of response.headers) {
    // CORS may have said the answer varies by Origin; Apollo's own Vary is added to it, not put in its place.
    const earlier = name === 'vary' ? res.getHeader('vary') : undefined;
    res.setHeader(name, earlier ? `${String(earlier)}, ${value}` : value);
  }
  res.statusCode = response.status ?? 200;
  if (response.body.kind === 'complete') {
    if (compression) await endCompressed(req, res, response.body.string);
    else res.end(response.body.string);
    return;
  }
  for await (const chunk of response.body.asyncIterator) res.write(chunk);
  res.end();
}

function readBody(req: IncomingMessage, maxBytes: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        // Answer at once; what is still coming is read and dropped, so the answer reaches the client.
        reject(new RequestRefused(413, `The request body is larger than ${maxBytes} bytes.`, 'BAD_REQUEST'));
        chunks.length = 0;
        return;
      }
      if (size <= maxBytes) chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function answerJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers });
  res.end(JSON.stringify(body));
}
