import type { Meter } from '@opentelemetry/api';
import { monitorEventLoopDelay, performance, type EventLoopUtilization } from 'node:perf_hooks';

/**
 * Node's own health as OpenTelemetry's runtime conventions name it: event-loop delay and utilization,
 * heap and resident memory. Returns what stops the event-loop monitor.
 */
export function observeRuntime(meter: Meter): () => void {
  const delay = monitorEventLoopDelay({ resolution: 20 });
  delay.enable();
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
  return () => delay.disable();
}
