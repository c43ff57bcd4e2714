import { context, INVALID_SPAN_CONTEXT, metrics, propagation, trace, type Meter, type Span, type Tracer, type TracerProvider } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { PrometheusExporter } from '@opentelemetry/exporter-prometheus';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import {
  AlwaysOffSampler,
  AlwaysOnSampler,
  BasicTracerProvider,
  BatchSpanProcessor,
  ParentBasedSampler,
  SimpleSpanProcessor,
  TraceIdRatioBasedSampler,
  type Sampler,
  type SpanExporter,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { ATTR_SERVICE_NAME, ATTR_SERVICE_VERSION } from '@opentelemetry/semantic-conventions';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Histograms, type Histogram, type HistogramOptions } from './histograms';
import { GC_DURATION, observeRuntime } from './runtime-metrics';
import { METRICS } from './metric-names';

/** The instrumentation scope every span and metric of this project is made under. */
export const INSTRUMENTATION_SCOPE = 'dmx-registries-graph';

export interface TelemetryOptions {
  /** `service.name` of this process: `dmx-gateway`, `dmx-persons`, … (OTEL_SERVICE_NAME replaces it). */
  service: string;
  /** The process environment, read for the standard OTEL_* variables. */
  env?: NodeJS.ProcessEnv;
  /** Spans go here as well (tests: an in-memory exporter), each as soon as it ends. */
  spanExporter?: SpanExporter;
  /**
   * Whether the active span follows the code through its awaits (AsyncLocalStorage), so that spans
   * started deep inside (a registry's SQL) find their request without being handed it. Its async
   * hooks run at every promise of the process; a process that hands each request's trace context on
   * itself (the gateway: `traceContextOf`) turns it off. Default: on.
   */
  asyncContext?: boolean;
}

/** One process's traces and metrics: the tracer and meter its code records with, and the metrics as Prometheus text. */
export interface Telemetry {
  readonly enabled: boolean;
  /** Whether spans are recorded (an exporter is configured); when not, trace ids are still made and passed on. */
  readonly tracing: boolean;
  readonly tracer: Tracer;
  readonly meter: Meter;
  /**
   * A histogram of this process's metrics, for values recorded on every request (durations, batch
   * sizes): aggregated by `Histograms`, cheaper per record than the meter's instrument, scraped alike.
   */
  histogram(name: string, options: HistogramOptions): Histogram;
  /** Answers a scrape: every metric of the process in Prometheus' text format. */
  serveMetrics(request: IncomingMessage, response: ServerResponse): void;
  /** Sends what is buffered (spans), then stops. */
  shutdown(): Promise<void>;
}

let current: Telemetry | undefined;

/**
 * The sampler the standard variables name (OTEL_TRACES_SAMPLER, OTEL_TRACES_SAMPLER_ARG): by default
 * every trace (parentbased_always_on); `parentbased_traceidratio` with a ratio such as 0.1 keeps that
 * share of the traces started here and follows a caller's decision, which is how a busy deployment
 * keeps tracing cheap. An unknown name or ratio throws, naming the variable.
 */
export function samplerFromEnvironment(env: NodeJS.ProcessEnv): Sampler {
  const name = env.OTEL_TRACES_SAMPLER || 'parentbased_always_on';
  const ratio = () => {
    const text = env.OTEL_TRACES_SAMPLER_ARG ?? '1';
    const value = Number(text);
    if (text.trim() === '' || !(value >= 0 && value <= 1)) throw new Error(`OTEL_TRACES_SAMPLER_ARG: ${JSON.stringify(text)} is not a ratio from 0 to 1`);
    return new TraceIdRatioBasedSampler(value);
  };
  const roots: Record<string, () => Sampler> = {
    always_on: () => new AlwaysOnSampler(),
    always_off: () => new AlwaysOffSampler(),
    traceidratio: ratio,
  };
  if (roots[name]) return roots[name]();
  const parentBased = /^parentbased_(always_on|always_off|traceidratio)$/.exec(name);
  if (parentBased) return new ParentBasedSampler({ root: roots[parentBased[1]]() });
  throw new Error(`OTEL_TRACES_SAMPLER: ${JSON.stringify(name)} is not one of always_on, always_off, traceidratio, parentbased_always_on, parentbased_always_off, parentbased_traceidratio`);
}

