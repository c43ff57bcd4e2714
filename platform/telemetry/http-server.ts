import { context, SpanKind, SpanStatusCode, trace, type Attributes, type Context, type Span } from '@opentelemetry/api';
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { contextFromHeaders } from './spans';
import type { Histogram } from './histograms';
import { durationHistogram, telemetry } from './telemetry';

/** A request being served: its server span, the attributes its metric will carry, and the trace context its work continues. */
interface RequestTrace {
  span: Span;
  attributes: Attributes;
  /** Attributes for the span alone: values of unbounded variety (a caller's operation name), which a metric's series must not multiply by. */
  spanAttributes?: Attributes;
  context: Context;
  started: number;
  duration: Histogram;
}

/**
 * Where a request's trace is kept: a property of its IncomingMessage and ServerResponse, and of
 * whatever else `linkTrace` gave it to (the gateway's context). A property rather than a WeakMap
 * entry: every request would otherwise add weak entries for the collector to clear.
 */
const TRACE = Symbol('dmx.requestTrace');

type Carrier = { [TRACE]?: RequestTrace };

const traceOf = (key: object): RequestTrace | undefined => (key as Carrier)[TRACE];

/** Makes `key` (another object of the same request, e.g. its GraphQL context) find the trace `from` finds. */
export function linkTrace(from: object, key: object): void {
  const found = traceOf(from);
  if (found) (key as Carrier)[TRACE] = found;
}

/**
 * The trace context the work of a request continues: the request's server span, found by its
 * IncomingMessage or a key linked to it; else the active context (code under AsyncLocalStorage, or
 * outside any request).
 */
export function traceContextOf(key: object | undefined): Context {
  return (key && traceOf(key)?.context) ?? context.active();
}

/** The server span of a request, found as `traceContextOf` finds it. */
export function requestSpan(key: object | undefined): Span | undefined {
  return trace.getSpan(traceContextOf(key));
}

/**
 * Adds attributes to the metric and span of a request (`graphql.operation.name`, its outcome), found
 * by its IncomingMessage or a key linked to it: names and codes, never values a caller sent. `spanOnly`
 * go on the span alone (and win over `attributes` there): a name a caller chose is fine on a trace, but
 * as a metric's label each new one would be a series of its own.
 */
export function annotateRequest(key: object, attributes: Attributes, spanOnly?: Attributes): void {
  const found = traceOf(key);
  if (!found) return;
  Object.assign(found.attributes, attributes);
  if (spanOnly) found.spanAttributes = { ...found.spanAttributes, ...spanOnly };
}

/**
 * Wraps a node HTTP listener so that each request is one server span, a child of the caller's W3C
 * trace context, and one observation of `http.server.request.duration`. The route is one of `routes`
 * or `other`: the path's query string (a GET request's operation) is never recorded. The listener
 * runs with the span active (where AsyncLocalStorage carries it) and finds it by its request as well.
 * What runs for every request is kept small, as it runs whether or not the trace is kept: the span's
 * attributes are given only to a span that records them, and the end is one shared function.
 */
export function tracedListener(listener: RequestListener, options: { routes: readonly string[] }): RequestListener {
  const current = telemetry();
  if (!current.enabled) return listener;
  const { tracer } = current;
  const routes = new Set(options.routes);
  const duration = durationHistogram(current, 'http.server.request.duration', 'Duration of HTTP server requests.');
  return (request: IncomingMessage, response: ServerResponse) => {
    const started = performance.now();
    const url = request.url ?? '/';
    const query = url.indexOf('?');
    const path = query < 0 ? url : url.slice(0, query);
    const route = routes.has(path) ? path : 'other';
    const method = request.method ?? 'GET';
    const parent = contextFromHeaders(request.headers);
    const span = tracer.startSpan(`${method} ${route}`, { kind: SpanKind.SERVER }, parent);
    const found: RequestTrace = { span, attributes: { 'http.request.method': method, 'http.route': route }, context: trace.setSpan(parent, span), started, duration };
    (request as Carrier)[TRACE] = found;
    (response as Carrier)[TRACE] = found;
    response.on('close', endRequest);
    context.with(found.context, () => listener(request, response));
  };
}

/** Ends the server span of the request a response answered, and records its duration (its 'close' listener). */
function endRequest(this: ServerResponse): void {
  const found = traceOf(this);
  if (!found) return;
  const { span, attributes } = found;
  attributes['http.response.status_code'] = this.statusCode;
  if (!this.writableFinished) attributes['error.type'] = 'connection_closed';
  else if (this.statusCode >= 500) attributes['error.type'] = String(this.statusCode);
  if (span.isRecording()) {
    span.setAttributes(attributes);
    if (found.spanAttributes) span.setAttributes(found.spanAttributes);
    span.setAttribute('url.scheme', 'http');
    if (attributes['error.type'] !== undefined) span.setStatus({ code: SpanStatusCode.ERROR });
  }
  span.end();
  found.duration.record((performance.now() - found.started) / 1000, attributes);
}
