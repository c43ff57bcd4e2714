import { context, createContextKey, ROOT_CONTEXT, SpanKind } from '@opentelemetry/api';
import { InMemorySpanExporter, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { startTelemetry } from '../platform/telemetry/telemetry';
import { expectData, startGraph, type RunningGraph } from './harness';

/**
 * The gateway runs without AsyncLocalStorage (gateway/main.ts: `asyncContext: false`): each request's
 * trace is handed on by its context. Here the whole process runs so, and a request still makes one
 * trace: the fetches under the gateway's span, each registry's span under a fetch, every span named
 * by its operation.
 */
const exporter = new InMemorySpanExporter();
startTelemetry({ service: 'dmx-test', env: {}, spanExporter: exporter, asyncContext: false });

const PICTURE = `query Picture($id: ID!) {
  person(id: $id) { surname legalStatus { outcome } applications { number } outstandingFines { amount { amount } } permits { kind } }
}`;

describe('traces handed on by the request, without AsyncLocalStorage (issue 22)', () => {
  let graph: RunningGraph;
  const lines: string[] = [];
  beforeAll(async () => {
    graph = await startGraph({ persons: 10, logs: { write: (line) => void lines.push(line) } });
  });
  afterAll(async () => {
    await graph.stop();
  });

  it('keeps one trace from the gateway through every registry it calls, and its log line names it', async () => {
    const { persons } = expectData(await graph.query(`{ persons(first: 10) { nodes { id } } }`));
    exporter.reset();
    // No context manager in this process: a context made active is not seen, so only handing it on works.
    const marked = ROOT_CONTEXT.setValue(createContextKey('marked'), true);
    expect(context.with(marked, () => context.active())).toBe(ROOT_CONTEXT);
    expectData(await graph.query(PICTURE, { id: (persons.nodes[0] as { id: string }).id }));
    await new Promise((resolve) => setTimeout(resolve, 100));
    const spans = exporter.getFinishedSpans();
    const root = spans.find((span) => span.kind === SpanKind.SERVER && span.attributes['graphql.operation.name'] === 'Picture' && span.attributes['graphql.document'] !== undefined);
    expect(root).toBeDefined();
    const trace = spans.filter((span) => span.spanContext().traceId === root!.spanContext().traceId);
    const byId = new Map(trace.map((span) => [span.spanContext().spanId, span]));
    const parentOf = (span: ReadableSpan) => byId.get(span.parentSpanContext?.spanId ?? '');

    const fetches = trace.filter((span) => span.kind === SpanKind.CLIENT && span.attributes['dmx.subgraph.name'] !== undefined);
    expect(new Set(fetches.map((span) => span.attributes['dmx.subgraph.name']))).toEqual(new Set(['persons', 'applications', 'payments', 'permits']));
    for (const fetch of fetches) expect(parentOf(fetch)).toBe(root);
    const registryServers = trace.filter((span) => span.kind === SpanKind.SERVER && span !== root);
    expect(registryServers.length).toBeGreaterThanOrEqual(4);
    for (const server of registryServers) {
      expect(parentOf(server)?.kind).toBe(SpanKind.CLIENT);
      // The registry named its span by the operation through the request, not through an active span.
      expect(server.attributes['graphql.operation.name']).toBeDefined();
    }

    // The gateway's line for the request carries its id and its trace, found through the request.
    const answered = lines.map((line) => JSON.parse(line) as Record<string, unknown>).find((line) => line.msg === 'request answered' && line.trace_id === root!.spanContext().traceId);
    expect(answered?.requestId).toMatch(/^[0-9a-f-]{36}$/);
    // Named as in the metrics: Picture is no committed operation (its span keeps the name).
    expect(answered?.operation).toBe('other');
  });
});
