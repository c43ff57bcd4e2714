import { parseValue } from 'graphql';
import { CountryCodeScalar, DateScalar, isCountryCode, isIsoDate } from './scalars';

describe('scalars', () => {
  it('CountryCode takes ISO 3166-1 alpha-3 codes in upper case and nothing else', () => {
    for (const code of ['AZE', 'TUR', 'RUS', 'IND', 'GEO']) expect(isCountryCode(code)).toBe(true);
    // Three letters that are no country, lower case, alpha-2, numeric.
    for (const code of ['ZZZ', 'XYZ', 'aze', 'AZ', '031', 'AZER', '']) expect(isCountryCode(code)).toBe(false);
  });

  it('Date takes real calendar dates written YYYY-MM-DD', () => {
    expect(isIsoDate('2024-02-29')).toBe(true);
    for (const value of ['2023-02-29', '2024-13-01', '2024-1-01', '01.02.2024', '2024-02-29T00:00:00Z']) expect(isIsoDate(value)).toBe(false);
  });

  it('refuses a bad value as BAD_USER_INPUT, naming what was expected', () => {
    expect(() => CountryCodeScalar.parseLiteral(parseValue('"ZZZ"'))).toThrow(
      expect.objectContaining({ message: expect.stringContaining('ISO 3166-1 alpha-3'), extensions: { code: 'BAD_USER_INPUT' } }),
    );
    expect(() => DateScalar.parseValue('2023-02-29')).toThrow(expect.objectContaining({ extensions: { code: 'BAD_USER_INPUT' } }));
    expect(() => CountryCodeScalar.parseLiteral(parseValue('31'))).toThrow('CountryCode must be a string');
    expect(CountryCodeScalar.parseValue('AZE')).toBe('AZE');
  });
});
