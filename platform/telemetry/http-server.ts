import { context, SpanKind, SpanStatusCode, trace, type Attributes } from '@opentelemetry/api';
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { contextFromHeaders } from './spans';
import { durationHistogram, telemetry } from './telemetry';

/**
 * Attributes a request's handler adds as it learns them (the GraphQL operation's name and type, its
 * outcome), by the request's server span: code running for the request finds it as the active span.
 */
const annotations = new WeakMap<object, Attributes>();

/**
 * Adds attributes to the metric and span of the request being served (the active server span), e.g.
 * `graphql.operation.name`: names and codes, never values a caller sent.
 */
export function annotateCurrentRequest(attributes: Attributes): void {
  const span = trace.getActiveSpan();
  const known = span && annotations.get(span);
  if (known) Object.assign(known, attributes);
}

/**
 * Wraps a node HTTP listener so that each request is one server span, a child of the caller's W3C
 * trace context, and one observation of `http.server.request.duration`. The route is one of `routes`
 * or `other`: the path's query string (a GET request's operation) is never recorded.
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
    annotations.set(span, attributes);
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
    context.with(trace.setSpan(parent, span), () => listener(request, response));
  };
}
