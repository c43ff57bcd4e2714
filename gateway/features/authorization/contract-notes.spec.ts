import { readFileSync } from 'node:fs';
import path from 'node:path';
import { buildSchema, isInterfaceType, isObjectType, printSchema } from 'graphql';
import { accessNote, anonymouslyReachableTypes, PUBLIC_NOTE, withAccessNotes } from './contract-notes';
import { accessPolicy, type AccessPolicy } from './policy';

const schemaFile = (name: string) => readFileSync(path.resolve(__dirname, '../../../schema', name), 'utf8');

describe('the scopes written into the partners\' contract', () => {
  // The committed files: the supergraph's directives, and the API schema partners read.
  const policy = accessPolicy(schemaFile('supergraph.graphql'));
  const api = buildSchema(schemaFile('api.graphql'));
  const fields = Object.values(api.getTypeMap())
    .filter((type) => (isObjectType(type) || isInterfaceType(type)) && !type.name.startsWith('__'))
    .flatMap((type) => Object.values((type as import('graphql').GraphQLObjectType).getFields()).map((field) => ({ coordinate: `${type.name}.${field.name}`, typeName: type.name, field })));

  it('every field with @requiresScopes in the supergraph ends its API description with the scopes it needs', () => {
    const apiCoordinates = new Set(fields.map(({ coordinate }) => coordinate));
    const missing: string[] = [];
    let checked = 0;
    for (const [coordinate, requirement] of policy) {
      // Fields hidden from the API schema (@inaccessible) have no description there.
      if (!apiCoordinates.has(coordinate)) continue;
      checked++;
      const description = fields.find((field) => field.coordinate === coordinate)!.field.description ?? '';
      const named = requirement.anyOf.flat().every((scope) => description.includes(`\`${scope}\``));
      if (!description.endsWith(accessNote(requirement)) || !named) missing.push(coordinate);
    }
    expect(missing).toEqual([]);
    expect(checked).toBeGreaterThan(50);
  });

  it('every public field says so, and no other field does', () => {
    const reachable = anonymouslyReachableTypes(api, policy);
    const wrong = fields
      .filter(({ coordinate, typeName, field }) => (reachable.has(typeName) && !policy.has(coordinate)) !== (field.description ?? '').endsWith(PUBLIC_NOTE))
      .map(({ coordinate }) => coordinate);
    expect(wrong).toEqual([]);
    // Tracking by number and the law as data are public; a person is not.
    for (const open of ['Query.applicationByNumber', 'Query.rules', 'Application.status']) expect(descriptionOf(open)).toMatch(/Public: no token needed\.$/);
    expect(descriptionOf('Query.person')).toMatch(/Needs the scope `persons:read`/);
    expect(descriptionOf('Person.surname')).toMatch(/Needs the scope `persons:read`\.$/);
  });

  function descriptionOf(coordinate: string): string {
    return fields.find((field) => field.coordinate === coordinate)?.field.description ?? '';
  }
});

describe('access notes', () => {
  it('say in words which scopes a field needs', () => {
    expect(accessNote({ anyOf: [['persons:read']] })).toBe('Needs the scope `persons:read`.');
    expect(accessNote({ anyOf: [['persons:read'], ['status:read']] })).toBe('Needs the scope `persons:read` or `status:read`.');
    expect(accessNote({ anyOf: [['persons:read', 'fines:read'], ['audit:read']] })).toBe(
      'Needs the scopes `persons:read` and `fines:read`, or the scope `audit:read`.',
    );
    expect(accessNote({ anyOf: [] })).toBe('Needs a token (of any agency).');
  });

  it('call public only what a caller without a token reaches', () => {
    const schema = buildSchema(`
      type Query { tracking(number: String!): Case  person(id: ID!): Person }
      type Case { status: String  owner: Person }
      type Person { name: String  secret: String }
    `);
    const policy: AccessPolicy = new Map([
      ['Query.person', { anyOf: [['persons:read']] }],
      ['Case.owner', { anyOf: [['persons:read']] }],
      ['Person.secret', { anyOf: [['audit:read']] }],
    ]);
    expect([...anonymouslyReachableTypes(schema, policy)].sort()).toEqual(['Case', 'Query', 'String']);
    const printed = printSchema(withAccessNotes(schema, policy));
    expect(printed).toContain('"""Public: no token needed."""\n  status: String');
    expect(printed).toContain('"""Needs the scope `persons:read`."""\n  owner: Person');
    // Reached only through protected fields: the field needs what led there, and says nothing itself.
    expect(printed).toContain('type Person {\n  name: String');
    expect(printed).toContain('"""Needs the scope `audit:read`."""\n  secret: String');
  });
});
