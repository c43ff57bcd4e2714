import { ValueType, type Attributes, type AttributeValue, type HrTime } from '@opentelemetry/api';
import { hrTime } from '@opentelemetry/core';
import type { Resource } from '@opentelemetry/resources';
import { AggregationTemporality, DataPointType, type CollectionResult, type HistogramMetricData, type MetricProducer } from '@opentelemetry/sdk-metrics';

export interface HistogramOptions {
  unit: string;
  description: string;
  /** Upper bounds of the buckets, ascending, each inclusive; one more bucket takes what is above the last. */
  boundaries: readonly number[];
}

/** What a histogram offers the code that records into it: the SDK instrument's `record`, and nothing else. */
export interface Histogram {
  record(value: number, attributes?: Attributes): void;
}

/** Series one histogram keeps at most; past it, new attribute sets count under `otel.metric.overflow`, as the SDK's cardinality limit does. */
export const SERIES_LIMIT = 2000;

const OVERFLOW: Attributes = { 'otel.metric.overflow': true };

/** One attribute set's observations. */
interface Series {
  attributes: Attributes;
  counts: number[];
  sum: number;
  count: number;
  min: number;
  max: number;
}

/** A step of the path to a series: the next attribute's name, then its value. */
interface Step {
  next?: Map<string, Map<AttributeValue | object, Step>>;
  series?: Series;
}

/**
 * A cumulative histogram aggregated here rather than by the SDK's instrument, for the values that are
 * recorded on every request. The SDK finds a record's series by sorting the attribute names and
 * JSON-encoding the set, on every record; this one walks a tree of maps, one level for each attribute
 * in the order the caller wrote them (names are constants of the code, values mostly too: nothing is
 * allocated for a set seen before), and merges sets that differ only in their order when a scrape
 * reads them. What a scrape shows is the same as the SDK's histogram would show.
 */
class KeptHistogram implements Histogram {
  private readonly root: Step = {};
  private readonly series: Series[] = [];
  private overflow: Series | undefined;
  private readonly arrays = new Map<string, object>();
  private readonly startTime: HrTime = hrTime();

  constructor(
    readonly name: string,
    private readonly options: HistogramOptions,
  ) {}

  record(value: number, attributes: Attributes = {}): void {
    // As the SDK's histogram: a value that is not a finite, non-negative number is not recorded.
    if (!(value >= 0 && value < Infinity)) return;
    const series = this.walk(attributes, false)?.series ?? this.seriesFor(attributes);
    const { boundaries } = this.options;
    let bucket = 0;
    while (bucket < boundaries.length && value > boundaries[bucket]) bucket += 1;
    series.counts[bucket] += 1;
    series.sum += value;
    series.count += 1;
    if (value < series.min) series.min = value;
    if (value > series.max) series.max = value;
  }

  /** A new attribute set's series, its path made; past the limit, the overflow series. */
  private seriesFor(attributes: Attributes): Series {
    if (this.series.length >= SERIES_LIMIT) return (this.overflow ??= this.newSeries(OVERFLOW));
    const step = this.walk(attributes, true)!;
    return (step.series ??= this.newSeries(definedOnly(attributes)));
  }

  /**
   * The step an attribute set's path leads to, one level for each defined attribute in the caller's
   * order; the missing steps made when `make`, else none when one is missing (nothing allocated).
   * An array value is keyed by one object for each content (a new array each time is still the same
   * value), never equal to a string or number value.
   */
  private walk(attributes: Attributes, make: boolean): Step | undefined {
    let step = this.root;
    for (const name in attributes) {
      const attribute = attributes[name];
      if (attribute === undefined) continue;
      let key: AttributeValue | object = attribute;
      if (Array.isArray(attribute)) {
        const text = JSON.stringify(attribute);
        const token = this.arrays.get(text);
        if (token) key = token;
        else if (make) this.arrays.set(text, (key = {}));
        else return undefined;
      }
      let byValue = step.next?.get(name);
      let next = byValue?.get(key);
      if (!next) {
        if (!make) return undefined;
        step.next ??= new Map();
        if (!byValue) step.next.set(name, (byValue = new Map()));
        byValue.set(key, (next = {}));
      }
      step = next;
    }
    return step;
  }

  private newSeries(attributes: Attributes): Series {
    const series: Series = { attributes, counts: new Array<number>(this.options.boundaries.length + 1).fill(0), sum: 0, count: 0, min: Infinity, max: -Infinity };
    if (attributes !== OVERFLOW) this.series.push(series);
    return series;
  }

  /** The histogram as the SDK's readers take it: one data point per attribute set, whatever order its names were recorded in. */
  collect(endTime: HrTime): HistogramMetricData {
    const merged = new Map<string, Series>();
    for (const series of this.overflow ? [...this.series, this.overflow] : this.series) {
      const key = JSON.stringify(Object.entries(series.attributes).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
      const into = merged.get(key);
      if (!into) {
        merged.set(key, { ...series, counts: [...series.counts] });
        continue;
      }
      series.counts.forEach((count, bucket) => (into.counts[bucket] += count));
      into.sum += series.sum;
      into.count += series.count;
      into.min = Math.min(into.min, series.min);
      into.max = Math.max(into.max, series.max);
    }
    return {
      descriptor: { name: this.name, description: this.options.description, unit: this.options.unit, valueType: ValueType.DOUBLE },
      aggregationTemporality: AggregationTemporality.CUMULATIVE,
      dataPointType: DataPointType.HISTOGRAM,
      dataPoints: [...merged.values()].map((series) => ({
        startTime: this.startTime,
        endTime,
        attributes: series.attributes,
        value: { buckets: { boundaries: [...this.options.boundaries], counts: series.counts }, sum: series.sum, count: series.count, min: series.min, max: series.max },
      })),
    };
  }
}

function definedOnly(attributes: Attributes): Attributes {
  const copy: Attributes = {};
  for (const name in attributes) {
    const value: AttributeValue | undefined = attributes[name];
    if (value !== undefined) copy[name] = value;
  }
  return copy;
}

/**
 * The histograms of one process, read by its metric reader (the Prometheus exporter) beside the
 * SDK's own instruments, as a MetricProducer. One histogram per name: asking again for a name returns
 * the one already made, as the SDK's meter does.
 */
export class Histograms implements MetricProducer {
  private readonly kept = new Map<string, KeptHistogram>();

  constructor(
    private readonly resource: Resource,
    private readonly scope: string,
  ) {}

  histogram(name: string, options: HistogramOptions): Histogram {
    let histogram = this.kept.get(name);
    if (!histogram) this.kept.set(name, (histogram = new KeptHistogram(name, options)));
    return histogram;
  }

  async collect(): Promise<CollectionResult> {
    const now = hrTime();
    const metrics = [...this.kept.values()].map((histogram) => histogram.collect(now)).filter((metric) => metric.dataPoints.length > 0);
    return { resourceMetrics: { resource: this.resource, scopeMetrics: metrics.length ? [{ scope: { name: this.scope }, metrics }] : [] }, errors: [] };
  }
}
