import { daysInMonth, fromDayNumber, isIsoDate, parseIsoDate, toDayNumber } from './dates';
import { RuleInputError } from './types';

/** What an ISO date is, said the plain way: the pattern, then a real day of the Gregorian calendar. */
function oracle(value: unknown): { year: number; month: number; day: number } | 'format' | 'day' {
  const match = typeof value === 'string' ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(value) : null;
  if (!match) return 'format';
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const real = new Date(Date.UTC(year, month - 1, day));
  const valid = year >= 1000 && real.getUTCFullYear() === year && real.getUTCMonth() === month - 1 && real.getUTCDate() === day;
  return valid ? { year, month, day } : 'day';
}

describe('dates: ISO calendar days read without a pattern', () => {
  const strings = [
    '2024-02-29', '2023-02-29', '2100-02-29', '2000-02-29', '2024-02-30', '2024-04-31', '2024-12-31', '2024-13-01', '2024-00-10',
    '2024-01-00', '1000-01-01', '0999-12-31', '9999-12-31', '2024-1-01', '2024/01/01', '2024-01-1', '2024-01-001', '２０２４-01-01',
    '2024-01-01\n', ' 2024-01-01', '2024-01-0a', '2024-0a-01', '20a4-01-01', '2024--1-01', '2024-01-+1', '', '2024-01-01T00:00',
  ];
  const others: unknown[] = [null, undefined, 20240101, new Date('2024-01-01'), ['2024-01-01'], { toString: () => '2024-01-01' }];

  it.each([...strings, ...others].map((value) => [String(value), value]))('reads %j as the pattern and the calendar say', (_name, value) => {
    const expected = oracle(value);
    if (typeof expected === 'object') {
      expect(parseIsoDate(value as string)).toEqual(expected);
      expect(isIsoDate(value)).toBe(true);
      return;
    }
    let thrown: unknown;
    try {
      parseIsoDate(value as string);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(RuleInputError);
    expect((thrown as Error).message).toMatch(expected === 'format' ? /^Not an ISO calendar date \(YYYY-MM-DD\): / : /^Not a real calendar date: /);
    expect(() => toDayNumber(value as string)).toThrow(RuleInputError);
    expect(isIsoDate(value)).toBe(false);
  });

  it('turns every day from 1899 to 2101, and the ends of the years it takes, into its day number and back', () => {
    const first = toDayNumber('1899-01-01');
    expect(first).toBe(Math.round(Date.UTC(1899, 0, 1) / 86_400_000));
    for (let day = first; day <= toDayNumber('2101-12-31'); day += 1) {
      const date = fromDayNumber(day);
      expect(toDayNumber(date)).toBe(day);
      expect(parseIsoDate(date)).toEqual(oracle(date));
    }
    expect(fromDayNumber(toDayNumber('1000-01-01'))).toBe('1000-01-01');
    expect(fromDayNumber(toDayNumber('9999-12-31'))).toBe('9999-12-31');
  });

  it('knows the length of every month, leap years included', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12].map((month) => daysInMonth(2023, month))).toEqual([31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]);
    expect([2024, 2000, 1900, 2100].map((year) => daysInMonth(year, 2))).toEqual([29, 29, 28, 28]);
  });
});