/** The OTLP protocols a trace exporter is shipped for, by the name the standard variables give them. */
const TRACE_EXPORTERS: Record<string, () => SpanExporter> = {
  // Each loaded only when chosen; each reads the other OTEL_EXPORTER_OTLP_* variables itself (endpoint,
  // headers, timeout, compression).
  'http/protobuf': () => new (require('@opentelemetry/exporter-trace-otlp-proto') as typeof import('@opentelemetry/exporter-trace-otlp-proto')).OTLPTraceExporter(),
  'http/json': () => new (require('@opentelemetry/exporter-trace-otlp-http') as typeof import('@opentelemetry/exporter-trace-otlp-http')).OTLPTraceExporter(),
};

/**
 * The span exporter for the OTLP protocol the standard variables name (OTEL_EXPORTER_OTLP_TRACES_PROTOCOL,
 * else OTEL_EXPORTER_OTLP_PROTOCOL): `http/protobuf` by default, as the OpenTelemetry specification
 * advises (about half the bytes of JSON, and less of the process's time to encode), or `http/json`.
 * `grpc` is not shipped (the collector takes OTLP over HTTP on 4318); it and any other name throw,
 * naming the variable, so a service never starts exporting somewhere other than asked.
 */
export function traceExporterFromEnvironment(env: NodeJS.ProcessEnv): SpanExporter {
  const variable = env.OTEL_EXPORTER_OTLP_TRACES_PROTOCOL ? 'OTEL_EXPORTER_OTLP_TRACES_PROTOCOL' : 'OTEL_EXPORTER_OTLP_PROTOCOL';
  const protocol = env[variable] || 'http/protobuf';
  const make = TRACE_EXPORTERS[protocol];
  if (!make) throw new Error(`${variable}: ${JSON.stringify(protocol)} is not one of ${Object.keys(TRACE_EXPORTERS).join(', ')} (grpc is not shipped; the collector takes OTLP over HTTP)`);
  return make();
}

/**
 * Sets up OpenTelemetry for this process, once: W3C trace context carried in and out, spans exported
 * over OTLP/HTTP (traceExporterFromEnvironment) when OTEL_EXPORTER_OTLP_ENDPOINT is set (else made but
 * not recorded, so that a trace id still reaches the logs and the registries), and metrics read by a
 * Prometheus scrape.
 * OTEL_SDK_DISABLED=true turns all of it off (the benchmark's "telemetry off").
 * A second call returns the first one's telemetry: the API's globals can be set only once.
 */
