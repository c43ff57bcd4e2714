import { ConfigError, parseEnvironment, subgraphEnvironment, subgraphPort } from './config';

describe('subgraph configuration', () => {
  it('has working defaults for the embedded database and the demo world', () => {
    const env = parseEnvironment(subgraphEnvironment, {});
    expect(env).toMatchObject({ HOST: '127.0.0.1', DATA_DIR: './data', DEMO_PERSONS: 3000, DEMO_REFERENCE_DATE: '2026-11-01' });
    expect(env.DATABASE_URL).toBeUndefined();
  });

  it.each([
    ['DEMO_PERSONS', 'many'],
    ['DEMO_PERSONS', '-3'],
    ['DATABASE_URL', 'mysql://localhost/db'],
    ['DEMO_REFERENCE_DATE', '2026-02-30'],
    ['NODE_ENV', 'staging'],
    ['LOG_LEVEL', 'loud'],
  ])('names %s when its value %j is bad', (variable, value) => {
    expect(() => parseEnvironment(subgraphEnvironment, { [variable]: value })).toThrow(ConfigError);
    expect(() => parseEnvironment(subgraphEnvironment, { [variable]: value })).toThrow(new RegExp(variable));
  });

  it('refuses the benchmark port in production', () => {
    const production = { NODE_ENV: 'production', SUBGRAPH_SIGNING_KEY: 'k'.repeat(32) };
    expect(parseEnvironment(subgraphEnvironment, { ...production, NODE_ENV: 'test', DMX_BENCH_PORT: '5101' }).DMX_BENCH_PORT).toBe(5101);
    expect(() => parseEnvironment(subgraphEnvironment, { ...production, DMX_BENCH_PORT: '5101' })).toThrow(/DMX_BENCH_PORT/);
  });

  it('reads each subgraph port from its own variable', () => {
    expect(subgraphPort('persons', { PERSONS_PORT: '5001' }, 4001)).toBe(5001);
    expect(subgraphPort('persons', {}, 4001)).toBe(4001);
    expect(() => subgraphPort('persons', { PERSONS_PORT: '70000' }, 4001)).toThrow(/PERSONS_PORT/);
  });
});
