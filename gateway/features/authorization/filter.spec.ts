import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  buildClientSchema,
  buildSchema,
  executeSync,
  getIntrospectionQuery,
  Kind,
  parse,
  validate,
  visit,
  type IntrospectionQuery,
  type OperationDefinitionNode,
} from 'graphql';
import { filterOperation } from './filter';
import { accessPolicy } from './policy';

const root = path.resolve(__dirname, '../../..');
const policy = accessPolicy(readFileSync(path.join(root, 'schema/supergraph.graphql'), 'utf8'));
const schema = buildSchema(readFileSync(path.join(root, 'schema/api.graphql'), 'utf8'));

function filtered(text: string) {
  const document = parse(text);
  const operation = document.definitions.find((definition): definition is OperationDefinitionNode => definition.kind === Kind.OPERATION_DEFINITION)!;
  return filterOperation(schema, document, operation, policy, null).document;
}

function spreads(document: ReturnType<typeof filtered>): string[] {
  const names: string[] = [];
  visit(document, { FragmentSpread: (node) => void names.push(node.name.value) });
  return names;
}

describe('the access filter and introspection', () => {
  it('refuses, past a bound, an operation whose fragments spread one another (2^30 copies once inlined)', () => {
    const fragments = Array.from({ length: 30 }, (_, k) => `fragment F${k + 1} on __Schema { ...F${k} ...F${k} }`).join(' ');
    expect(() => filtered(`{ __schema { ...F30 } } fragment F0 on __Schema { queryType { name } } ${fragments}`)).toThrow(/too large once its fragments are inlined/);
  });

  it("inlines the fragments of graphql-js's introspection query, so that the filtered document stands alone", () => {
    const document = filtered(getIntrospectionQuery({ descriptions: true }));
    expect(spreads(document)).toEqual([]);
    expect(validate(schema, document)).toEqual([]);
    const result = executeSync({ schema, document });
    expect(result.errors).toBeUndefined();
    const rebuilt = buildClientSchema(result.data as unknown as IntrospectionQuery);
    expect(rebuilt.getType('Person')?.description).toBeTruthy();
  });

  it('keeps aliases and __type(name:) with fragments on introspection types', () => {
    const document = filtered('{ t: __type(name: "Person") { ...N } } fragment N on __Type { name }');
    expect(spreads(document)).toEqual([]);
    expect(executeSync({ schema, document }).data).toMatchObject({ t: { name: 'Person' } });
  });
});
