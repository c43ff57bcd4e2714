import type { Meter } from '@opentelemetry/api';
import { constants, monitorEventLoopDelay, performance, PerformanceObserver, type EventLoopUtilization } from 'node:perf_hooks';
import type { Histogram, HistogramOptions } from './histograms';

/** `v8js.gc.type` of OpenTelemetry's V8 conventions, by the kind Node gives a collection. */
const GC_TYPES: Readonly<Record<number, string>> = {
  [constants.NODE_PERFORMANCE_GC_MINOR]: 'minor',
  [constants.NODE_PERFORMANCE_GC_MAJOR]: 'major',
  [constants.NODE_PERFORMANCE_GC_INCREMENTAL]: 'incremental',
  [constants.NODE_PERFORMANCE_GC_WEAKCB]: 'weakcb',
};

/**
 * `v8js.gc.duration`'s buckets, in seconds. The conventions advise 0.01, 0.1, 1 and 10, which would put
 * every scavenge of a service (a few milliseconds each) in the first bucket; these tell a scavenge from a
 * full collection, and a pause that shows in a request's tail from one that does not.
 */
const GC_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1];

export const GC_DURATION: HistogramOptions = {
  unit: 's',
  description: 'Time the main thread spent in each garbage collection, by kind (v8js.gc.type).',
  boundaries: GC_BUCKETS,
};

/**
 * Node's own health as OpenTelemetry's runtime conventions name it: event-loop delay and utilization,
 * heap and resident memory, and each garbage collection's pause (into `gcDuration`). Returns what stops
 * the event-loop monitor and the collections' observer.
 */
export function observeRuntime(meter: Meter, gcDuration: Histogram): () => void {
  const delay = monitorEventLoopDelay({ resolution: 20 });
  delay.enable();
  const collections = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      // Node's gc entries carry the collection's kind in `detail` (not in the type of PerformanceEntry).
      const kind = (entry as { detail?: { kind?: number } }).detail?.kind;
      gcDuration.record(entry.duration / 1000, { 'v8js.gc.type': (kind !== undefined && GC_TYPES[kind]) || 'other' });
    }
  });
  collections.observe({ entryTypes: ['gc'] });
  let lastUtilization: EventLoopUtilization = performance.eventLoopUtilization();

  const nanosToSeconds = (value: number) => (Number.isFinite(value) ? value / 1e9 : 0);
  const p50 = meter.createObservableGauge('nodejs.eventloop.delay.p50', { unit: 's', description: 'Median event-loop delay since the last scrape.' });
  const p99 = meter.createObservableGauge('nodejs.eventloop.delay.p99', { unit: 's', description: '99th percentile of event-loop delay since the last scrape.' });
  const max = meter.createObservableGauge('nodejs.eventloop.delay.max', { unit: 's', description: 'Largest event-loop delay since the last scrape.' });
  // Read together, then the window restarts: each scrape sees the delays since the one before.
  meter.addBatchObservableCallback(
    (result) => {
      result.observe(p50, nanosToSeconds(delay.percentile(50)));
      result.observe(p99, nanosToSeconds(delay.percentile(99)));
      result.observe(max, nanosToSeconds(delay.max));
      delay.reset();
    },
    [p50, p99, max],
  );
  meter.createObservableGauge('nodejs.eventloop.utilization', { unit: '1', description: 'Share of time the event loop was busy since the last scrape.' }).addCallback((result) => {
    const now = performance.eventLoopUtilization();
    result.observe(performance.eventLoopUtilization(now, lastUtilization).utilization);
    lastUtilization = now;
  });
  meter.createObservableGauge('process.memory.usage', { unit: 'By', description: 'Resident set size of the process.' }).addCallback((result) => result.observe(process.memoryUsage.rss()));
  meter.createObservableGauge('v8js.memory.heap.used', { unit: 'By', description: 'V8 heap in use.' }).addCallback((result) => result.observe(process.memoryUsage().heapUsed));
  return () => {
    delay.disable();
    collections.disconnect();
  };
}
