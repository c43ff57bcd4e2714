import { checkTargets, markdownTable, parseBenchArgs, ratio, round, type Measurement } from './report';

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
    expect(parseBenchArgs([])).toMatchObject({ persons: 100_000, duration: 10, connections: 50, pageSizes: [1, 10, 100, 1000], skipRules: false });
    expect(parseBenchArgs(['--persons', '2000', '--duration', '2', '--page-sizes', '1,50', '--skip-rules', '--profile', 'profiles'])).toMatchObject({
      persons: 2000,
      duration: 2,
      pageSizes: [1, 50],
      skipRules: true,
      profileDir: 'profiles',
    });
    expect(parseBenchArgs([]).profileDir).toBeUndefined();
  });

  it.each([[['--persons', 'many']], [['--duration', '0']], [['--page-sizes', '1,5000']], [['--fast']], [['--persons']], [['--profile']]])('refuses %j, naming the option', (argv) => {
    expect(() => parseBenchArgs(argv)).toThrow(new RegExp(argv[0]));
  });

  it('gives ratios to two decimals, and none when the divisor is missing or zero', () => {
    expect(ratio(200, 90)).toBe(2.22);
    expect(ratio(1, 0)).toBeNull();
    expect(ratio(1, undefined)).toBeNull();
    expect(round(12.345, 2)).toBe(12.35);
  });

  it('checks every target of the issue and never counts an unmeasured one as met', () => {
    const fast = { ours: measured(300, 10, 25, 100), stock: measured(100, 30, 80, 120), hive: measured(200, 15, 40, 150) };
    const targets = checkTargets({ picture: fast, page: fast, document: fast }, measured(400, 8, 20, 500));
    expect(targets).toHaveLength(9);
    expect(targets.every((target) => target.met)).toBe(true);

    const unmeasured = checkTargets({ picture: fast, page: { ...fast, hive: measured(0, 0, 0, 150) }, document: fast }, null);
    expect(unmeasured.find((target) => target.target.startsWith('page: requests/s ours/hive'))).toMatchObject({ measured: 'not measured', met: false });
    expect(unmeasured.find((target) => target.target.includes('one process'))).toMatchObject({ met: false });
  });

  it('prints a markdown table with thousands separators and a dash for what is missing', () => {
    expect(markdownTable(['a', 'b'], [[1234.5, null], ['x', 2]])).toBe('| a | b |\n| --- | --- |\n| 1,234.5 | – |\n| x | 2 |');
  });
});
