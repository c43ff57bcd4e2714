import { readFileSync } from 'node:fs';
import path from 'node:path';

/** The parts of a V8 CPU profile (`node --cpu-prof`) this reads. */
export interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string }; children?: number[] }[];
  /** When profiling began, in microseconds of the machine's monotonic clock. */
  startTime: number;
  samples: number[];
  /** Microseconds from the sample before (or from startTime) to each sample. */
  timeDeltas: number[];
}

/** A stretch of the machine's monotonic clock, in microseconds: process.hrtime's, which a V8 profile counts in. */
export interface ClockSpan {
  from: number;
  to: number;
}

/** Where a sampled frame's time goes: telemetry (OpenTelemetry, ours, and the async hooks it installs) or the rest. */
export function isTelemetryFrame(frame: { functionName: string; url: string }): boolean {
  return (
    frame.url.includes('/@opentelemetry/') ||
    frame.url.includes('/platform/telemetry/') ||
    frame.url.includes('/features/telemetry/') ||
    frame.url.includes('/subgraph-fetch/fetch-telemetry') ||
    // AsyncLocalStorage's promise hooks: Node's own code, there only while a context manager is enabled.
    (frame.url.startsWith('node:internal/async_hooks') || frame.url.startsWith('node:internal/async_local_storage'))
  );
}

export interface ProfileShare {
  /**
   * Sampled time the main thread was running JavaScript, GC or native code (idle left out), ms. Wall
   * time: on a shared machine it holds the time the thread waited for a core as well, so it is not the
   * CPU time `/proc` counts.
   */
  busyMs: number;
  /** Of it, in frames `isTelemetryFrame` names, ms. */
  telemetryMs: number;
  share: number;
  /** The telemetry frames' time by function (`name file`), ms. */
  telemetryByFrame: Record<string, number>;
}

