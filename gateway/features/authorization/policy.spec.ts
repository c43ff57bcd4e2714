import { readFileSync } from 'node:fs';
import path from 'node:path';
import { buildASTSchema, getNamedType, isObjectType, Kind, parse, type SelectionSetNode } from 'graphql';
import { SCOPES } from '../../../protocol/access';
import { AGENCIES } from './agencies';
import { PERSON_LINKS } from './filter';
import { accessPolicy, supergraphForExecution } from './policy';

const supergraphSdl = readFileSync(path.resolve(__dirname, '../../../schema/supergraph.graphql'), 'utf8');
const policy = accessPolicy(supergraphSdl);
const schema = buildASTSchema(parse(supergraphSdl), { assumeValidSDL: true });

describe('the access policy composed into the supergraph', () => {
  it('protects the personal data and leaves the public contract open', () => {
    expect(policy.get('Person.surname')).toEqual({ anyOf: [['persons:read']] });
    expect(policy.get('Person.legalStatus')).toEqual({ anyOf: [['status:read']] });
    expect(policy.get('Person.dataAccessLog')).toEqual({ anyOf: [['audit:read']] });
    expect(policy.get('Mutation.recordPayment')).toEqual({ anyOf: [['payments:write']] });
    for (const open of ['Query.rules', 'Query.rule', 'Query.stateDuty', 'Query.deadline', 'Query.applicationByNumber', 'Application.status', 'Application.number']) {
      expect({ open, requirement: policy.get(open) }).toEqual({ open, requirement: undefined });
    }
  });

  it('every root field that reaches a person, and every mutation, asks for a scope', () => {
    const open = (type: string) =>
      Object.keys((schema.getType(type) as import('graphql').GraphQLObjectType).getFields())
        .filter((name) => !policy.has(`${type}.${name}`))
        .sort();
    // The law as data (rules, duties, deadlines) and tracking by number are public; nothing of them names a person.
    // A public field that finds a record by a key the caller must know (as applicationByNumber) is a guess
    // at a key: it belongs in LOOKUPS_BY_KEY (rate-limit.ts), counted against the budget of lookups.
    expect(open('Query')).toEqual(['applicationByNumber', 'deadline', 'rule', 'rules', 'stateDuty']);
    expect(open('Mutation')).toEqual([]);
  });

  it('names only known scopes, and each scope is in some agency profile', () => {
    const granted = new Set(Object.values(AGENCIES).flatMap((agency) => agency.scopes));
    for (const [coordinate, requirement] of policy) {
      for (const scope of requirement.anyOf.flat()) expect({ coordinate, scope, known: scope in SCOPES, granted: granted.has(scope as never) }).toEqual({ coordinate, scope, known: true, granted: true });
    }
  });

  it('a field that @requires others asks for at least what they ask (the subgraph checks them on the internal fetch)', () => {
    const checked: string[] = [];
    for (const type of Object.values(schema.getTypeMap())) {
      if (!isObjectType(type)) continue;
      for (const field of Object.values(type.getFields())) {
        const requires = field.astNode?.directives
          ?.filter((directive) => directive.name.value === 'join__field')
          .map((directive) => directive.arguments?.find((argument) => argument.name.value === 'requires')?.value)
          .find((value) => value?.kind === Kind.STRING);
        if (!requires || requires.kind !== Kind.STRING) continue;
        const own = policy.get(`${type.name}.${field.name}`);
        expect(own).toBeDefined();
        const selection = (parse(`{ ${requires.value} }`).definitions[0] as { selectionSet: SelectionSetNode }).selectionSet;
        for (const required of selection.selections) {
          if (required.kind !== Kind.FIELD) continue;
          const needed = policy.get(`${type.name}.${required.name.value}`);
          if (!needed) continue;
          // Every way of meeting the field's own requirement meets the required field's too.
          for (const scopes of own!.anyOf) {
            const met = needed.anyOf.some((set) => set.every((scope) => scopes.includes(scope)));
            expect({ field: `${type.name}.${field.name}`, required: required.name.value, scopes, met }).toEqual({ field: `${type.name}.${field.name}`, required: required.name.value, scopes, met: true });
          }
        }
        checked.push(`${type.name}.${field.name}`);
      }
    }
    expect(checked).toEqual(expect.arrayContaining(['Person.legalStatus', 'Person.permanentResidenceEligibility']));
  });

  it('the audit can follow each person link the gateway adds', () => {
    for (const [typeName, via] of Object.entries(PERSON_LINKS)) {
      const type = schema.getType(typeName);
      expect(isObjectType(type)).toBe(true);
      if (via === null || !isObjectType(type)) continue;
      let on = type;
      for (const hop of via.split('.')) {
        const next = getNamedType(on.getFields()[hop]?.type);
        expect(isObjectType(next)).toBe(true);
        if (!isObjectType(next)) break;
        on = next;
      }
      expect(on.name).toBe('Person');
    }
  });

  it('the gateway gets the supergraph without the security marker of exactly the two enforced features', () => {
    const executable = supergraphForExecution(supergraphSdl);
    expect(executable).not.toMatch(/requiresScopes\/v[0-9.]+", for: SECURITY/);
    expect(supergraphSdl).toMatch(/requiresScopes\/v[0-9.]+", for: SECURITY/);
    expect(supergraphForExecution('@link(url: "https://specs.apollo.dev/other/v0.1", for: SECURITY)')).toContain('for: SECURITY');
  });
});
