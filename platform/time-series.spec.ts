import { TimeBucket } from './federation/time-bucket.type';
import { periodStartOf, seriesPeriod } from './time-series';

describe('the range of a statistics series (issue 23)', () => {
  it.each([
    ['2026-11-02', TimeBucket.WEEK, '2026-11-02'], // a Monday
    ['2026-11-08', TimeBucket.WEEK, '2026-11-02'], // a Sunday
    ['2026-01-01', TimeBucket.WEEK, '2025-12-29'], // ISO week 1 of 2026 starts in 2025
    ['2024-02-29', TimeBucket.MONTH, '2024-02-01'],
  ])('%s falls in the %s that starts on %s', (day, bucket, start) => {
    expect(periodStartOf(day, bucket)).toBe(start);
  });

  it.each([
    ['2026-10-14', '2026-11-02', TimeBucket.WEEK, { from: '2026-10-12', to: '2026-11-08', periods: 4 }],
    ['2026-11-02', '2026-11-02', TimeBucket.WEEK, { from: '2026-11-02', to: '2026-11-08', periods: 1 }],
    ['2025-11-03', '2026-11-02', TimeBucket.MONTH, { from: '2025-11-01', to: '2026-11-30', periods: 13 }],
    ['2024-01-31', '2024-03-01', TimeBucket.MONTH, { from: '2024-01-01', to: '2024-03-31', periods: 3 }],
  ])('widens %s..%s to whole %s periods', (from, to, bucket, expected) => {
    const period = seriesPeriod(from, to, bucket);
    expect({ from: period.from, to: period.to, periods: period.periodStarts.length }).toEqual(expected);
    expect(period.periodStarts[0]).toBe(period.from);
  });

  it.each([
    ['2026-11-02', '2026-11-01', 'to', /must not be before from/],
    ['2023-11-01', '2026-11-02', 'to', /longer than two years/],
    ['1899-12-31', '1900-01-31', 'from', /1900-01-01 or later/],
    ['2099-12-01', '2100-01-01', 'to', /2099-12-31 or earlier/],
  ])('refuses %s..%s naming %s', (from, to, field, message) => {
    let error: any;
    try {
      seriesPeriod(from, to, TimeBucket.WEEK);
    } catch (caught) {
      error = caught;
    }
    expect(error?.extensions).toEqual({ code: 'BAD_USER_INPUT', field });
    expect(error.message).toMatch(message);
  });

  it('takes a range of exactly two years, a leap day included', () => {
    expect(seriesPeriod('2023-11-02', '2025-11-02', TimeBucket.MONTH).periodStarts).toHaveLength(25);
  });
});
