import { BasicTracerProvider, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { context, trace } from '@opentelemetry/api';
import { describeTrace, parseTailArgs, spansOfExport, startSpanCollector, type CollectedSpan } from './tail';

describe('where a slow answer goes (bench/tail.ts)', () => {
  it('reads the spans of an OTLP/JSON export, service by resource, times in ms', () => {
    const spans = spansOfExport({
      resourceSpans: [
        {
          resource: { attributes: [{ key: 'service.name', value: { stringValue: 'dmx-gateway' } }] },
          scopeSpans: [{ spans: [{ traceId: 'ab', spanId: '01', parentSpanId: '', name: 'POST /graphql', startTimeUnixNano: '1700000000123456789', endTimeUnixNano: '1700000000133456789' }] }],
        },
      ],
    });
    expect(spans).toEqual([{ traceId: 'ab', spanId: '01', parentSpanId: null, name: 'POST /graphql', service: 'dmx-gateway', startMs: 1700000000123.456, endMs: 1700000000133.456 }]);
  });

  it('prints a trace parents first, children indented, a span whose parent is missing as a root', () => {
    const span = (spanId: string, parentSpanId: string | null, startMs: number, endMs: number, service = 'gateway'): CollectedSpan => ({ traceId: 't', spanId, parentSpanId, name: `span ${spanId}`, service, startMs, endMs });
    const lines = describeTrace([span('c', 'a', 1003, 1009, 'persons'), span('a', 'client', 1001, 1010), span('b', 'a', 1002, 1003)], 1000);
    expect(lines).toEqual(['    1.0 +    9.0 ms  gateway: span a', '    2.0 +    1.0 ms    gateway: span b', '    3.0 +    6.0 ms    persons: span c']);
  });

  it("collects what OpenTelemetry's own OTLP/JSON exporter sends, by trace", async () => {
    const collector = await startSpanCollector();
    const provider = new BasicTracerProvider({
      resource: resourceFromAttributes({ 'service.name': 'dmx-tail-test' }),
      spanProcessors: [new SimpleSpanProcessor(new OTLPTraceExporter({ url: `${collector.url}/v1/traces` }))],
    });
    try {
      const tracer = provider.getTracer('test');
      const outer = tracer.startSpan('outer');
      tracer.startSpan('inner', {}, trace.setSpan(context.active(), outer)).end();
      outer.end();
      await provider.forceFlush();
      const traceId = outer.spanContext().traceId;
      const spans = collector.spans.get(traceId)!;
      expect(spans.map((span) => [span.name, span.service]).sort()).toEqual([
        ['inner', 'dmx-tail-test'],
        ['outer', 'dmx-tail-test'],
      ]);
      const inner = spans.find((span) => span.name === 'inner')!;
      expect(inner.parentSpanId).toBe(outer.spanContext().spanId);
      expect(inner.endMs).toBeGreaterThanOrEqual(inner.startMs);
      expect(Math.abs(inner.startMs - Date.now())).toBeLessThan(60_000);
    } finally {
      await provider.shutdown();
      await collector.close();
    }
  });

  it('takes its options, and refuses bad ones by name', () => {
    expect(parseTailArgs(['--data', '/tmp/x', '--workload', 'picture', '--rate', '25.5', '--slowest', '3'])).toMatchObject({ data: '/tmp/x', workload: 'picture', rate: 25.5, slowest: 3, seconds: 20 });
    expect(() => parseTailArgs(['--data', '/tmp/x', '--rate', '0'])).toThrow('--rate must be a number above 0');
    expect(() => parseTailArgs(['--data', '/tmp/x', '--slowest', '1.5'])).toThrow('--slowest must be a whole number');
    expect(() => parseTailArgs(['--rate', '5'])).toThrow('--data');
    expect(() => parseTailArgs(['--data', '/tmp/x', '--fast', '1'])).toThrow('unknown option --fast');
    expect(() => parseTailArgs(['--data', '/tmp/x', '--workload', 'picture,page'])).toThrow('--workload takes one workload');
  });
});
