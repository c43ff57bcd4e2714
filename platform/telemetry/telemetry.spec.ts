import { context, SpanKind, trace, TraceFlags } from '@opentelemetry/api';
import { BasicTracerProvider, InMemorySpanExporter, SamplingDecision, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { parse } from 'graphql';
import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { createLogger } from './logger';
import { startOpsServer } from './ops-server';
import { contextFromHeaders, injectTraceContext, inRecordedSpan, inSpan, sanitizedDocument } from './spans';
import { durationHistogram, samplerFromEnvironment, startTelemetry, traceExporterFromEnvironment } from './telemetry';

const exporter = new InMemorySpanExporter();
const telemetry = startTelemetry({ service: 'dmx-test', env: {}, spanExporter: exporter });

describe('telemetry', () => {
  beforeEach(() => exporter.reset());

  it('makes a span for a wait only under a recorded trace (inRecordedSpan)', async () => {
    const recorded = await inSpan('POST /graphql', { kind: SpanKind.SERVER }, async () => inRecordedSpan('audit append', { parent: context.active() }, async () => 'taken'));
    const unsampled = trace.setSpanContext(context.active(), { traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331', traceFlags: TraceFlags.NONE });
    const unrecorded = await inRecordedSpan('audit append', { parent: unsampled }, async () => 'taken');
    expect([recorded, unrecorded]).toEqual(['taken', 'taken']);
    const waits = exporter.getFinishedSpans().filter((span) => span.name === 'audit append');
    expect(waits).toHaveLength(1);
    expect(waits[0].spanContext().traceId).not.toBe('0af7651916cd43dd8448eb211c80319c');
  });

  it('records nested spans as one trace and carries it to another process in traceparent', async () => {
    const headers = await inSpan('POST /graphql', { kind: SpanKind.SERVER }, async () =>
      inSpan('persons', { kind: SpanKind.CLIENT }, async () => injectTraceContext({})),
    );
    expect(headers.traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    // The receiving side continues the same trace under the client span.
    await inSpan('registry', { kind: SpanKind.SERVER, parent: contextFromHeaders(headers) }, async () => undefined);
    const spans = exporter.getFinishedSpans();
    expect(spans.map((span) => span.name)).toEqual(['persons', 'POST /graphql', 'registry']);
    const [client, server, registry] = spans;
    expect(new Set(spans.map((span) => span.spanContext().traceId)).size).toBe(1);
    expect(client.parentSpanContext?.spanId).toBe(server.spanContext().spanId);
    expect(registry.parentSpanContext?.spanId).toBe(client.spanContext().spanId);
  });

  it("makes no span for @apollo/gateway's scope and leaves the active span active inside its work", async () => {
    const apollo = trace.getTracer('apollo/gateway-js');
    await inSpan('POST /graphql', { kind: SpanKind.SERVER }, async (server) => {
      apollo.startActiveSpan('gateway.validate', (span) => {
        expect(span.isRecording()).toBe(false);
        expect(trace.getActiveSpan()).toBe(server);
      });
      await apollo.startActiveSpan('gateway.fetch', { attributes: { service: 'persons' } }, async (span) => {
        expect(trace.getActiveSpan()).toBe(server);
        await inSpan('POST persons', { kind: SpanKind.CLIENT }, async () => undefined);
        span.end();
      });
    });
    const spans = exporter.getFinishedSpans();
    expect(spans.map((span) => span.name)).toEqual(['POST persons', 'POST /graphql']);
    expect(spans[0].parentSpanContext?.spanId).toBe(spans[1].spanContext().spanId);
  });

  it('marks a failed span with the error code, never the message', async () => {
    const failure = Object.assign(new Error('Aliyev Rashad was not found'), { extensions: { code: 'NOT_FOUND' } });
    await expect(inSpan('read', {}, async () => Promise.reject(failure))).rejects.toBe(failure);
    const [span] = exporter.getFinishedSpans();
    expect(span.attributes['error.type']).toBe('NOT_FOUND');
    expect(JSON.stringify({ attributes: span.attributes, status: span.status, events: span.events })).not.toContain('Aliyev');
  });

  it('keeps no literal value of a document', () => {
    const printed = sanitizedDocument(parse('{ personByDocument(type: PASSPORT, number: "AB12345678", limit: 5) { id } }'));
    expect(printed).not.toContain('AB12345678');
    expect(printed).toContain('PASSPORT');
    expect(printed).toContain('limit: 0');
  });

  it('prints the document on one line, every token kept, a block string emptied too', () => {
    const source = `query Find($type: DocumentType!) {
  personByDocument(type: $type, number: """AB12
345678""") {
    id
    surname
  }
}`;
    const printed = sanitizedDocument(parse(source));
    expect(printed).toBe('query Find($type: DocumentType!) { personByDocument(type: $type, number: "") { id surname } }');
    // Still the same operation.
    expect(sanitizedDocument(parse(printed))).toBe(printed);
  });

  it('serves metrics in Prometheus text on the operations listener, with health and readiness', async () => {
    const histogram = durationHistogram(telemetry, 'http.server.request.duration', 'Duration of HTTP server requests.');
    histogram.record(0.12, { 'http.request.method': 'POST', 'http.response.status_code': 200 });
    let ready = false;
    const ops = await startOpsServer({ port: 0, host: '127.0.0.1', telemetry, ready: async () => ({ ready, checks: { database: ready ? 'up' : 'down' } }) });
    // Garbage enough for a few scavenges (short-lived arrays, 80 MB in all), whose pauses the observer records once this turn is over.
    let allocated = 0;
    for (let round = 0; round < 100; round += 1) allocated += new Array<number>(100_000).fill(round).length;
    await new Promise((resolve) => setTimeout(resolve, 20));
    try {
      const text = await (await fetch(new URL('metrics', ops.url))).text();
      // Rendered as this exporter renders OpenTelemetry names: dots to underscores, the unit on its own # UNIT line.
      expect(text).toContain('# UNIT http_server_request_duration s');
      expect(text).toMatch(/http_server_request_duration_bucket\{.*http_request_method="POST".*le="0.25"\} 1/);
      expect(text).toMatch(/http_server_request_duration_bucket\{.*le="0.1"\} 0/);
      expect(text).toMatch(/nodejs_eventloop_delay_p99\{.*\} [\d.e-]+/);
      expect(text).toMatch(/process_memory_usage\{.*\} \d+/);
      expect(allocated).toBe(10_000_000);
      expect(text).toMatch(/v8js_gc_duration_count\{[^}]*v8js_gc_type="minor"[^}]*\} [1-9]/);
      // In seconds: a scavenge's few milliseconds fall under a quarter of a second.
      expect(text).toMatch(/v8js_gc_duration_bucket\{[^}]*v8js_gc_type="minor"[^}]*le="0.25"\} [1-9]/);
      expect((await fetch(new URL('health', ops.url))).status).toBe(200);
      const notReady = await fetch(new URL('ready', ops.url));
      expect(notReady.status).toBe(503);
      expect(await notReady.json()).toEqual({ status: 'not ready', checks: { database: 'down' } });
      ready = true;
      expect((await fetch(new URL('ready', ops.url))).status).toBe(200);
    } finally {
      await ops.close();
    }
  });

  it('puts the trace id on each log line and censors what could name a person', async () => {
    const lines: string[] = [];
    const destination = new Writable({ write: (chunk, _encoding, done) => (lines.push(String(chunk)), done()) });
    const log = createLogger({ service: 'dmx-test', destination });
    await inSpan('request', {}, async () => log.info({ variables: { surname: 'Aliyev' } }, 'answered'));
    const line = JSON.parse(lines[0]) as Record<string, unknown>;
    expect(line.service).toBe('dmx-test');
    expect(line.trace_id).toMatch(/^[0-9a-f]{32}$/);
    expect(line.variables).toBe('[redacted]');
    expect(trace.getActiveSpan()).toBeUndefined();
  });
});

