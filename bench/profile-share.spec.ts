import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { addTurnsAreas, areaOf, cpuProfileFlags, describeAreas, emptyTurnsAreas, isTelemetryFrame, readCpuProfile, telemetryShare, timeByArea, type CpuProfile } from './profile-share';

/** Runs `check` on a CPU profile as read back from a file of its own, removed after. */
function withProfile(profile: object, check: (read: CpuProfile) => void): void {
  const folder = mkdtempSync(path.join(os.tmpdir(), 'dmx-profile-'));
  try {
    const file = path.join(folder, 'gateway.cpuprofile');
    writeFileSync(file, JSON.stringify(profile));
    check(readCpuProfile(file));
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

describe("telemetry's share of a CPU profile", () => {
  it('names the frames of OpenTelemetry, our telemetry code and the async hooks, and no other', () => {
    expect(isTelemetryFrame({ functionName: 'startSpan', url: 'file:///app/node_modules/@opentelemetry/sdk-trace-base/build/src/Tracer.js' })).toBe(true);
    expect(isTelemetryFrame({ functionName: '', url: 'file:///app/dist/platform/telemetry/http-server.js' })).toBe(true);
    expect(isTelemetryFrame({ functionName: 'promiseInitHook', url: 'node:internal/async_hooks' })).toBe(true);
    expect(isTelemetryFrame({ functionName: 'execute', url: 'file:///app/node_modules/graphql/execution/execute.js' })).toBe(false);
    expect(isTelemetryFrame({ functionName: 'read', url: 'file:///app/dist/gateway/subgraph-fetch/read-cache.js' })).toBe(false);
  });

  it('divides the samples in telemetry frames by every sample but idle ones', () => {
    const nodes = [
      { id: 1, callFrame: { functionName: '(idle)', url: '' } },
      { id: 2, callFrame: { functionName: 'execute', url: 'file:///app/node_modules/graphql/execution/execute.js' } },
      { id: 3, callFrame: { functionName: 'record', url: 'file:///app/node_modules/@opentelemetry/sdk-metrics/build/src/Instruments.js' } },
    ];
    // 1000 µs idle, 3000 µs in graphql, 1000 µs in the SDK.
    withProfile({ nodes, startTime: 0, samples: [1, 2, 2, 3, 2], timeDeltas: [1000, 1000, 1000, 1000, 1000] }, (profile) => {
      expect(telemetryShare(profile)).toEqual({ busyMs: 4, telemetryMs: 1, share: 0.25, telemetryByFrame: { 'record Instruments.js': 1 } });
    });
  });

  it('counts only the samples taken within the given stretches of the clock', () => {
    const nodes = [
      { id: 1, callFrame: { functionName: 'compile', url: 'node:internal/modules/cjs/loader' } },
      { id: 2, callFrame: { functionName: 'execute', url: 'file:///app/node_modules/graphql/execution/execute.js' } },
      { id: 3, callFrame: { functionName: 'startSpan', url: 'file:///app/node_modules/@opentelemetry/sdk-trace/build/src/Tracer.js' } },
    ];
    // Samples at 5,100 (start-up), 5,200, 5,300 (telemetry), 5,400, then 5,500 after the turn.
    withProfile({ nodes, startTime: 5000, samples: [1, 2, 3, 2, 1], timeDeltas: [100, 100, 100, 100, 100] }, (profile) => {
      expect(telemetryShare(profile, [{ from: 5150, to: 5450 }])).toEqual({ busyMs: 0.3, telemetryMs: 0.1, share: 1 / 3, telemetryByFrame: { 'startSpan Tracer.js': 0.1 } });
      expect(telemetryShare(profile, [{ from: 5150, to: 5250 }, { from: 5350, to: 5450 }]).telemetryMs).toBe(0);
      expect(telemetryShare(profile).busyMs).toBeCloseTo(0.5);
    });
  });
});

describe('a profile by where its code lives', () => {
  it('names the area of a frame: a package, a file of this project, a module of Node, V8 itself', () => {
    expect(areaOf({ functionName: 'execute', url: 'file:///app/node_modules/graphql/execution/execute.js' })).toBe('graphql');
    expect(areaOf({ functionName: 'plan', url: 'file:///app/node_modules/@apollo/gateway/node_modules/@apollo/query-planner/dist/x.js' })).toBe('@apollo/query-planner');
    expect(areaOf({ functionName: 'of', url: 'file:///app/dist/gateway/subgraph-fetch/read-cache.js' })).toBe('gateway/subgraph-fetch/read-cache');
    expect(areaOf({ functionName: 'digest', url: 'node:internal/crypto/hash' })).toBe('node:crypto');
    expect(areaOf({ functionName: 'emit', url: 'node:events' })).toBe('node:events');
    expect(areaOf({ functionName: '(garbage collector)', url: '' })).toBe('(garbage collector)');
    expect(areaOf({ functionName: 'stringify', url: '' })).toBe('(native) stringify');
  });

  it('counts each sample in its own frame\'s area, and once in every area on its stack', () => {
    // (root) > handler (ours) > cache.of (ours) > hash (node:crypto); handler > execute (graphql) > handler again.
    const nodes = [
      { id: 1, callFrame: { functionName: '(root)', url: '' }, children: [2, 6] },
      { id: 2, callFrame: { functionName: 'handler', url: 'file:///app/dist/gateway/http/server.js' }, children: [3, 5] },
      { id: 3, callFrame: { functionName: 'of', url: 'file:///app/dist/gateway/subgraph-fetch/read-cache.js' }, children: [4] },
      { id: 4, callFrame: { functionName: 'digest', url: 'node:internal/crypto/hash' } },
      { id: 5, callFrame: { functionName: 'execute', url: 'file:///app/node_modules/graphql/execution/execute.js' }, children: [7] },
      { id: 6, callFrame: { functionName: '(idle)', url: '' } },
      { id: 7, callFrame: { functionName: 'handler', url: 'file:///app/dist/gateway/http/server.js' } },
    ];
    withProfile({ nodes, startTime: 0, samples: [4, 4, 3, 5, 7, 6, 2], timeDeltas: [1000, 1000, 1000, 1000, 1000, 1000, 1000] }, (profile) => {
      const times = timeByArea(profile);
      expect(times.busyMs).toBe(6);
      expect(times.self).toEqual({ 'node:crypto': 2, 'gateway/subgraph-fetch/read-cache': 1, graphql: 1, 'gateway/http/server': 2 });
      expect(times.inclusive).toMatchObject({ 'gateway/subgraph-fetch/read-cache': 3, 'gateway/http/server': 6, graphql: 2, 'node:crypto': 2 });
      // Within a stretch of the clock: the samples at 2,000 and 3,000 µs only.
      expect(timeByArea(profile, [{ from: 1500, to: 3500 }]).self).toEqual({ 'node:crypto': 1, 'gateway/subgraph-fetch/read-cache': 1 });
    });
  });
});

describe("two processes' measured turns compared by area", () => {
  const nodes = [
    { id: 1, callFrame: { functionName: '(root)', url: '' }, children: [2, 4] },
    { id: 2, callFrame: { functionName: 'handler', url: 'file:///app/dist/gateway/http/server.js' }, children: [3] },
    { id: 3, callFrame: { functionName: 'of', url: 'file:///app/dist/gateway/subgraph-fetch/read-cache.js' } },
    { id: 4, callFrame: { functionName: '(garbage collector)', url: '' } },
  ];

  it('adds up the samples within the turns and the requests they sent, turn by turn', () => {
    // Samples at 1,000 to 6,000 us: two turns of one process, 1,500-2,500 and 4,500-6,500 (the third sample is between them).
    withProfile({ nodes, startTime: 0, samples: [2, 3, 4, 3, 4, 4], timeDeltas: [1000, 1000, 1000, 1000, 1000, 1000] }, (profile) => {
      const turns = [{ whole: { requests: 2, clockUs: { from: 1500, to: 2500 } } }, { whole: { requests: 3, clockUs: { from: 4500, to: 6500 } } }, { whole: { requests: 0 } }];
      const areas = addTurnsAreas(emptyTurnsAreas(), profile, turns);
      expect(areas).toMatchObject({ busyMs: 3, requests: 5, self: { 'gateway/subgraph-fetch/read-cache': 1, '(garbage collector)': 2 } });
      // A second process's turns add to the same totals.
      expect(addTurnsAreas(areas, profile, [{ whole: { requests: 5, clockUs: { from: 0, to: 1500 } } }])).toMatchObject({ busyMs: 4, requests: 10, self: { 'gateway/http/server': 1 } });
    });
  });

  it("prints microseconds a request, the areas that differ most from the first process's first", () => {
    const a = { busyMs: 10, requests: 10, self: { '(garbage collector)': 6, graphql: 4 }, inclusive: { 'gateway/http/server': 4 } };
    const b = { busyMs: 4, requests: 10, self: { '(garbage collector)': 1, graphql: 3 }, inclusive: { 'gateway/http/server': 3 } };
    const lines = describeAreas('picture, cold', ['a', 'b'], (key) => (key === 'a' ? a : b));
    expect(lines[0]).toBe('picture, cold: busy a 1000.0, b 400.0');
    expect(lines[2].trim().split(/\s+/)).toEqual(['(garbage', 'collector)', '600.0', '100.0']);
    expect(lines[3].trim().split(/\s+/)).toEqual(['graphql', '400.0', '300.0']);
    expect(lines[5].trim().split(/\s+/)).toEqual(['gateway/http/server', '400.0', '300.0']);
    expect(lines).toHaveLength(6);
  });
});

describe('the flags that write a CPU profile', () => {
  it('name the file in an absolute folder, and are none without a folder', () => {
    expect(cpuProfileFlags('profiles', 'gateway-a-1')).toEqual(['--cpu-prof', `--cpu-prof-dir=${path.resolve('profiles')}`, '--cpu-prof-name=gateway-a-1.cpuprofile']);
    expect(cpuProfileFlags(undefined, 'gateway-a-1')).toEqual([]);
  });
});
