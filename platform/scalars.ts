import { GraphQLScalarType, Kind, type ValueNode } from 'graphql';
// The code tables only: the package's Node entry also loads and registers the country names in
// dozens of languages into every process's heap, and only the codes are used here.
import countries from 'i18n-iso-countries/index';
import { badUserInput } from './errors';

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** True for a real calendar date written 'YYYY-MM-DD' (so 2023-02-29 and 2024-13-01 are not). */
export function isIsoDate(value: string): boolean {
  const match = ISO_DATE.exec(value);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** ISO 3166-1 alpha-3, upper case, as printed in the machine-readable zone of a passport. */
export function isCountryCode(value: string): boolean {
  return /^[A-Z]{3}$/.test(value) && countries.alpha3ToAlpha2(value) !== undefined;
}

function stringLiteral(ast: ValueNode, scalar: string): string {
  if (ast.kind !== Kind.STRING) throw badUserInput(`${scalar} must be a string`);
  return ast.value;
}

function validated(name: string, check: (value: string) => boolean, expectation: string) {
  const parse = (value: unknown): string => {
    if (typeof value !== 'string' || !check(value)) {
      throw badUserInput(`${JSON.stringify(value)} is not a valid ${name}: expected ${expectation}`);
    }
    return value;
  };
  return {
    serialize: (value: unknown) => {
      if (typeof value !== 'string' || !check(value)) throw new TypeError(`Cannot serialize ${name}: ${String(value)}`);
      return value;
    },
    parseValue: parse,
    parseLiteral: (ast: ValueNode) => parse(stringLiteral(ast, name)),
  };
}

export const DateScalar = new GraphQLScalarType({
  name: 'Date',
  description: 'A calendar date in ISO 8601 form, YYYY-MM-DD (no time, no time zone), e.g. 2025-03-21.',
  ...validated('Date', isIsoDate, 'a real calendar date written YYYY-MM-DD'),
});

export const CountryCodeScalar = new GraphQLScalarType({
  name: 'CountryCode',
  description:
    'A country as its ISO 3166-1 alpha-3 code in upper case, as printed in passports, e.g. AZE, TUR, RUS, IND.',
  ...validated('CountryCode', isCountryCode, 'an ISO 3166-1 alpha-3 code in upper case, e.g. TUR'),
});


const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;

/** True for an instant written in ISO 8601 with its offset, e.g. 2026-11-02T05:00:00.000Z. */
export function isIsoDateTime(value: string): boolean {
  return ISO_DATE_TIME.test(value) && isIsoDate(value.slice(0, 10)) && !Number.isNaN(Date.parse(value));
}

const dateTime = validated('DateTime', isIsoDateTime, 'an instant in ISO 8601 with its offset, e.g. 2026-11-02T05:00:00Z');

export const DateTimeScalar = new GraphQLScalarType({
  name: 'DateTime',
  description: 'An instant in ISO 8601 with its offset from UTC, e.g. 2026-11-02T05:00:00.000Z.',
  ...dateTime,
  // Answers are made from Date objects as often as from text.
  serialize: (value: unknown) => dateTime.serialize(value instanceof Date ? value.toISOString() : value),
});