describe('telemetry switched off', () => {
  it('records nothing and serves no metrics with OTEL_SDK_DISABLED=true', () => {
    jest.isolateModules(() => {
      // A fresh module, as in a process started with the variable set.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { startTelemetry: start } = require('./telemetry') as typeof import('./telemetry');
      const off = start({ service: 'dmx-test', env: { OTEL_SDK_DISABLED: 'true' } });
      expect(off.enabled).toBe(false);
      expect(off.tracing).toBe(false);
    });
  });
});

describe('the trace sampler the standard variables name', () => {
  const ROOT = context.active();
  const sampledParent = trace.setSpanContext(ROOT, { traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331', traceFlags: TraceFlags.SAMPLED });
  const decide = (env: NodeJS.ProcessEnv, parent = ROOT, traceId = 'ffffffffffffffffffffffffffffffff') =>
    samplerFromEnvironment(env).shouldSample(parent, traceId, 'request', SpanKind.SERVER, {}, []).decision;

  it('keeps every trace by default, and a share of them with parentbased_traceidratio, following a sampled caller', () => {
    expect(decide({})).toBe(SamplingDecision.RECORD_AND_SAMPLED);
    const tenth = { OTEL_TRACES_SAMPLER: 'parentbased_traceidratio', OTEL_TRACES_SAMPLER_ARG: '0.1' };
    // About a tenth of 2,000 trace ids (deterministic ones, spread as random ids are) start a kept trace.
    const kept = Array.from({ length: 2000 }, (_, index) => createHash('md5').update(String(index)).digest('hex')).filter(
      (traceId) => decide(tenth, ROOT, traceId) === SamplingDecision.RECORD_AND_SAMPLED,
    ).length;
    expect(kept).toBeGreaterThan(120);
    expect(kept).toBeLessThan(280);
    expect(decide(tenth, sampledParent)).toBe(SamplingDecision.RECORD_AND_SAMPLED);
    expect(decide({ OTEL_TRACES_SAMPLER: 'always_off' }, sampledParent)).toBe(SamplingDecision.NOT_RECORD);
  });

  it.each([
    [{ OTEL_TRACES_SAMPLER: 'sometimes' }, /OTEL_TRACES_SAMPLER: "sometimes"/],
    [{ OTEL_TRACES_SAMPLER: 'traceidratio', OTEL_TRACES_SAMPLER_ARG: '1.5' }, /OTEL_TRACES_SAMPLER_ARG: "1.5"/],
    [{ OTEL_TRACES_SAMPLER: 'parentbased_traceidratio', OTEL_TRACES_SAMPLER_ARG: 'half' }, /OTEL_TRACES_SAMPLER_ARG: "half"/],
  ])('refuses %j, naming the variable', (env, message) => {
    expect(() => samplerFromEnvironment(env)).toThrow(message);
  });
});

describe('the OTLP protocol the standard variables name', () => {
  /** What a collector at OTEL_EXPORTER_OTLP_TRACES_ENDPOINT receives when one span ends, exported as `env` chooses. */
  async function exportOneSpan(env: NodeJS.ProcessEnv): Promise<{ path: string; contentType: string; body: Buffer; traceId: string }> {
    let received!: (request: { path: string; contentType: string; body: Buffer }) => void;
    const arrived = new Promise<{ path: string; contentType: string; body: Buffer }>((resolve) => (received = resolve));
    const collector = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        response.writeHead(200).end();
        received({ path: request.url ?? '', contentType: request.headers['content-type'] ?? '', body: Buffer.concat(chunks) });
      });
    });
    await new Promise<void>((resolve) => collector.listen(0, '127.0.0.1', resolve));
    const before = process.env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT;
    // The exporters read the endpoint from the process's environment, as they do in a service.
    process.env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT = `http://127.0.0.1:${(collector.address() as AddressInfo).port}/v1/traces`;
    try {
      const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(traceExporterFromEnvironment(env))] });
      const span = provider.getTracer('protocol-test').startSpan('POST /graphql');
      span.end();
      const request = await arrived;
      await provider.shutdown();
      return { ...request, traceId: span.spanContext().traceId };
    } finally {
      if (before === undefined) delete process.env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT;
      else process.env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT = before;
      collector.close();
    }
  }

  it('sends protobuf by default, its bytes holding the span name and the raw trace id', async () => {
    const { path, contentType, body, traceId } = await exportOneSpan({});
    expect(path).toBe('/v1/traces');
    expect(contentType).toBe('application/x-protobuf');
    expect(body.includes(Buffer.from('POST /graphql'))).toBe(true);
    expect(body.includes(Buffer.from(traceId, 'hex'))).toBe(true);
  });

  it('sends JSON when OTEL_EXPORTER_OTLP_PROTOCOL says http/json, and the traces variable overrides the general one', async () => {
    const json = await exportOneSpan({ OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json' });
    expect(json.contentType).toBe('application/json');
    const [span] = JSON.parse(json.body.toString('utf8')).resourceSpans[0].scopeSpans[0].spans;
    expect(span).toMatchObject({ name: 'POST /graphql', traceId: json.traceId });
    const overridden = await exportOneSpan({ OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json', OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'http/protobuf' });
    expect(overridden.contentType).toBe('application/x-protobuf');
  });

  it.each([
    [{ OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' }, /OTEL_EXPORTER_OTLP_PROTOCOL: "grpc" is not one of http\/protobuf, http\/json/],
    [{ OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'http/xml' }, /OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: "http\/xml"/],
  ])('refuses %j, naming the variable', (env, message) => {
    expect(() => traceExporterFromEnvironment(env)).toThrow(message);
  });
});
