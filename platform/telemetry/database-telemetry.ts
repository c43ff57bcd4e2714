import { SpanKind, type Attributes } from '@opentelemetry/api';
import type { Database, Queryable } from '../db/database';
import { inSpan } from './spans';
import { durationHistogram, type Telemetry } from './telemetry';

/**
 * A database whose statements are traced and timed: one client span per statement, named by the
 * store's tag (`db.query.summary`, the registry as `db.namespace`; the SQL text and its parameters are never recorded), and the
 * `db.client.operation.duration` histogram by tag; a server's pool is observed as connection counts.
 */
export function instrumentDatabase(db: Database, telemetry: Telemetry, namespace: string): Database {
  if (!telemetry.enabled) return db;
  const { meter } = telemetry;
  const duration = durationHistogram(telemetry, 'db.client.operation.duration', 'Duration of database statements, by the store tag that names them.');
  const base: Attributes = { 'db.system.name': db.kind === 'postgres' ? 'postgresql' : 'pglite', 'db.namespace': namespace };
  const attributesByName = new Map<string, Attributes>();
  const attributesOf = (name: string): Attributes => {
    let attributes = attributesByName.get(name);
    if (!attributes) attributesByName.set(name, (attributes = { ...base, 'db.query.summary': name }));
    return attributes;
  };
  const timed = <T>(name: string, work: () => Promise<T>): Promise<T> => {
    const attributes = attributesOf(name);
    const started = performance.now();
    return inSpan(name, { kind: SpanKind.CLIENT, attributes }, work).finally(() => duration.record((performance.now() - started) / 1000, attributes));
  };
  const traced = (target: Queryable): Queryable['query'] => (name, sql, params) => timed(name, () => target.query(name, sql, params));

  const { connections } = db;
  if (connections) {
    const count = meter.createObservableGauge('db.client.connection.count', { unit: '{connection}', description: 'Connections of the pool, by state.' });
    const pending = meter.createObservableGauge('db.client.connection.pending_requests', { unit: '{request}', description: 'Requests waiting for a connection of the pool.' });
    meter.addBatchObservableCallback(
      (result) => {
        const now = connections();
        result.observe(count, now.used, { ...base, 'db.client.connection.state': 'used' });
        result.observe(count, now.idle, { ...base, 'db.client.connection.state': 'idle' });
        result.observe(pending, now.waiting, base);
      },
      [count, pending],
    );
  }

  return {
    kind: db.kind,
    stats: db.stats,
    query: traced(db),
    transaction: (work) => timed('transaction', () => db.transaction((tx) => work({ query: traced(tx) }))),
    exec: (name, script) => timed(name, () => db.exec(name, script)),
    dataVersion: () => db.dataVersion(),
    bookkeeping: { query: traced(db.bookkeeping) },
    connections,
    close: () => db.close(),
  };
}
