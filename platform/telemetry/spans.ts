import { context, propagation, SpanStatusCode, trace, type Attributes, type Context, type Span, type SpanKind, type TextMapGetter } from '@opentelemetry/api';
import { Kind, print, visit, type DocumentNode } from 'graphql';
import { telemetry } from './telemetry';

/**
 * Runs `work` inside a new span, made the active one, so that spans started within are its children;
 * the span ends when the work does, marked as an error when it throws (the error's class and code
 * only: messages can name a person).
 */
export async function inSpan<T>(name: string, options: { kind?: SpanKind; attributes?: Attributes; parent?: Context }, work: (span: Span) => Promise<T>): Promise<T> {
  const { tracer } = telemetry();
  return tracer.startActiveSpan(name, { kind: options.kind, attributes: options.attributes }, options.parent ?? context.active(), async (span) => {
    try {
      return await work(span);
    } catch (error) {
      markFailed(span, error);
      throw error;
    } finally {
      span.end();
    }
  });
}

/**
 * `work` in a span under `parent` when `parent`'s trace is recorded; else `work` alone: for a wait
 * that only a kept trace is worth a span to, so that the traces not kept cost nothing more.
 */
export function inRecordedSpan<T>(name: string, options: { kind?: SpanKind; attributes?: Attributes; parent: Context }, work: () => Promise<T>): Promise<T> {
  return trace.getSpan(options.parent)?.isRecording() ? inSpan(name, options, work) : work();
}

/** Marks a span as failed with the error's type (class name or `extensions.code`), never its message. */
export function markFailed(span: Span, error: unknown): void {
  const code = (error as { extensions?: { code?: unknown } } | null)?.extensions?.code;
  const type = typeof code === 'string' ? code : error instanceof Error ? error.constructor.name : 'Error';
  span.setAttribute('error.type', type);
  span.setStatus({ code: SpanStatusCode.ERROR });
}

/** Reads node's incoming headers for the propagator: a repeated header's first value. One for every request. */
const headerGetter: TextMapGetter<Record<string, string | string[] | undefined>> = {
  keys: (carrier) => Object.keys(carrier),
  get: (carrier, key) => {
    const value = carrier[key];
    return Array.isArray(value) ? value[0] : value;
  },
};

/** The trace context of an incoming request's headers (W3C `traceparent`/`tracestate`), as a parent. */
export function contextFromHeaders(headers: Record<string, string | string[] | undefined>): Context {
  return propagation.extract(context.active(), headers, headerGetter);
}

/** Adds a trace context (`traceparent`, `tracestate`), by default the active one, to outgoing headers. */
export function injectTraceContext(headers: Record<string, string>, traceContext: Context = context.active()): Record<string, string> {
  propagation.inject(traceContext, headers);
  return headers;
}

/** The trace and span ids of a trace context's span, by default the active one, for a log line; none outside a trace. */
export function traceIds(traceContext: Context = context.active()): { trace_id: string; span_id: string } | Record<string, never> {
  const span = trace.getSpan(traceContext);
  if (!span) return {};
  const { traceId, spanId } = span.spanContext();
  return { trace_id: traceId, span_id: spanId };
}

/**
 * The operation's document as `graphql.document` may carry it: every literal value replaced, so that
 * a document written with inline values (a name, a document number) carries none of them. Variables
 * are never recorded at all.
 *
 * On one line: every span of the operation carries it and the exporter escapes and sends each
 * character, so the printer's line breaks and indentation are dropped. No string in it can hold a
 * line break (each became ""), and whitespace between tokens means the same as a line break.
 */
export function sanitizedDocument(document: DocumentNode): string {
  const printed = print(
    visit(document, {
      [Kind.STRING]: () => ({ kind: Kind.STRING, value: '', block: false }),
      [Kind.INT]: () => ({ kind: Kind.INT, value: '0' }),
      [Kind.FLOAT]: () => ({ kind: Kind.FLOAT, value: '0' }),
      // Enum values and booleans are part of the schema, not data; they stay.
    }),
  );
  return printed.replace(/\s*\n\s*/g, ' ');
}
