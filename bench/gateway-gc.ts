import type { GcTime, Slice } from './report';

/**
 * A gateway's garbage collection so far, from its own `v8js.gc.duration` histogram as its operations
 * listener renders it in Prometheus text (seconds, by `v8js_gc_type`): all collections together, and the
 * full (mark-compact) ones among them, in milliseconds. Null when the text holds no such series.
 */
export function gcTimeOf(metricsText: string): GcTime | null {
  const time: GcTime = { allMs: 0, majorMs: 0 };
  let seen = false;
  for (const line of metricsText.split('\n')) {
    const sample = /^v8js_gc_duration_sum\{([^}]*)\} ([\d.e+-]+)/.exec(line);
    if (!sample) continue;
    seen = true;
    const ms = Number(sample[2]) * 1000;
    time.allMs += ms;
    if (/(?:^|,)v8js_gc_type="major"/.test(sample[1])) time.majorMs += ms;
  }
  return seen ? time : null;
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
  const byType = new Map<string, Map<number, number>>();
  for (const line of metricsText.split('\n')) {
    const sample = /^v8js_gc_duration_bucket\{([^}]*)\} ([\d.e+-]+)/.exec(line);
    if (!sample) continue;
    const type = /v8js_gc_type="([^"]*)"/.exec(sample[1])?.[1] ?? '?';
    const bound = /le="([^"]*)"/.exec(sample[1])?.[1];
    if (bound === undefined) continue;
    const buckets = byType.get(type) ?? new Map<number, number>();
    buckets.set(bound === '+Inf' ? Number.POSITIVE_INFINITY : Number(bound), Number(sample[2]));
    byType.set(type, buckets);
  }
  return byType;
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
