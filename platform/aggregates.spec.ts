import { AggregateDisclosure, DEFAULT_AGGREGATE_MIN_COUNT, forbiddenArgument } from './aggregates';

describe('aggregate disclosure (issue 18, item 1)', () => {
  const dashboard = new AggregateDisclosure({ scopes: ['aggregates:read'] }, 10);
  const reader = new AggregateDisclosure({ scopes: ['aggregates:read', 'persons:read'] }, 10);

  it('withholds every count under the threshold, zero included, from a caller who may only count', () => {
    expect([0, 1, 9, 10, 11, 5000].map((count) => dashboard.count(count, ['persons:read']))).toEqual([null, null, null, 10, 11, 5000]);
    expect(dashboard.suppressedBelow(['persons:read'])).toBe(10);
  });

  it('gives a caller who may read the records every count whole', () => {
    expect([0, 1, 9, 10].map((count) => reader.count(count, ['persons:read']))).toEqual([0, 1, 9, 10]);
    expect(reader.suppressedBelow(['persons:read'])).toBeNull();
  });

  it('asks for every scope of the records counted', () => {
    expect(reader.readsRecords(['persons:read', 'fines:read'])).toBe(false);
    expect(reader.count(3, ['persons:read', 'fines:read'])).toBeNull();
    expect(new AggregateDisclosure(null, 10).count(3, ['persons:read'])).toBeNull();
  });

  it('defaults to 10 and refuses a threshold that is not a positive integer', () => {
    expect(DEFAULT_AGGREGATE_MIN_COUNT).toBe(10);
    expect(() => new AggregateDisclosure(null, 0)).toThrow();
    expect(() => new AggregateDisclosure(null, 2.5)).toThrow();
  });

  it('refuses an argument FORBIDDEN, naming it', () => {
    expect(forbiddenArgument('after', 'persons(after:)', 'needs persons:read.').extensions).toEqual({ code: 'FORBIDDEN', field: 'after' });
  });
});
