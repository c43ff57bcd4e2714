import { readFileSync } from 'node:fs';
import path from 'node:path';
import { buildSchema, getVariableValues, Kind, parse, type OperationDefinitionNode } from 'graphql';
import { costVariables, countCost } from './operation-cost';

const schema = buildSchema(readFileSync(path.resolve(__dirname, '../../../schema/api.graphql'), 'utf8'));

/** The cost of a document's (only) operation with these variables, or 'unfit' (as the plugin checks them first). */
function cost(text: string, variables: Record<string, unknown> = {}): number | 'unfit' {
  const document = parse(text);
  const operation = document.definitions.find((definition): definition is OperationDefinitionNode => definition.kind === Kind.OPERATION_DEFINITION)!;
  if (getVariableValues(schema, operation.variableDefinitions ?? [], variables).errors) return 'unfit';
  return countCost(schema, document, operation, variables);
}

describe('the cost of an operation, with the request its variables', () => {
  const page = 'query Page($n: Int, $after: String) { persons(first: $n, after: $after) { nodes { id surname travelDocuments { number } } } }';

  it('counts a page as many times as first asks, however it is given', () => {
    const one = cost(page, { n: 1 }) as number;
    expect(cost(page, { n: 100 })).toBeCloseTo(100 * one);
    expect(cost(page.replace('$n, after', '100, after'))).toBeCloseTo(100 * one);
    // Not given, or given as null: the argument's default (20 persons), as the registry reads it.
    expect(cost(page)).toBeCloseTo(20 * one);
    expect(cost(page, { n: null })).toBeCloseTo(20 * one);
    // Asking none still costs one: the list is read.
    expect(cost(page, { n: 0 })).toBeCloseTo(one);
    // stayFactChanges gives a thousand by default.
    expect(cost('{ stayFactChanges(first: null) { personIds } }')).toBe(cost('{ stayFactChanges { personIds } }'));
    expect(cost('{ stayFactChanges { personIds } }')).toBeCloseTo(1000 * (cost('{ stayFactChanges(first: 1) { personIds } }') as number));
  });

  it('counts a list asked by a list of ids as many times as it names', () => {
    const ids = (n: number) => Array.from({ length: n }, (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`);
    const facts = 'query($ids: [ID!]!) { stayFactsOf(personIds: $ids) { id borderCrossings { date } } }';
    expect(cost(facts, { ids: ids(500) })).toBeCloseTo(500 * (cost(facts, { ids: ids(1) }) as number));
  });

  it('leaves out what @skip and @include leave out, and introspection', () => {
    const skipped = 'query($skip: Boolean!) { rules { id } persons(first: 100) @skip(if: $skip) { nodes { id } } }';
    expect(cost(skipped, { skip: true })).toBeLessThan((cost(skipped, { skip: false }) as number) / 10);
    expect(cost('{ __schema { types { name fields { name } } } }')).toBe(0);
  });

  it('says when the variables do not fit the operation (request validation refuses them)', () => {
    expect(cost(page, { n: 'many' })).toBe('unfit');
    expect(cost('query($id: ID!) { person(id: $id) { id } }', {})).toBe('unfit');
  });

  it('names the variables a cost depends on: page sizes, conditions and lists by their length, no others', () => {
    expect(costVariables(parse(page))).toEqual(new Map([['n', 'value']]));
    const mixed = parse('query($id: ID!, $s: Boolean!, $l: Int, $ids: [ID!]) { person(id: $id) @include(if: $s) { id } persons(first: 5) { nodes { id } } x: persons(first: $l) { totalCount } stayFactsOf(personIds: $ids) { id } }');
    expect(new Map([...costVariables(mixed)].sort())).toEqual(new Map([['ids', 'length'], ['l', 'value'], ['s', 'value']]));
    expect(costVariables(parse('query($id: ID!) { person(id: $id) { id } }'))).toEqual(new Map());
  });
});
