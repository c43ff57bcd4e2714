import { checkTargets, combineSlices, letterOf, markdownTable, p99AgainstPeers, pairedRatio, parseBenchArgs, percentile, ratio, rotated, round, type BenchResults, type Measurement, type Slice } from './report';

const measured = (requestsPerSecond: number, p50Ms: number, p99Ms: number, peakRssMiB: number): Measurement => ({
  requestsPerSecond,
  p50Ms,
  p99Ms,
  peakRssMiB,
  failed: 0,
  requests: 100,
  sqlPerRequest: 10,
});

describe('gateway benchmark helpers', () => {
  it('reads the command line, with defaults for what is not given', () => {
    expect(parseBenchArgs([])).toMatchObject({ persons: 100_000, duration: 12, warmup: 2, rounds: 3, connections: 50, officers: 20, pageSizes: [1, 10, 100, 1000], skipRules: false });
    expect(parseBenchArgs([]).order).toEqual(['ours', 'oursUncached', 'stock', 'hive', 'hiveRouter']);
    expect(parseBenchArgs([]).order.map(letterOf)).toEqual(['a', "a'", 'b', 'c', 'd']);
    expect(parseBenchArgs(['--order', "a',a,b,c,d"]).order).toEqual(['oursUncached', 'ours', 'stock', 'hive', 'hiveRouter']);
    expect(parseBenchArgs(['--order', 'd, c, b, a′, a']).order).toEqual(['hiveRouter', 'hive', 'stock', 'oursUncached', 'ours']);
    for (const bad of ['a,b,c,d', "a,a,b,c,d", "a,a',b,c,e", "a,a',b,c,d,d", '']) expect(() => parseBenchArgs(['--order', bad])).toThrow(/--order must name each of a,a',b,c,d once/);
    expect(parseBenchArgs(['--persons', '2000', '--duration', '2', '--rounds', '1', '--officers', '1', '--page-sizes', '1,50', '--skip-rules', '--profile', 'profiles', '--baseline', '../before/dist'])).toMatchObject({
      persons: 2000,
      officers: 1,
      duration: 2,
      rounds: 1,
      pageSizes: [1, 50],
      skipRules: true,
      profileDir: 'profiles',
      baseline: '../before/dist',
    });
    expect(parseBenchArgs([]).profileDir).toBeUndefined();
    expect(parseBenchArgs([]).baseline).toBeUndefined();
  });

  it.each([[['--persons', 'many']], [['--duration', '0']], [['--rounds', '0']], [['--officers', '0']], [['--page-sizes', '1,5000']], [['--fast']], [['--persons']], [['--profile']], [['--baseline']]])('refuses %j, naming the option', (argv) => {
    expect(() => parseBenchArgs(argv)).toThrow(new RegExp(argv[0]));
  });

  it('gives ratios to two decimals, and none when the divisor is missing or zero', () => {
    expect(ratio(200, 90)).toBe(2.22);
    expect(ratio(1, 0)).toBeNull();
    expect(ratio(1, undefined)).toBeNull();
    expect(round(12.345, 2)).toBe(12.35);
  });

  it('checks every target of the issues and never counts an unmeasured one as met', () => {
    // (a') and (c) are reported, and held only to a >= a' and the cold page's a'/d: (a) is the gateway as shipped.
    const fast = { ours: measured(300, 10, 25, 100), oursUncached: measured(250, 40, 200, 900), stock: measured(100, 30, 80, 120), hive: measured(200, 15, 40, 150), hiveRouter: measured(140, 20, 50, 130) };
    const rates = [0.25, 0.5, 0.75].map((share) => ({ workload: 'picture' as const, share, rate: Math.round(100 * share), byGateway: fast }));
    // Every trace kept costs more than the target allows; the target reads the sampled gateway.
    const telemetry = { on: measured(270, 10, 25, 100), sampled: measured(297, 10, 25, 100), off: measured(300, 10, 25, 100) };
    const results: BenchResults = {
      warm: { picture: fast, page: fast, document: fast },
      cold: { picture: fast, page: fast, document: fast },
      mix: fast,
      agencies: fast,
      fixedRates: rates,
      telemetry: { picture: telemetry, page: telemetry, document: telemetry },
      oneProcess: measured(400, 8, 20, 500),
    };
    const targets = checkTargets(results);
    // a/b and a/d warm and cold on three workloads (12), the cold page's a'/d, a >= a' on eight loads,
    // p99/p50 at three rates, memory, telemetry on three workloads, the one-process latency.
    expect(targets).toHaveLength(12 + 1 + 8 + 3 + 1 + 3 + 1);
    expect(targets.filter((target) => !target.met)).toEqual([]);
    expect(targets.find((target) => target.target.startsWith('picture: requests/s lost with telemetry on as deployed'))).toMatchObject({ measured: '1 %', met: true });

    const slowPeer = { ...fast, hiveRouter: measured(200, 10, 25, 130) };
    const tailAtHalf = { ...rates[1], byGateway: { ...fast, ours: measured(50, 10, 31, 100) } };
    const worse = checkTargets({ ...results, cold: { ...results.cold!, page: slowPeer }, fixedRates: [rates[0], tailAtHalf, rates[2]], mix: { ...fast, ours: measured(200, 10, 25, 100) } });
    expect(worse.filter((target) => !target.met).map((target) => target.target)).toEqual([
      'page, cold: requests/s a/d (ours/Hive, Rust planner) >= 2',
      "page, cold: requests/s a'/d (nothing kept/Hive, Rust planner) >= 1.5",
      "read/write mix: requests/s a/a' (ours/nothing kept) >= 1",
      "picture at 50 % of stock's saturation (50/s): ours p99/p50 <= 3",
    ]);
  });

  it('never counts a phase not run, or a gateway that answered nothing, as met', () => {
    const fast = { ours: measured(300, 10, 25, 100), oursUncached: measured(250, 40, 200, 900), stock: measured(100, 30, 80, 120), hive: measured(200, 15, 40, 150), hiveRouter: measured(140, 20, 50, 130) };
    const silent = { ...measured(0, 0, 0, 100), requests: 0 };
    const unmeasured = checkTargets({ warm: { picture: fast, page: { ...fast, hiveRouter: silent }, document: fast }, cold: null, mix: null, agencies: null, fixedRates: [], telemetry: null, oneProcess: null });
    expect(unmeasured.find((target) => target.target.startsWith('page, warm: requests/s a/d'))).toMatchObject({ measured: 'not measured', met: false });
    expect(unmeasured.find((target) => target.target.startsWith('document, cold: requests/s a/b'))).toMatchObject({ measured: 'not measured', met: false });
    expect(unmeasured.find((target) => target.target.startsWith('read/write mix'))).toMatchObject({ met: false });
    expect(unmeasured.find((target) => target.target.includes('telemetry'))).toMatchObject({ met: false });
    expect(unmeasured.find((target) => target.target.includes('one process'))).toMatchObject({ met: false });
  });

  it("sets ours' p99 at a fixed rate against the lowest of the peers' that answered, leaving (a') out", () => {
    const byGateway = { ours: measured(50, 10, 42, 100), oursUncached: measured(50, 5, 20, 100), stock: measured(50, 8, 47, 100), hive: measured(50, 9, 152, 100), hiveRouter: measured(50, 9, 77, 100) };
    const row = { workload: 'document' as const, share: 0.25, rate: 50, byGateway };
    // 42 / 47: (a')'s 20 is not a peer's.
    expect(p99AgainstPeers(row)).toBe(0.89);
    expect(p99AgainstPeers({ ...row, byGateway: { ...byGateway, stock: { ...measured(0, 0, 1, 100), requests: 0 } } })).toBe(0.55);
    expect(p99AgainstPeers({ ...row, byGateway: { ...byGateway, ours: { ...byGateway.ours, requests: 0 } } })).toBeNull();
  });

  it('pairs two gateways round by round and takes the median ratio, so that one disturbed round does not move it', () => {
    const rates = (requestsPerSecond: number, roundRates?: number[]): Measurement => ({ ...measured(requestsPerSecond, 10, 20, 100), roundRates });
    // The machine got busier over the run; in the third round the off turn alone was disturbed.
    expect(pairedRatio(rates(180, [200, 190, 180, 150]), rates(190, [210, 200, 100, 160]))).toBe(0.95);
    expect(pairedRatio(rates(180, [200, 190, 180]), rates(190, [210, 200, 100]))).toBe(0.95);
    // Rounds that cannot be paired: the ratio of the totals.
    expect(pairedRatio(rates(90), rates(100))).toBe(0.9);
    expect(pairedRatio(rates(90, [90, 90]), rates(100, [100]))).toBe(0.9);
    expect(pairedRatio(rates(90, [90]), rates(0, [0]))).toBeNull();
    expect(pairedRatio(undefined, rates(100, [100]))).toBeNull();
  });

  it('takes percentiles by nearest rank', () => {
    const values = Array.from({ length: 100 }, (_, index) => index + 1);
    expect(percentile(values, 0.5)).toBe(50);
    expect(percentile(values, 0.99)).toBe(99);
    expect(percentile([7], 0.99)).toBe(7);
    expect(percentile([], 0.5)).toBeNull();
  });

  it('combines turns: rates over the measured seconds together, percentiles over all answers, costs per answer', () => {
    const turn = (overrides: Partial<Slice>): Slice => ({
      seconds: 2,
      latenciesMs: [],
      failed: 0,
      statements: 0,
      fetches: 0,
      probes: 0,
      serverCpuMs: 0,
      registryCpuMs: { persons: 0, permits: 0 },
      loadGeneratorCpuMs: 0,
      machineBusyMs: 0,
      cores: 2,
      ...overrides,
    });
    // A fast turn and a slow one: 30 answers in 4 s, the slow turn's latencies in the tail.
    const fast = turn({ latenciesMs: Array(20).fill(10), statements: 80, fetches: 40, probes: 10, serverCpuMs: 100, registryCpuMs: { persons: 200, permits: 100 }, loadGeneratorCpuMs: 50, machineBusyMs: 450 });
    const slow = turn({ latenciesMs: Array(10).fill(50), failed: 1, statements: 40, fetches: 20, probes: 5, serverCpuMs: 50, registryCpuMs: { persons: 100, permits: 50 }, loadGeneratorCpuMs: 25, machineBusyMs: 625 });
    const combined = combineSlices([fast, slow], 200);
    expect(combined).toMatchObject({
      requestsPerSecond: 7.5,
      requests: 30,
      p50Ms: 10,
      p99Ms: 50,
      failed: 1,
      sqlPerRequest: 4,
      subgraphFetchesPerRequest: 2,
      stateProbesPerRequest: 0.5,
      peakRssMiB: 200,
      gatewayCpuMsPerRequest: 5,
      subgraphsCpuMsPerRequest: 15,
      subgraphCpuMsPerRequestByName: { persons: 10, permits: 5 },
    });
    // The machine was busy 1075 ms of 8000 (4 s on 2 cores); 675 of them were the benchmark's own.
    expect(combined.otherLoadShare).toBe(0.05);
  });

  it("counts a request's cost over the whole turn, not the window's answers", () => {
    // 50 connections and a 1.7 s window: 10 pages answered in it, while the registries served the
    // fetches of every page in flight. The turn sent 40 pages in all, each 6 fetches and 8 statements.
    const turn: Slice = {
      seconds: 1.7,
      latenciesMs: Array(10).fill(2200),
      failed: 0,
      statements: 160,
      fetches: 120,
      probes: 0,
      serverCpuMs: 800,
      registryCpuMs: { persons: 400, permits: 800 },
      loadGeneratorCpuMs: 10,
      machineBusyMs: 2000,
      cores: 2,
      whole: { requests: 40, statements: 320, fetches: 240, probes: 0, serverCpuMs: 1800, registryCpuMs: { persons: 600, permits: 1800 } },
    };
    expect(combineSlices([turn], null)).toMatchObject({
      requestsPerSecond: 5.9,
      requests: 10,
      sqlPerRequest: 8,
      subgraphFetchesPerRequest: 6,
      stateProbesPerRequest: 0,
      gatewayCpuMsPerRequest: 45,
      subgraphsCpuMsPerRequest: 60,
      subgraphCpuMsPerRequestByName: { persons: 15, permits: 45 },
    });
    // A turn without its whole cost: every turn falls back to the window's.
    expect(combineSlices([turn, { ...turn, whole: undefined }], null)).toMatchObject({ subgraphFetchesPerRequest: 12 });
  });

  it('leaves out what a turn could not measure instead of counting it as zero', () => {
    const blind: Slice = { seconds: 1, latenciesMs: [5], failed: 0, statements: 3, fetches: null, probes: null, serverCpuMs: null, registryCpuMs: null, loadGeneratorCpuMs: 0, machineBusyMs: null, cores: 2 };
    expect(combineSlices([blind], null)).toMatchObject({ subgraphFetchesPerRequest: null, stateProbesPerRequest: null, gatewayCpuMsPerRequest: null, subgraphsCpuMsPerRequest: null, otherLoadShare: null, subgraphCpuMsPerRequestByName: undefined });
    expect(combineSlices([], null)).toMatchObject({ requestsPerSecond: 0, requests: 0, sqlPerRequest: null });
  });

  it('prints a markdown table with thousands separators and a dash for what is missing', () => {
    expect(markdownTable(['a', 'b'], [[1234.5, null], ['x', 2]])).toBe('| a | b |\n| --- | --- |\n| 1,234.5 | – |\n| x | 2 |');
  });

  it('rotated: each round begins one further along, wrapping round', () => {
    expect([0, 1, 2, 3].map((offset) => rotated(['a', 'b', 'c'], offset))).toEqual([
      ['a', 'b', 'c'],
      ['b', 'c', 'a'],
      ['c', 'a', 'b'],
      ['a', 'b', 'c'],
    ]);
    expect(rotated([], 2)).toEqual([]);
  });
});
