import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';
import { SpanKind } from '@opentelemetry/api';
import { startTelemetry } from '../telemetry/telemetry';
import { startOpsServer } from '../telemetry/ops-server';
import { personsSubgraph } from '../../subgraphs/persons/app';
import { startSubgraphUnderTest, type SubgraphUnderTest } from '../testing/subgraph-test-app';

// Before the app is built: its instruments and database wrapper are made from this process's telemetry.
const exporter = new InMemorySpanExporter();
const telemetry = startTelemetry({ service: 'dmx-persons', env: {}, spanExporter: exporter });

describe("a registry's traces, metrics and readiness", () => {
  let subgraph: SubgraphUnderTest;
  let url: string;
  beforeAll(async () => {
    subgraph = await startSubgraphUnderTest(personsSubgraph, 5);
    url = await subgraph.app.listen({ port: 0, host: '127.0.0.1' });
  }, 120_000);
  afterAll(() => subgraph.close());

  it("continues the caller's trace: a server span under the caller's span, SQL spans under it, no values recorded", async () => {
    exporter.reset();
    const person = subgraph.histories[0].person;
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const response = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', traceparent: `00-${traceId}-00f067aa0ba902b7-01` },
      body: JSON.stringify({ query: `query PersonById($id: ID!) { person(id: $id) { surname } }`, variables: { id: person.id } }),
    });
    expect(response.status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const spans = exporter.getFinishedSpans().filter((span) => span.spanContext().traceId === traceId);
    const server = spans.find((span) => span.kind === SpanKind.SERVER);
    expect(server).toBeDefined();
    expect(server!.name).toBe('POST /graphql');
    expect(server!.parentSpanContext?.spanId).toBe('00f067aa0ba902b7');
    expect(server!.attributes).toMatchObject({ 'http.route': '/graphql', 'http.response.status_code': 200, 'graphql.operation.type': 'query', 'graphql.operation.name': 'PersonById' });
    const statements = spans.filter((span) => span.kind === SpanKind.CLIENT);
    expect(statements.length).toBeGreaterThan(0);
    for (const statement of statements) {
      expect(statement.attributes['db.namespace']).toBe('persons');
      expect(statement.parentSpanContext?.spanId).toBe(server!.spanContext().spanId);
    }
    // Nothing of the person in any span: neither the id asked for nor the answer.
    const recorded = JSON.stringify(spans.map((span) => ({ name: span.name, attributes: span.attributes, events: span.events })));
    expect(recorded).not.toContain(person.id);
    expect(recorded).not.toContain(person.surname);
  });

  it('counts its requests and statements in the metrics', async () => {
    const ops = await startOpsServer({ port: 0, host: '127.0.0.1', telemetry, ready: async () => ({ ready: true, checks: {} }) });
    try {
      const text = await (await fetch(new URL('metrics', ops.url))).text();
      expect(text).toMatch(/http_server_request_duration_count\{[^}]*http_route="\/graphql"[^}]*\} [1-9]/);
      expect(text).toMatch(/db_client_operation_duration_count\{[^}]*db_namespace="persons"[^}]*db_query_summary="persons\.[^"]+"[^}]*\} [1-9]/);
    } finally {
      await ops.close();
    }
  });

  it('is ready when its database answers and is migrated, and says what is wrong when not', async () => {
    const ready = await fetch(`${url}/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'ready', subgraph: 'persons', checks: { database: 'up' } });
    await subgraph.db.query('test.unmigrate', 'delete from schema_migrations where version = (select max(version) from schema_migrations)');
    const behind = await fetch(`${url}/ready`);
    expect(behind.status).toBe(503);
    expect(((await behind.json()) as { checks: { migrations: string } }).checks.migrations).toMatch(/^at \d+ of \d+$/);
  });
});
