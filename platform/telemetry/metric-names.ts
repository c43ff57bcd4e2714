/**
 * Every metric the services export, by its OpenTelemetry name and as Prometheus shows it (dots to
 * underscores; counters end in _total; histograms add _bucket, _sum and _count). The Grafana
 * dashboard and the alert examples are checked against this list (test/deploy.test.ts), and the
 * instruments are made with these names.
 */
export const METRICS = {
  // Every service
  httpServerDuration: { name: 'http.server.request.duration', kind: 'histogram', services: 'all' },
  eventLoopDelayP50: { name: 'nodejs.eventloop.delay.p50', kind: 'gauge', services: 'all' },
  eventLoopDelayP99: { name: 'nodejs.eventloop.delay.p99', kind: 'gauge', services: 'all' },
  eventLoopDelayMax: { name: 'nodejs.eventloop.delay.max', kind: 'gauge', services: 'all' },
  eventLoopUtilization: { name: 'nodejs.eventloop.utilization', kind: 'gauge', services: 'all' },
  memoryResident: { name: 'process.memory.usage', kind: 'gauge', services: 'all' },
  heapUsed: { name: 'v8js.memory.heap.used', kind: 'gauge', services: 'all' },
  gcDuration: { name: 'v8js.gc.duration', kind: 'histogram', services: 'all' },
  // The gateway
  graphqlErrors: { name: 'dmx.graphql.errors', kind: 'counter', services: 'gateway' },
  subgraphFetchDuration: { name: 'http.client.request.duration', kind: 'histogram', services: 'gateway' },
  readCacheLookups: { name: 'dmx.read_cache.lookups', kind: 'counter', services: 'gateway' },
  fetchBatchSize: { name: 'dmx.fetch_batch.size', kind: 'histogram', services: 'gateway' },
  admissionQueueLength: { name: 'dmx.admission.queue.length', kind: 'gauge', services: 'gateway' },
  admissionRefusals: { name: 'dmx.admission.refusals', kind: 'counter', services: 'gateway' },
  rateLimitRefusals: { name: 'dmx.rate_limit.refusals', kind: 'counter', services: 'gateway' },
  auditWriteDuration: { name: 'dmx.audit.write.duration', kind: 'histogram', services: 'gateway' },
  auditWriteFailures: { name: 'dmx.audit.write.failures', kind: 'counter', services: 'gateway' },
  auditOutboxPending: { name: 'dmx.audit.outbox.pending', kind: 'gauge', services: 'gateway' },
  // The registries
  dbOperationDuration: { name: 'db.client.operation.duration', kind: 'histogram', services: 'registries' },
  dbConnections: { name: 'db.client.connection.count', kind: 'gauge', services: 'registries' },
  dbPendingRequests: { name: 'db.client.connection.pending_requests', kind: 'gauge', services: 'registries' },
  outboxMessages: { name: 'dmx.outbox.messages', kind: 'gauge', services: 'applications' },
  outboxOldestAge: { name: 'dmx.outbox.oldest_waiting.age', kind: 'gauge', services: 'applications' },
} as const;

export type MetricKey = keyof typeof METRICS;

/** The series names Prometheus stores for a metric. */
export function prometheusSeries(metric: { name: string; kind: 'histogram' | 'gauge' | 'counter' }): string[] {
  const base = metric.name.replace(/\./g, '_');
  if (metric.kind === 'histogram') return [`${base}_bucket`, `${base}_sum`, `${base}_count`];
  if (metric.kind === 'counter') return [`${base}_total`];
  return [base];
}
