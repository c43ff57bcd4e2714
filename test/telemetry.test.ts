import { SpanKind } from '@opentelemetry/api';
import { InMemorySpanExporter, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { startOpsServer, type RunningOpsServer } from '../platform/telemetry/ops-server';
import { startTelemetry } from '../platform/telemetry/telemetry';
import { clientForms } from '../gateway/features/persisted-operations/persisted-operations';
import { expectData, startGraph, type RunningGraph } from './harness';
import { callerFor, committedOperations } from './partner-kit';

/**
 * Issue 22: one trace per request, from the gateway through every registry it calls to each SQL
 * statement, with no personal data in any span; and metrics that move under load. The graph runs in
 * this process, so one in-memory exporter sees the spans of the gateway and of every registry, carried
 * between them in signed W3C traceparent headers over real HTTP.
 */
const exporter = new InMemorySpanExporter();
const telemetry = startTelemetry({ service: 'dmx-test', env: {}, spanExporter: exporter });

/** The registries a person's picture reads (the audit log takes its records apart, by POST). */
const REGISTRIES = ['persons', 'applications', 'payments', 'permits'];

const PICTURE = `query Picture($id: ID!) {
  person(id: $id) {
    surname
    travelDocuments { number }
    stayPeriods { entryDate days }
    legalStatus { outcome }
    applications { number status }
    outstandingFines { amount { amount } }
    permits { kind validUntil }
  }
}`;

describe('traces and metrics of the graph (issue 22)', () => {
  let graph: RunningGraph;
  let ops: RunningOpsServer;
  beforeAll(async () => {
    graph = await startGraph({ persons: 20 });
    ops = await startOpsServer({ port: 0, host: '127.0.0.1', telemetry, ready: async () => ({ ready: true, checks: {} }) });
  });
  afterAll(async () => {
    await ops.close();
    await graph.stop();
  });

  const personWithEverything = async () => {
    const { persons } = expectData(await graph.query(`{ persons(first: 20) { nodes { id surname travelDocuments { number } } } }`));
    return persons.nodes[0] as { id: string; surname: string; travelDocuments: { number: string }[] };
  };

  it("follows one request through the gateway, every registry it calls and each registry's SQL", async () => {
    const person = await personWithEverything();
    exporter.reset();
    const response = await graph.query(PICTURE, { id: person.id });
    expectData(response);
    // The registries' server spans end as their answers are sent; give the last a moment.
    await new Promise((resolve) => setTimeout(resolve, 100));
    const spans = exporter.getFinishedSpans();
    const root = spans.find((span) => span.kind === SpanKind.SERVER && span.attributes['graphql.operation.name'] === 'Picture');
    expect(root).toBeDefined();
    const trace = spans.filter((span) => span.spanContext().traceId === root!.spanContext().traceId);
    const byId = new Map(trace.map((span) => [span.spanContext().spanId, span]));
    const parentOf = (span: ReadableSpan) => byId.get(span.parentSpanContext?.spanId ?? '');

    // The gateway's fetches, one client span per registry asked, under the request's span.
    const fetches = trace.filter((span) => span.kind === SpanKind.CLIENT && span.attributes['dmx.subgraph.name'] !== undefined);
    const registries = new Set(fetches.map((span) => String(span.attributes['dmx.subgraph.name'])));
    for (const registry of REGISTRIES) expect(registries).toContain(registry);
    for (const fetch of fetches) expect(trace).toContain(fetch);
    // @apollo/gateway's own stage spans are not made: each fetch hangs right under the request's span.
    expect(trace.filter((span) => span.instrumentationScope.name === 'apollo/gateway-js')).toEqual([]);
    for (const fetch of fetches) expect(parentOf(fetch)).toBe(root);
    // The request's wait for its audit record (the log's POST is shared with other requests'), under the request's span.
    const audits = trace.filter((span) => span.name === 'audit append');
    expect(audits.map((span) => [parentOf(span) === root, span.attributes['dmx.audit.outcome']])).toEqual([[true, 'SERVED']]);

    // Each registry's server span is a child of a gateway fetch, and its SQL statements children of it.
    const registryServers = trace.filter((span) => span.kind === SpanKind.SERVER && span !== root);
    expect(registryServers.length).toBeGreaterThanOrEqual(4);
    for (const server of registryServers) expect(parentOf(server)?.kind).toBe(SpanKind.CLIENT);
    const statements = trace.filter((span) => span.attributes['db.query.summary'] !== undefined);
    const namespaces = new Set(statements.map((span) => String(span.attributes['db.namespace'])));
    for (const registry of REGISTRIES) expect(namespaces).toContain(registry);
    for (const statement of statements) expect(parentOf(statement)?.kind).toBe(SpanKind.SERVER);

    // The document is recorded without values; nothing of the person is in any span.
    expect(String(root!.attributes['graphql.document'])).toContain('person(id: $id)');
    const recorded = JSON.stringify(trace.map((span) => ({ name: span.name, attributes: span.attributes, events: span.events })));
    expect(recorded).not.toContain(person.id);
    expect(recorded).not.toContain(person.surname);
    for (const document of person.travelDocuments) expect(recorded).not.toContain(document.number);
  });

  it("shows a read answered from the read cache as the request's wait for the registry's state", async () => {
    const person = await personWithEverything();
    // Asked once (seen), twice (fetched and kept), then answered from what was kept.
    for (let time = 0; time < 2; time += 1) expectData(await graph.query(PICTURE, { id: person.id }));
    exporter.reset();
    expectData(await graph.query(PICTURE, { id: person.id }));
    await new Promise((resolve) => setTimeout(resolve, 100));
    const spans = exporter.getFinishedSpans();
    const root = spans.find((span) => span.kind === SpanKind.SERVER && span.attributes['graphql.operation.name'] === 'Picture')!;
    const trace = spans.filter((span) => span.spanContext().traceId === root.spanContext().traceId);
    const probes = trace.filter((span) => span.name === 'state probe');
    expect(new Set(probes.map((span) => String(span.attributes['dmx.subgraph.name'])))).toEqual(new Set(REGISTRIES));
    for (const probe of probes) expect(probe.parentSpanContext?.spanId).toBe(root.spanContext().spanId);
    // Nothing fetched: every read was a hit.
    expect(trace.filter((span) => span.attributes['dmx.subgraph.name'] !== undefined && span.kind === SpanKind.CLIENT)).toEqual([]);
  });

  it('a document written with inline values keeps none of them in its span', async () => {
    const person = await personWithEverything();
    exporter.reset();
    expectData(await graph.query(`query Inline { person(id: "${person.id}") { surname } }`));
    const root = exporter.getFinishedSpans().find((span) => span.attributes['graphql.operation.name'] === 'Inline');
    expect(String(root!.attributes['graphql.document'])).not.toContain(person.id);
  });

  it('moves the metrics under a small load: requests, fetches per registry, statements, errors', async () => {
    const scrape = async () => (await fetch(new URL('metrics', ops.url))).text();
    const count = (text: string, pattern: RegExp) => [...text.matchAll(pattern)].reduce((sum, match) => sum + Number(match[1]), 0);
    const requests = /http_server_request_duration_count\{[^}]*http_route="\/"[^}]*\} (\d+)/g;
    const fetches = /http_client_request_duration_count\{[^}]*dmx_subgraph_name="persons"[^}]*\} (\d+)/g;
    const statements = /db_client_operation_duration_count\{[^}]*db_namespace="persons"[^}]*\} (\d+)/g;
    const forbidden = /dmx_graphql_errors_total\{[^}]*error_type="FORBIDDEN"[^}]*\} (\d+)/g;
    const committed = /http_server_request_duration_count\{[^}]*graphql_operation_name="PersonPicture"[^}]*\} (\d+)/g;
    const before = await scrape();
    const person = await personWithEverything();
    for (let i = 0; i < 5; i += 1) expectData(await graph.query(PICTURE, { id: person.id }));
    // A field the border service may not read: FORBIDDEN, counted by code.
    await graph.query(`query Fines($id: ID!) { person(id: $id) { outstandingFines { id } } }`, { id: person.id }, await graph.caller('border-service', 'BORDER_CONTROL'));
    // The committed PersonPicture (as Apollo Client sends it, __typename added) is labelled with its name;
    // a document only named like it, and any other name, is "other".
    const picture = committedOperations().find((operation) => operation.name === 'PersonPicture')!;
    expectData(await graph.query(clientForms(picture.text)[1], { id: person.id }, await callerFor(graph, picture)));
    expectData(await graph.query(`query PersonPicture($id: ID!) { person(id: $id) { surname } }`, { id: person.id }));
    const after = await scrape();
    expect(count(after, committed)).toBe(count(before, committed) + 1);
    expect(count(after, requests)).toBeGreaterThanOrEqual(count(before, requests) + 8);
    expect(count(after, fetches)).toBeGreaterThan(count(before, fetches));
    expect(count(after, statements)).toBeGreaterThan(count(before, statements));
    expect(count(after, forbidden)).toBeGreaterThan(count(before, forbidden));
    expect(after).toMatch(/http_server_request_duration_count\{[^}]*graphql_operation_name="PersonPicture"[^}]*\} \d+/);
    expect(after).toMatch(/http_server_request_duration_count\{[^}]*graphql_operation_name="other"[^}]*\} \d+/);
    // A name the caller chose (Picture, Fines) is no label, at the gateway or at a registry (Picture__persons__0).
    expect(after).not.toMatch(/graphql_operation_name="[^"]*(Picture__|Fines)/);
    expect(after).not.toMatch(/graphql_operation_name="Picture"/);
    expect(after).toMatch(/dmx_read_cache_lookups_total\{[^}]*dmx_read_cache_result="hit"[^}]*\} \d+/);
    expect(after).toMatch(/dmx_audit_write_duration_count\{[^}]*\} [1-9]/);
    expect(after).toMatch(/nodejs_eventloop_delay_p99\{[^}]*\} /);
    for (const name of REGISTRIES) expect(after).toContain(`dmx_subgraph_name="${name}"`);
  });
});
