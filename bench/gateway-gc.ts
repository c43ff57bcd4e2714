import type { GcTime, Slice } from './report';

/** One kind of collection (`v8js_gc_type`) in a gateway's `v8js.gc.duration` histogram. */
interface GcKind {
  /** Time spent in collections of this kind so far, in milliseconds. */
  sumMs: number;
  /** Cumulative counts by upper bound in seconds (`+Inf` as Infinity). */
  buckets: Map<number, number>;
}

/**
 * A gateway's `v8js.gc.duration` histogram as its operations listener renders it in Prometheus text
 * (seconds), by kind of collection: what gcTimeOf and gcBucketsOf each read of it.
 */
function gcHistogramOf(metricsText: string): Map<string, GcKind> {
  const byType = new Map<string, GcKind>();
  for (const line of metricsText.split('\n')) {
    const sample = /^v8js_gc_duration_(sum|bucket)\{([^}]*)\} ([\d.e+-]+)/.exec(line);
    if (!sample) continue;
    const [, series, labels, value] = sample;
    const type = /(?:^|,)v8js_gc_type="([^"]*)"/.exec(labels)?.[1] ?? '?';
    let kind = byType.get(type);
    if (!kind) byType.set(type, (kind = { sumMs: 0, buckets: new Map() }));
    if (series === 'sum') {
      kind.sumMs += Number(value) * 1000;
      continue;
    }
    const bound = /le="([^"]*)"/.exec(labels)?.[1];
    if (bound !== undefined) kind.buckets.set(bound === '+Inf' ? Number.POSITIVE_INFINITY : Number(bound), Number(value));
  }
  return byType;
}

/**
 * A gateway's garbage collection so far (gcHistogramOf): all collections together, and the full
 * (mark-compact) ones among them, in milliseconds. Null when the text holds no such series.
 */
export function gcTimeOf(metricsText: string): GcTime | null {
  const byType = gcHistogramOf(metricsText);
  if (byType.size === 0) return null;
  let allMs = 0;
  for (const kind of byType.values()) allMs += kind.sumMs;
  return { allMs, majorMs: byType.get('major')?.sumMs ?? 0 };
}

/** What `gcTimeOf` finds in a gateway's `/metrics` now; null when its listener does not answer or holds no series. */
export async function readGatewayGc(opsUrl: string): Promise<GcTime | null> {
  try {
    const response = await fetch(new URL('metrics', opsUrl));
    return response.ok ? gcTimeOf(await response.text()) : null;
  } catch {
    return null;
  }
}

/**
 * A gateway's garbage collection turn by turn, ms a request sent, the full collections among it:
 * `0.21 / 0.35 / 0.33 (full 0 / 0.05 / 0)`; a turn not read is `?`. Turn by turn rather than together,
 * so that a turn that collects more than the others (after a given contestant, after an idle spell)
 * shows as such.
 */
export function describeGatewayGc(turns: readonly Slice[]): string {
  const read = turns.map((turn) => (turn.whole?.serverGcMs && turn.whole.requests ? { gc: turn.whole.serverGcMs, requests: turn.whole.requests } : null));
  if (read.every((turn) => turn === null)) return 'not read';
  const each = (of: (gc: GcTime) => number) => read.map((turn) => (turn ? String(Math.round((of(turn.gc) / turn.requests) * 1000) / 1000) : '?')).join(' / ');
  return `${each((gc) => gc.allMs)} (full ${each((gc) => gc.majorMs)})`;
}

/** What was collected between two readings; null when either is missing. */
export function gcBetween(from: GcTime | null, to: GcTime | null): GcTime | null {
  return from && to ? { allMs: to.allMs - from.allMs, majorMs: to.majorMs - from.majorMs } : null;
}

/** The `v8js.gc.duration` histogram's cumulative bucket counts by `v8js_gc_type`, each by its upper bound in seconds (`+Inf` as Infinity). */
export function gcBucketsOf(metricsText: string): Map<string, Map<number, number>> {
  return new Map([...gcHistogramOf(metricsText)].map(([type, kind]) => [type, kind.buckets]));
}

/**
 * The collections between two readings of gcBucketsOf, by kind: how many, and how many paused longer
 * than each of `overMs` (counted by the histogram's bounds: a bound of exactly that many ms must exist).
 */
export function pausesBetween(before: Map<string, Map<number, number>>, after: Map<string, Map<number, number>>, overMs: readonly number[]): { type: string; count: number; over: Record<number, number> }[] {
  return [...after].map(([type, buckets]) => {
    const earlier = before.get(type);
    const between = (bound: number) => (buckets.get(bound) ?? 0) - (earlier?.get(bound) ?? 0);
    const count = between(Number.POSITIVE_INFINITY);
    const over = Object.fromEntries(overMs.map((ms) => [ms, buckets.has(ms / 1000) ? count - between(ms / 1000) : Number.NaN]));
    return { type, count, over };
  });
}
