import type { Attributes } from '@opentelemetry/api';
import { PrometheusExporter, PrometheusSerializer } from '@opentelemetry/exporter-prometheus';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { MeterProvider, type HistogramMetricData } from '@opentelemetry/sdk-metrics';
import { Histograms, SERIES_LIMIT } from './histograms';

const resource = resourceFromAttributes({ 'service.name': 'dmx-test' });
const SCOPE = 'dmx-test-scope';
const boundaries = [0.005, 0.01, 0.1, 1];

/** The Prometheus text a reader renders for what it collects: the lines of the named metric, sorted. */
async function scraped(reader: PrometheusExporter, metric: string): Promise<string[]> {
  const { resourceMetrics } = await reader.collect();
  const text = new PrometheusSerializer().serialize(resourceMetrics);
  return text
    .split('\n')
    .filter((line) => line.includes(metric))
    .sort();
}

async function histogramData(histograms: Histograms): Promise<HistogramMetricData[]> {
  const { resourceMetrics } = await histograms.collect();
  return resourceMetrics.scopeMetrics.flatMap((scope) => scope.metrics) as HistogramMetricData[];
}

describe('histograms aggregated for every-request values (issue 22, telemetry cost)', () => {
  it("scrape exactly as the SDK's histogram with the same buckets, whatever order the attributes were written in", async () => {
    const histograms = new Histograms(resource, SCOPE);
    const ours = new PrometheusExporter({ preventServerStart: true, metricProducers: [histograms] });
    new MeterProvider({ resource, readers: [ours] });
    const theirs = new PrometheusExporter({ preventServerStart: true });
    const sdk = new MeterProvider({ resource, readers: [theirs] })
      .getMeter(SCOPE)
      .createHistogram('dmx.test.duration', { unit: 's', description: 'A test duration.', advice: { explicitBucketBoundaries: boundaries } });
    const kept = histograms.histogram('dmx.test.duration', { unit: 's', description: 'A test duration.', boundaries });

    // Values on each bound (upper bounds are inclusive), between them, above the last; three attribute sets, one of them written in two orders.
    const records: [number, Attributes][] = [
      [0.005, { 'http.route': '/graphql', 'http.request.method': 'POST' }],
      [0.0051, { 'http.request.method': 'POST', 'http.route': '/graphql' }],
      [0.1, { 'http.request.method': 'POST', 'http.route': '/graphql' }],
      [2.5, { 'http.route': '/graphql', 'http.request.method': 'POST' }],
      [0, { 'http.request.method': 'GET', 'http.route': 'other' }],
      [1, { 'http.request.method': 'GET', 'http.route': 'other', 'error.type': '500' }],
      [0.02, { 'http.request.method': 'GET', 'http.route': 'other' }],
    ];
    for (const [value, attributes] of records) {
      sdk.record(value, attributes);
      kept.record(value, attributes);
    }
    const expected = await scraped(theirs, 'dmx_test_duration');
    expect(expected.some((line) => line.startsWith('dmx_test_duration_bucket'))).toBe(true);
    expect(await scraped(ours, 'dmx_test_duration')).toEqual(expected);

    // An attribute whose value is undefined is not there (the SDK's histogram would show it as an empty label).
    kept.record(0.02, { 'http.request.method': 'GET', 'http.route': 'other', 'error.type': undefined });
    expect(await scraped(ours, 'dmx_test_duration')).toContainEqual(expect.stringMatching(/^dmx_test_duration_count\{http_request_method="GET",http_route="other",otel_scope_name="dmx-test-scope"\} 3$/));
  });

  it('records no value that is negative or not finite', async () => {
    const histograms = new Histograms(resource, SCOPE);
    const histogram = histograms.histogram('dmx.test.duration', { unit: 's', description: 'd', boundaries });
    for (const value of [-1, Number.NaN, Number.POSITIVE_INFINITY]) histogram.record(value, { a: 'x' });
    expect(await histogramData(histograms)).toEqual([]);
    histogram.record(0.5, { a: 'x' });
    const [metric] = await histogramData(histograms);
    expect(metric.dataPoints).toHaveLength(1);
    expect(metric.dataPoints[0].value).toMatchObject({ count: 1, sum: 0.5, min: 0.5, max: 0.5, buckets: { boundaries, counts: [0, 0, 0, 1, 0] } });
  });

  it(`keeps at most ${SERIES_LIMIT} attribute sets and counts the rest under otel.metric.overflow`, async () => {
    const histograms = new Histograms(resource, SCOPE);
    const histogram = histograms.histogram('dmx.test.duration', { unit: 's', description: 'd', boundaries });
    for (let index = 0; index < SERIES_LIMIT + 5; index += 1) histogram.record(0.001, { 'graphql.operation.name': `Op${index}` });
    // An attribute set kept before the limit was reached still counts under its own series.
    histogram.record(0.001, { 'graphql.operation.name': 'Op0' });
    const [metric] = await histogramData(histograms);
    expect(metric.dataPoints).toHaveLength(SERIES_LIMIT + 1);
    const overflow = metric.dataPoints.find((point) => point.attributes['otel.metric.overflow'] === true);
    expect(overflow?.value.count).toBe(5);
    expect(metric.dataPoints.find((point) => point.attributes['graphql.operation.name'] === 'Op0')?.value.count).toBe(2);
  });

  it('hands out one histogram per name, and keeps what the caller changes after recording out of it', async () => {
    const histograms = new Histograms(resource, SCOPE);
    const first = histograms.histogram('dmx.test.duration', { unit: 's', description: 'd', boundaries });
    expect(histograms.histogram('dmx.test.duration', { unit: 's', description: 'd', boundaries })).toBe(first);
    const attributes: Attributes = { 'http.route': '/graphql' };
    first.record(0.001, attributes);
    attributes['http.route'] = '/changed';
    const [metric] = await histogramData(histograms);
    expect(metric.dataPoints.map((point) => point.attributes)).toEqual([{ 'http.route': '/graphql' }]);
  });
});

describe('histogram series of values that are not plain strings', () => {
  it('keeps numbers, booleans, strings and arrays of the same text apart, and an array by its contents', async () => {
    const histograms = new Histograms(resource, SCOPE);
    const histogram = histograms.histogram('dmx.test.size', { unit: '{read}', description: 'd', boundaries: [1, 2] });
    for (const value of [200, '200', true, 'true', ['a', 'b'], '["a","b"]']) histogram.record(1, { value });
    histogram.record(1, { value: ['a', 'b'] });
    const [metric] = await histogramData(histograms);
    expect(metric.dataPoints.map((point) => [point.attributes.value, point.value.count])).toEqual([
      [200, 1],
      ['200', 1],
      [true, 1],
      ['true', 1],
      [['a', 'b'], 2],
      ['["a","b"]', 1],
    ]);
  });
});
