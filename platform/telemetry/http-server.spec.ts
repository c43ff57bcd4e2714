import { SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';
import { createServer, request as httpRequest, type RequestListener, type Server } from 'node:http';
import { listen } from '../listen';
import { annotateRequest, linkTrace, requestSpan, traceContextOf, tracedListener } from './http-server';
import { startOpsServer, type RunningOpsServer } from './ops-server';
import { startTelemetry } from './telemetry';

const exporter = new InMemorySpanExporter();
const telemetry = startTelemetry({ service: 'dmx-test', env: {}, spanExporter: exporter });

describe('a server span and duration for each HTTP request (tracedListener)', () => {
  let server: Server;
  let url: string;
  let ops: RunningOpsServer;
  /** What the wrapped listener does for the next request. */
  let answer: RequestListener = (_request, response) => response.end('ok');
  beforeAll(async () => {
    server = createServer(tracedListener((request, response) => answer(request, response), { routes: ['/graphql'] }));
    url = await listen(server, 0, '127.0.0.1');
    ops = await startOpsServer({ port: 0, host: '127.0.0.1', telemetry, ready: async () => ({ ready: true, checks: {} }) });
  });
  afterAll(async () => {
    await ops.close();
    await new Promise((resolve) => server.close(resolve));
  });
  beforeEach(() => exporter.reset());

  /** The request's span, once its response has closed (the span ends on 'close'); up to 5 s on a busy machine. */
  const finishedSpan = async () => {
    for (let attempt = 0; attempt < 500 && exporter.getFinishedSpans().length === 0; attempt += 1) await new Promise((resolve) => setTimeout(resolve, 10));
    const spans = exporter.getFinishedSpans();
    expect(spans).toHaveLength(1);
    return spans[0];
  };
  const metrics = async () => (await fetch(new URL('metrics', ops.url))).text();

  it("continues the caller's trace, names the route and status, and never records the query string", async () => {
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const response = await fetch(`${url}graphql?query=%7Bperson(id%3A%22AZE-SECRET%22)%7D`, { method: 'POST', headers: { traceparent: `00-${traceId}-00f067aa0ba902b7-01` } });
    expect(await response.text()).toBe('ok');
    const span = await finishedSpan();
    expect(span.name).toBe('POST /graphql');
    expect(span.kind).toBe(SpanKind.SERVER);
    expect(span.spanContext().traceId).toBe(traceId);
    expect(span.parentSpanContext?.spanId).toBe('00f067aa0ba902b7');
    expect(span.attributes).toEqual({ 'http.request.method': 'POST', 'http.route': '/graphql', 'http.response.status_code': 200, 'url.scheme': 'http' });
    expect(span.status.code).toBe(SpanStatusCode.UNSET);
    const text = await metrics();
    expect(text).toMatch(/http_server_request_duration_count\{[^}]*http_request_method="POST",http_route="\/graphql",http_response_status_code="200"[^}]*\} [1-9]/);
    expect(text + JSON.stringify(span.attributes) + span.name).not.toContain('SECRET');
  });

  it('names any other path "other", and marks an answer of 500 or more as an error', async () => {
    answer = (_request, response) => {
      response.statusCode = 503;
      response.end();
    };
    expect((await fetch(`${url}somewhere/else`)).status).toBe(503);
    const span = await finishedSpan();
    expect(span.name).toBe('GET other');
    expect(span.attributes).toMatchObject({ 'http.route': 'other', 'http.response.status_code': 503, 'error.type': '503' });
    expect(span.status.code).toBe(SpanStatusCode.ERROR);
    expect(await metrics()).toMatch(/http_server_request_duration_count\{[^}]*http_route="other"[^}]*error_type="503"[^}]*\} 1/);
  });

  it('marks a request whose caller went away before the answer as connection_closed', async () => {
    let respond: (() => void) | undefined;
    answer = (_request, response) => {
      respond = () => response.end('too late');
    };
    await new Promise<void>((resolve) => {
      const sent = httpRequest(`${url}graphql`, { method: 'POST' });
      sent.on('error', () => resolve());
      sent.end();
      const waitForServer = setInterval(() => {
        if (!respond) return;
        clearInterval(waitForServer);
        sent.destroy();
        resolve();
      }, 5);
    });
    const span = await finishedSpan();
    expect(span.attributes['error.type']).toBe('connection_closed');
    respond?.();
  });

  it('finds the trace by any object linked to the request, and puts what it is annotated with on the span and the metric', async () => {
    const linked = {};
    let found: { spanId: string | undefined; traceId: string | undefined } | undefined;
    answer = (request, response) => {
      linkTrace(request, linked);
      annotateRequest(linked, { 'graphql.operation.name': 'FindTraveller' });
      found = { spanId: requestSpan(linked)?.spanContext().spanId, traceId: trace.getSpan(traceContextOf(linked))?.spanContext().traceId };
      response.end('ok');
    };
    await (await fetch(`${url}graphql`, { method: 'POST' })).text();
    const span = await finishedSpan();
    expect(found?.spanId).toBe(span.spanContext().spanId);
    expect(found?.traceId).toBe(span.spanContext().traceId);
    expect(span.attributes['graphql.operation.name']).toBe('FindTraveller');
    expect(await metrics()).toMatch(/http_server_request_duration_count\{[^}]*graphql_operation_name="FindTraveller"[^}]*\} 1/);
    // An object never linked finds no request: the active context, outside any request here.
    expect(requestSpan({})).toBeUndefined();
  });
});