export function startTelemetry(options: TelemetryOptions): Telemetry {
  if (current) return current;
  const env = options.env ?? process.env;
  if (env.OTEL_SDK_DISABLED === 'true') {
    current = disabledTelemetry();
    return current;
  }
  const resource = resourceFromAttributes({
    [ATTR_SERVICE_NAME]: env.OTEL_SERVICE_NAME || options.service,
    [ATTR_SERVICE_VERSION]: process.env.npm_package_version ?? '0.1.0',
  });

  const processors: SpanProcessor[] = [];
  if (env.OTEL_EXPORTER_OTLP_ENDPOINT || env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) {
    processors.push(new BatchSpanProcessor(traceExporterFromEnvironment(env)));
  }
  if (options.spanExporter) processors.push(new SimpleSpanProcessor(options.spanExporter));
  const tracing = processors.length > 0;
  const tracerProvider = new BasicTracerProvider({
    resource,
    // Without an exporter nothing is recorded, but ids are made, so logs and registries share a trace id.
    sampler: tracing ? samplerFromEnvironment(env) : new AlwaysOffSampler(),
    spanProcessors: processors,
  });
  if (options.asyncContext ?? true) context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  trace.setGlobalTracerProvider(withoutScopes(tracerProvider, UNRECORDED_SCOPES));

  // Read on each scrape; served by the process's operations listener, never by a port of its own.
  const histograms = new Histograms(resource, INSTRUMENTATION_SCOPE);
  const prometheus = new PrometheusExporter({ preventServerStart: true, metricProducers: [histograms] });
  const meterProvider = new MeterProvider({ resource, readers: [prometheus] });
  metrics.setGlobalMeterProvider(meterProvider);
  const meter = meterProvider.getMeter(INSTRUMENTATION_SCOPE);
  const stopRuntime = observeRuntime(meter, histograms.histogram(METRICS.gcDuration.name, GC_DURATION));

  current = {
    enabled: true,
    tracing,
    tracer: tracerProvider.getTracer(INSTRUMENTATION_SCOPE),
    meter,
    histogram: (name, histogramOptions) => histograms.histogram(name, histogramOptions),
    serveMetrics: (request, response) => prometheus.getMetricsRequestHandler(request, response),
    async shutdown() {
      stopRuntime();
      await Promise.allSettled([tracerProvider.shutdown(), meterProvider.shutdown()]);
    },
  };
  return current;
}

/** The telemetry of this process: what startTelemetry set up, or nothing recorded when it was not called (unit tests). */
export function telemetry(): Telemetry {
  return current ?? disabledTelemetry();
}

function disabledTelemetry(): Telemetry {
  return {
    enabled: false,
    tracing: false,
    // The API's own no-op tracer and meter: every call costs next to nothing.
    tracer: trace.getTracer(INSTRUMENTATION_SCOPE),
    meter: metrics.getMeter(INSTRUMENTATION_SCOPE),
    histogram: () => NO_HISTOGRAM,
    serveMetrics(_request, response) {
      response.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
      response.end('# telemetry is off (OTEL_SDK_DISABLED=true)\n');
    },
    async shutdown() {},
  };
}

/**
 * Instrumentation scopes of libraries whose spans are not made: @apollo/gateway's own stages
 * (gateway.request, .validate, .plan, .execute, .postprocessing, and a gateway.fetch per fetch of the
 * plan, read cache hits included) would be ten spans of a request the read cache answers, beside its
 * one server span; the trace keeps what docs/operations.md ("Traces") lists.
 */
export const UNRECORDED_SCOPES: ReadonlySet<string> = new Set(['apollo/gateway-js']);

/** The one span the tracers of unrecorded scopes hand out: records nothing, ends nothing. */
const NOTHING: Span = trace.wrapSpanContext(INVALID_SPAN_CONTEXT);

/**
 * A tracer that makes no span and leaves the active context as it is, so that what runs inside
 * (this project's fetch spans) is a child of the span that was active before.
 */
const transparentTracer: Tracer = {
  startSpan: () => NOTHING,
  // The work is the last argument: after the options, or after the options and a parent context.
  startActiveSpan(_name: string, a: unknown, b?: unknown, c?: unknown) {
    const work = (typeof c === 'function' ? c : typeof b === 'function' ? b : a) as (span: Span) => unknown;
    return work(NOTHING);
  },
} as Tracer;

/** The provider's tracers, except for the given scopes, whose tracers make nothing. */
export function withoutScopes(provider: TracerProvider, scopes: ReadonlySet<string>): TracerProvider {
  return {
    getTracer: (name, version, options) => (scopes.has(name) ? transparentTracer : provider.getTracer(name, version, options)),
  };
}

/** The bucket bounds OpenTelemetry's HTTP conventions advise for durations in seconds. */
const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];

/** A histogram of durations in seconds, with the advised buckets (the SDK's defaults are for milliseconds). */
export function durationHistogram(telemetry: Telemetry, name: string, description: string): Histogram {
  return telemetry.histogram(name, { unit: 's', description, boundaries: DURATION_BUCKETS });
}

const NO_HISTOGRAM: Histogram = { record: () => undefined };
