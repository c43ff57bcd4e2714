import { readFileSync } from 'node:fs';
import path from 'node:path';
import { buildSchema, parse } from 'graphql';
import { costOf, costVariables } from './operation-cost';

const schema = buildSchema(readFileSync(path.resolve(__dirname, '../../../schema/api.graphql'), 'utf8'));

describe('the cost of an operation, with the request its variables', () => {
  const page = 'query Page($n: Int, $after: String) { persons(first: $n, after: $after) { nodes { id surname travelDocuments { number } } } }';

  it('counts a page as many times as first asks, however it is given', () => {
    const one = costOf(schema, parse(page), 'Page', { n: 1 })!;
    expect(costOf(schema, parse(page), 'Page', { n: 100 })).toBeCloseTo(100 * one);
    expect(costOf(schema, parse(page.replace('$n, after', '100, after')), 'Page', {})).toBeCloseTo(100 * one);
    // Not given: the argument's default, 20 persons a page.
    expect(costOf(schema, parse(page), 'Page', {})).toBeCloseTo(20 * one);
    // Asking none still costs one: the list is read.
    expect(costOf(schema, parse(page), 'Page', { n: 0 })).toBeCloseTo(one);
  });

  it('leaves out what @skip and @include leave out, and introspection', () => {
    const skipped = 'query($skip: Boolean!) { rules { id } persons(first: 100) @skip(if: $skip) { nodes { id } } }';
    expect(costOf(schema, parse(skipped), undefined, { skip: true })).toBeLessThan(costOf(schema, parse(skipped), undefined, { skip: false })! / 10);
    expect(costOf(schema, parse('{ __schema { types { name fields { name } } } }'), undefined, {})).toBe(0);
  });

  it('has no cost for variables that do not fit the operation: request validation refuses them', () => {
    expect(costOf(schema, parse(page), 'Page', { n: 'many' })).toBeNull();
  });

  it('names the variables a cost depends on: page sizes and @skip / @include conditions, no others', () => {
    expect(costVariables(parse(page))).toEqual(['n']);
    expect(costVariables(parse('query($id: ID!, $s: Boolean!, $l: Int) { person(id: $id) @include(if: $s) { id } persons(first: 5) { nodes { id } } x: persons(first: $l) { totalCount } }'))).toEqual(['l', 's']);
    expect(costVariables(parse('query($id: ID!) { person(id: $id) { id } }'))).toEqual([]);
  });
});
