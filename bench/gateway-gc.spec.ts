import { startOpsServer } from '../platform/telemetry/ops-server';
import { startTelemetry } from '../platform/telemetry/telemetry';
import { describeGatewayGc, gcBetween, gcBucketsOf, gcTimeOf, pausesBetween, readGatewayGc } from './gateway-gc';
import type { Slice } from './report';

describe("a gateway's garbage collection, read from its /metrics", () => {
  it('adds up every kind of collection, and the full ones apart, in milliseconds', () => {
    const text = [
      '# HELP v8js_gc_duration Time the main thread spent in each garbage collection, by kind (v8js.gc.type).',
      '# UNIT v8js_gc_duration s',
      '# TYPE v8js_gc_duration histogram',
      'v8js_gc_duration_count{v8js_gc_type="minor",otel_scope_name="dmx"} 40',
      'v8js_gc_duration_sum{v8js_gc_type="minor",otel_scope_name="dmx"} 0.05',
      'v8js_gc_duration_bucket{v8js_gc_type="minor",otel_scope_name="dmx",le="0.001"} 12',
      'v8js_gc_duration_sum{v8js_gc_type="major",otel_scope_name="dmx"} 0.0125',
      'v8js_gc_duration_sum{v8js_gc_type="incremental",otel_scope_name="dmx"} 2e-3',
      'process_memory_usage{otel_scope_name="dmx"} 123456',
    ].join('\n');
    const time = gcTimeOf(text)!;
    expect(time.allMs).toBeCloseTo(64.5, 6);
    expect(time.majorMs).toBeCloseTo(12.5, 6);
  });

  it('is null for a text without the series, and for a listener that is not there', async () => {
    expect(gcTimeOf('process_memory_usage{otel_scope_name="dmx"} 1\n')).toBeNull();
    expect(await readGatewayGc('http://127.0.0.1:9/')).toBeNull();
  });

  it("reads the collections of a live operations listener's process", async () => {
    const telemetry = startTelemetry({ service: 'dmx-bench-test', env: {} });
    const ops = await startOpsServer({ port: 0, host: '127.0.0.1', telemetry, ready: async () => ({ ready: true, checks: {} }) });
    try {
      // Garbage enough for a few scavenges (80 MB of short-lived arrays), observed once this turn is over.
      let allocated = 0;
      for (let round = 0; round < 100; round += 1) allocated += new Array<number>(100_000).fill(round).length;
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(allocated).toBe(10_000_000);
      const time = await readGatewayGc(ops.url);
      expect(time!.allMs).toBeGreaterThan(0);
      expect(time!.majorMs).toBeLessThanOrEqual(time!.allMs);
    } finally {
      await ops.close();
      await telemetry.shutdown();
    }
  });

  it('prints each turn a request sent, a turn not read as ?', () => {
    const turn = (requests: number, gc: { allMs: number; majorMs: number } | null) => ({ whole: { requests, serverGcMs: gc } }) as unknown as Slice;
    expect(describeGatewayGc([turn(100, { allMs: 21, majorMs: 0 }), turn(200, { allMs: 70, majorMs: 10 }), turn(100, null)])).toBe('0.21 / 0.35 / ? (full 0 / 0.05 / ?)');
    expect(describeGatewayGc([turn(100, null), turn(0, { allMs: 1, majorMs: 0 })])).toBe('not read');
  });

  it('counts the collections between two scrapes by kind, and those longer than a bound', () => {
    const scrape = (minor: number[], major: number[]) =>
      [
        ...['0.01', '0.025', '+Inf'].map((bound, index) => `v8js_gc_duration_bucket{v8js_gc_type="minor",otel_scope_name="dmx",le="${bound}"} ${minor[index]}`),
        ...['0.01', '0.025', '+Inf'].map((bound, index) => `v8js_gc_duration_bucket{v8js_gc_type="major",otel_scope_name="dmx",le="${bound}"} ${major[index]}`),
        'v8js_gc_duration_sum{v8js_gc_type="minor",otel_scope_name="dmx"} 0.5',
      ].join('\n');
    const before = gcBucketsOf(scrape([10, 10, 10], [1, 2, 2]));
    expect(before.get('minor')!.get(Number.POSITIVE_INFINITY)).toBe(10);
    const after = gcBucketsOf(scrape([50, 52, 52], [1, 3, 4]));
    // 42 scavenges, 2 of them over 10 ms and none over 25; 2 full collections, 2 over 10 ms, 1 over 25. No bound of 50 ms: not known.
    expect(pausesBetween(before, after, [10, 25, 50])).toEqual([
      { type: 'minor', count: 42, over: { 10: 2, 25: 0, 50: Number.NaN } },
      { type: 'major', count: 2, over: { 10: 2, 25: 1, 50: Number.NaN } },
    ]);
  });

  it('takes the difference of two readings, none when either is missing', () => {
    expect(gcBetween({ allMs: 10, majorMs: 2 }, { allMs: 25, majorMs: 5 })).toEqual({ allMs: 15, majorMs: 3 });
    expect(gcBetween(null, { allMs: 25, majorMs: 5 })).toBeNull();
  });
});
