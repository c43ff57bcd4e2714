import { context, SpanKind, SpanStatusCode, trace, type Attributes, type Context, type Span } from '@opentelemetry/api';
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { contextFromHeaders } from './spans';
import { durationHistogram, telemetry } from './telemetry';

/** A request being served: its server span, the attributes its metric will carry, and the trace context its work continues. */
interface RequestTrace {
  span: Span;
  attributes: Attributes;
  context: Context;
}

/** Each request's trace, by its IncomingMessage and by whatever else `linkTrace` keyed it with (the gateway's context). */
const traces = new WeakMap<object, RequestTrace>();

/** Makes `key` (another object of the same request, e.g. its GraphQL context) find the trace `from` finds. */
export function linkTrace(from: object, key: object): void {
  const found = traces.get(from);
  if (found) traces.set(key, found);
}

/**
 * The trace context the work of a request continues: the request's server span, found by its
 * IncomingMessage or a key linked to it; else the active context (code under AsyncLocalStorage, or
 * outside any request).
 */
export function traceContextOf(key: object | undefined): Context {
  return (key && traces.get(key)?.context) ?? context.active();
}

/** The server span of a request, found as `traceContextOf` finds it. */
export function requestSpan(key: object | undefined): Span | undefined {
  return trace.getSpan(traceContextOf(key));
}

/**
 * Adds attributes to the metric and span of a request (`graphql.operation.name`, its outcome), found
 * by its IncomingMessage or a key linked to it: names and codes, never values a caller sent.
 */
export function annotateRequest(key: object, attributes: Attributes): void {
  const found = traces.get(key);
  if (found) Object.assign(found.attributes, attributes);
}

/**
 * Wraps a node HTTP listener so that each request is one server span, a child of the caller's W3C
 * trace context, and one observation of `http.server.request.duration`. The route is one of `routes`
 * or `other`: the path's query string (a GET request's operation) is never recorded. The listener
 * runs with the span active (where AsyncLocalStorage carries it) and finds it by its request as well.
 */
export function tracedListener(listener: RequestListener, options: { routes: readonly string[] }): RequestListener {
  const { enabled, tracer, meter } = telemetry();
  if (!enabled) return listener;
  const routes = new Set(options.routes);
  const duration = durationHistogram(meter, 'http.server.request.duration', 'Duration of HTTP server requests.');
  return (request: IncomingMessage, response: ServerResponse) => {
    const started = performance.now();
    const path = (request.url ?? '/').split('?', 1)[0];
    const route = routes.has(path) ? path : 'other';
    const method = request.method ?? 'GET';
    const attributes: Attributes = { 'http.request.method': method, 'http.route': route };
    const parent = contextFromHeaders(request.headers);
    const span = tracer.startSpan(`${method} ${route}`, { kind: SpanKind.SERVER, attributes: { ...attributes, 'url.scheme': 'http' } }, parent);
    const active = trace.setSpan(parent, span);
    traces.set(request, { span, attributes, context: active });
    response.once('close', () => {
      const status = response.statusCode;
      attributes['http.response.status_code'] = status;
      if (!response.writableFinished) attributes['error.type'] = 'connection_closed';
      else if (status >= 500) attributes['error.type'] = String(status);
      if (span.isRecording()) {
        span.setAttributes(attributes);
        if (attributes['error.type'] !== undefined) span.setStatus({ code: SpanStatusCode.ERROR });
      }
      span.end();
      duration.record((performance.now() - started) / 1000, attributes);
    });
    context.with(active, () => listener(request, response));
  };
}
