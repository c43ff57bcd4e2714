import type { MetricKey } from './metric-names';

/**
 * The attributes each metric is recorded with (OpenTelemetry names; Prometheus shows them with dots as
 * underscores). Names and bounded sets only, never values a caller sends: no person, no document number.
 * The registries' are what their code records (http-server.ts, database-telemetry.ts, outbox-relay.ts);
 * the gateway's what its features and data sources record. The dashboard and the alert rules may group and
 * filter only by these (and by Prometheus' own `job`, `instance` and `le`): test/deploy.test.ts checks.
 */
export const METRIC_ATTRIBUTES: Record<MetricKey, readonly string[]> = {
  // error.type: absent when the request was answered without error; else the GraphQL error code or the HTTP status.
  // graphql.operation.name: the gateway's, a committed operation's name or `other`; the registries' spans only.
  httpServerDuration: ['http.request.method', 'http.route', 'http.response.status_code', 'error.type', 'graphql.operation.type', 'graphql.operation.name'],
  eventLoopDelayP50: [],
  eventLoopDelayP99: [],
  eventLoopDelayMax: [],
  eventLoopUtilization: [],
  memoryResident: [],
  heapUsed: [],
  // v8js.gc.type: minor, major, incremental or weakcb.
  gcDuration: ['v8js.gc.type'],
  // error.type: the error's extensions.code.
  graphqlErrors: ['error.type', 'graphql.operation.name'],
  subgraphFetchDuration: ['dmx.subgraph.name', 'http.request.method', 'http.response.status_code', 'error.type'],
  // dmx.read_cache.result: hit, miss, stale, first_seen or passed.
  readCacheLookups: ['dmx.subgraph.name', 'dmx.read_cache.result'],
  fetchBatchSize: ['dmx.subgraph.name'],
  admissionQueueLength: [],
  admissionRefusals: [],
  rateLimitRefusals: ['dmx.agency'],
  auditWriteDuration: [],
  auditWriteFailures: [],
  auditOutboxPending: [],
  dbOperationDuration: ['db.system.name', 'db.namespace', 'db.query.summary'],
  dbConnections: ['db.system.name', 'db.namespace', 'db.client.connection.state'],
  dbPendingRequests: ['db.system.name', 'db.namespace'],
  outboxMessages: ['dmx.outbox.state'],
  outboxOldestAge: [],
};