/** Node's flags that write a process's CPU profile to `<dir>/<name>.cpuprofile` when it stops; none without a folder. */
export function cpuProfileFlags(dir: string | undefined, name: string): string[] {
  return dir ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(dir)}`, `--cpu-prof-name=${name}.cpuprofile`] : [];
}

/** A CPU profile as `node --cpu-prof` wrote it. */
export function readCpuProfile(profilePath: string): CpuProfile {
  return JSON.parse(readFileSync(profilePath, 'utf8')) as CpuProfile;
}

/**
 * Telemetry's share of a process's busy time in a CPU profile, by the frame each sample was taken in
 * (self time). A ratio within one process, so another process loading the machine moves it little,
 * unlike requests/s; it leaves out what telemetry costs elsewhere (garbage collection of its objects).
 * With `spans`, only the samples taken within them count (the measured turns; a profile covers the
 * process's whole life, start-up and the reading of its inputs included).
 */
export function telemetryShare(profile: CpuProfile, spans?: readonly ClockSpan[]): ProfileShare {
  let busy = 0;
  let telemetryTime = 0;
  const byFrame: Record<string, number> = {};
  forEachBusySample(profile, spans, ({ callFrame: frame }, delta) => {
    busy += delta;
    if (!isTelemetryFrame(frame)) return;
    telemetryTime += delta;
    const name = `${frame.functionName || '(anonymous)'} ${frame.url.slice(frame.url.lastIndexOf('/') + 1)}`;
    byFrame[name] = (byFrame[name] ?? 0) + delta / 1000;
  });
  return { busyMs: busy / 1000, telemetryMs: telemetryTime / 1000, share: busy ? telemetryTime / busy : 0, telemetryByFrame: byFrame };
}

/**
 * Each sample of a profile that is not idle, with the node it was taken in and the microseconds it
 * stands for; with `spans`, only those taken within them.
 */
function forEachBusySample(profile: CpuProfile, spans: readonly ClockSpan[] | undefined, visit: (node: CpuProfile['nodes'][number], deltaUs: number) => void): void {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const within = (at: number) => !spans || spans.some((span) => at >= span.from && at <= span.to);
  let at = profile.startTime;
  profile.samples.forEach((id, index) => {
    const node = byId.get(id)!;
    const delta = profile.timeDeltas[index] ?? 0;
    at += delta;
    if (node.callFrame.functionName !== '(idle)' && within(at)) visit(node, delta);
  });
}

/**
 * Where a sampled frame's code lives: a package (`graphql`, `@apollo/gateway`), a file of this project
 * (`gateway/subgraph-fetch/read-cache`), Node's own code by module (`node:http`), or V8's own work
 * (`(garbage collector)`, `(program)`, a builtin by name).
 */
export function areaOf(frame: { functionName: string; url: string }): string {
  const { url } = frame;
  if (!url) return frame.functionName.startsWith('(') ? frame.functionName : `(native) ${frame.functionName || '(anonymous)'}`;
  const modules = url.lastIndexOf('/node_modules/');
  if (modules >= 0) {
    const [scope, name] = url.slice(modules + '/node_modules/'.length).split('/');
    return scope.startsWith('@') ? `${scope}/${name}` : scope;
  }
  if (url.startsWith('node:')) return `node:${url.slice('node:'.length).replace(/^internal\//, '').split('/')[0]}`;
  const built = url.lastIndexOf('/dist/');
  if (built >= 0) return url.slice(built + '/dist/'.length).replace(/\.js$/, '');
  return url.slice(url.lastIndexOf('/') + 1);
}

export interface AreaTimes {
  /** As ProfileShare's: sampled time not idle, ms (wall time on the main thread). */
  busyMs: number;
  /** Self time by area (areaOf), ms: each sample in the area of the frame it was taken in. */
  self: Record<string, number>;
  /** Inclusive time by area, ms: each sample in every area on its stack, once each. */
  inclusive: Record<string, number>;
}

/** A profile's busy time by area (areaOf), self and inclusive; with `spans`, only the samples taken within them. */
export function timeByArea(profile: CpuProfile, spans?: readonly ClockSpan[]): AreaTimes {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parents = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parents.set(child, node.id);
  /** The areas on a node's stack, itself included, each once: worked out once per node. */
  const stacks = new Map<number, Set<string>>();
  const areasOn = (id: number): Set<string> => {
    let areas = stacks.get(id);
    if (!areas) {
      const parent = parents.get(id);
      areas = new Set(parent === undefined ? [] : areasOn(parent));
      areas.add(areaOf(byId.get(id)!.callFrame));
      stacks.set(id, areas);
    }
    return areas;
  };
  const result: AreaTimes = { busyMs: 0, self: {}, inclusive: {} };
  forEachBusySample(profile, spans, (node, deltaUs) => {
    const delta = deltaUs / 1000;
    result.busyMs += delta;
    const area = areaOf(node.callFrame);
    result.self[area] = (result.self[area] ?? 0) + delta;
    for (const on of areasOn(node.id)) result.inclusive[on] = (result.inclusive[on] ?? 0) + delta;
  });
  return result;
}

/** Busy time by area over some measured turns of one process, and the requests those turns sent. */
export interface TurnsAreas extends AreaTimes {
  requests: number;
}

/** A measured turn as the benchmarks record it: the requests it sent over a stretch of the clock. */
export interface ProfiledTurn {
  whole?: { requests: number; clockUs?: ClockSpan };
}

/** Adds the areas of a process's profile within `turns` (their clock spans) to `into`, with the turns' requests. */
export function addTurnsAreas(into: TurnsAreas, profile: CpuProfile, turns: readonly ProfiledTurn[]): TurnsAreas {
  const times = timeByArea(profile, turns.flatMap((turn) => (turn.whole?.clockUs ? [turn.whole.clockUs] : [])));
  into.busyMs += times.busyMs;
  into.requests += turns.reduce((sum, turn) => sum + (turn.whole?.requests ?? 0), 0);
  for (const part of ['self', 'inclusive'] as const) {
    for (const [area, ms] of Object.entries(times[part])) into[part][area] = (into[part][area] ?? 0) + ms;
  }
  return into;
}

export function emptyTurnsAreas(): TurnsAreas {
  return { busyMs: 0, requests: 0, self: {}, inclusive: {} };
}

/**
 * Lines comparing processes' busy time a request in their measured turns, by area: the total, then
 * the areas whose self time differs most from the first key's, then this project's files whose
 * inclusive time does.
 */
export function describeAreas(title: string, keys: readonly string[], of: (key: string) => TurnsAreas): string[] {
  const perRequest = (key: string, ms: number | undefined) => (of(key).requests ? ((ms ?? 0) * 1000) / of(key).requests : 0);
  const [reference, ...others] = keys;
  const lines = [`${title}: busy ${keys.map((key) => `${key} ${perRequest(key, of(key).busyMs).toFixed(1)}`).join(', ')}`];
  const table = (heading: string, part: 'self' | 'inclusive', included: (area: string) => boolean) => {
    const names = [...new Set(keys.flatMap((key) => Object.keys(of(key)[part])))].filter(included);
    const difference = (area: string) => Math.max(...others.map((key) => Math.abs(perRequest(key, of(key)[part][area]) - perRequest(reference, of(reference)[part][area]))));
    lines.push(`  ${heading}: ${keys.join(' / ')}`);
    for (const area of names.sort((a, b) => difference(b) - difference(a)).slice(0, 12)) {
      lines.push(`    ${area.padEnd(48)} ${keys.map((key) => perRequest(key, of(key)[part][area]).toFixed(1).padStart(8)).join(' ')}`);
    }
  };
  table('self time, the areas that differ most', 'self', () => true);
  table("inclusive time of this project's files, those that differ most", 'inclusive', (area) => area.includes('/'));
  return lines;
}
