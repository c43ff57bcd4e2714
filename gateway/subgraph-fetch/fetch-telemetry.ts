import { INVALID_SPAN_CONTEXT, SpanKind, trace, type Attributes, type Context, type Span } from '@opentelemetry/api';
import { inSpan } from '../../platform/telemetry/spans';
import { durationHistogram, telemetry } from '../../platform/telemetry/telemetry';
import type { ReadCacheStats } from './read-cache';

/** A registry's fetches as operators see them: a client span each, and `http.client.request.duration` by registry. */
export interface FetchTelemetry {
  /** Runs `send` in a client span under `parent` (the request's trace); `send` gets the span's own trace context to pass on. */
  measure<T>(parent: Context, send: (span: Span, traceContext: Context) => Promise<T>): Promise<T>;
}

const NO_SPAN = trace.wrapSpanContext(INVALID_SPAN_CONTEXT);

export function fetchTelemetry(registry: string): FetchTelemetry {
  const current = telemetry();
  // Off: no span made, no clock read; the send gets the API's do-nothing span.
  if (!current.enabled) return { measure: (parent, send) => send(NO_SPAN, parent) };
  const duration = durationHistogram(current, 'http.client.request.duration', "Time waiting for a registry's answer to a fetch.");
  const attributes: Attributes = { 'dmx.subgraph.name': registry, 'http.request.method': 'POST' };
  return {
    measure(parent, send) {
      const started = performance.now();
      let status: number | undefined;
      let failed: string | undefined;
      return inSpan(`POST ${registry}`, { kind: SpanKind.CLIENT, attributes, parent }, async (span) => {
        try {
          const answer = await send(span, trace.setSpan(parent, span));
          status = (answer as { status?: number }).status;
          return answer;
        } catch (error) {
          failed = (error as { code?: string }).code ?? 'unreachable';
          throw error;
        }
      }).finally(() => {
        duration.record((performance.now() - started) / 1000, {
          ...attributes,
          ...(status !== undefined ? { 'http.response.status_code': status } : {}),
          ...(failed ? { 'error.type': failed } : status !== undefined && status >= 500 ? { 'error.type': String(status) } : {}),
        });
      });
    },
  };
}

/** The batching factor: how many reads each fetch to a registry carried (`dmx.fetch_batch.size`). */
export function batchSizeRecorder(registry: string): (reads: number) => void {
  const current = telemetry();
  if (!current.enabled) return () => undefined;
  const sizes = current.histogram('dmx.fetch_batch.size', { unit: '{read}', description: 'Reads joined into one fetch to a registry.', boundaries: [1, 2, 4, 8, 16, 32, 64] });
  const attributes = { 'dmx.subgraph.name': registry };
  return (reads) => sizes.record(reads, attributes);
}

/**
 * The read cache's lookups as counters read at each scrape (`dmx.read_cache.lookups` by result), each
 * read under one result: hit, stale, first_seen (not cached: asked for the first time), miss, or
 * passed (not looked up: the cache stood aside, StepAside).
 */
export function observeReadCache(stats: ReadCacheStats): void {
  const { enabled, meter } = telemetry();
  if (!enabled) return;
  meter
    .createObservableCounter('dmx.read_cache.lookups', { unit: '{read}', description: 'Reads through the read cache, by result (hit, miss, stale, first_seen; passed: not looked up, the cache stood aside).' })
    .addCallback((result) => {
      result.observe(stats.hits, { 'dmx.read_cache.result': 'hit' });
      result.observe(stats.misses - stats.stale - stats.firstSeen, { 'dmx.read_cache.result': 'miss' });
      result.observe(stats.stale, { 'dmx.read_cache.result': 'stale' });
      result.observe(stats.firstSeen, { 'dmx.read_cache.result': 'first_seen' });
      result.observe(stats.passed, { 'dmx.read_cache.result': 'passed' });
    });
}
