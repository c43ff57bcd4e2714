import {
  Supergraph,
  buildSchema,
  isCompositeType,
  isCustomScalarType,
  isEnumType,
  isListType,
  isNonNullType,
  isObjectType,
  isSubtype,
  operationFromDocument,
  possibleRuntimeTypes,
  type CompositeType,
  type Operation,
  type Schema,
  type SelectionSet,
  type Type,
} from '@apollo/federation-internals';
import { parse, type DocumentNode } from 'graphql';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { WORKLOAD_QUERIES } from '../../bench/workloads';
import { cachedOperationFromDocument, useCompiledResponses } from '../apollo-internals';
import { supergraphForExecution } from '../features/authorization/policy';
import { computeCompiledResponse, keptTypeNames, type ComputeResponseArguments } from './compiled-response';

/** A small seeded generator (mulberry32), so that a failure names a case that can be run again (domain/rules/presence.spec.ts has its own: domain imports nothing). */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Apollo's own result shaping, read before anything replaces it.
const apolloShaping = require('@apollo/gateway/dist/resultShaping') as { computeResponse: (args: ComputeResponseArguments) => { data: unknown; errors: { message: string; path?: unknown; extensions?: Record<string, unknown> }[] } };
const apolloComputeResponse = apolloShaping.computeResponse;

/**
 * What the registries might have sent for an operation, made up: mostly what was asked, with nulls
 * where nulls are not allowed, fields missing, values of the wrong kind, unknown and abstract type
 * names, lists where objects belong and the reverse, and fields nobody asked for.
 */
function madeUpInput(schema: Schema, operation: Operation, next: () => number): Record<string, unknown> {
  // How often this answer goes wrong: never, now and then, or often (each fault nulls the object around it, or more).
  const faults = [0, 0.1, 0.3, 1][Math.floor(next() * 4)];
  const fault = (p: number) => next() < p * faults;
  const chance = (p: number) => next() < p;
  // As JSON.parse makes keys: each its own property, `__proto__` too.
  const set = (target: Record<string, unknown>, key: string, value: unknown) => Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)];

  function leaf(type: Type): unknown {
    if (fault(0.06)) return pick([42, 1.5, 'not-a-value', true, {}, [], -0, 9007199254740993]);
    if (isEnumType(type)) return pick(type.values).name;
    if (isCustomScalarType(type)) return pick(['2026-11-02', 12, { any: 'thing' }]);
    if (type === schema.booleanType()) return chance(0.5);
    if (type === schema.intType()) return Math.floor(next() * 100) - 50;
    if (type === schema.floatType()) return next() * 100;
    if (type === schema.idType()) return chance(0.8) ? `id-${Math.floor(next() * 1000)}` : 7;
    return `text-${Math.floor(next() * 1000)}`;
  }

  function object(type: CompositeType, selectionSet: SelectionSet | undefined): unknown {
    if (fault(0.02)) return 'a string where an object belongs';
    const runtime: CompositeType = pick(possibleRuntimeTypes(type));
    const result: Record<string, unknown> = {};
    if ((!isObjectType(type) && !fault(0.1)) || chance(0.5)) result.__typename = fault(0.06) ? pick(['Unknown', 'String', type.name, 123]) : runtime.name;
    if (chance(0.05)) result.notAsked = 'extra';
    if (selectionSet) fill(result, runtime, selectionSet);
    return result;
  }

  function fill(result: Record<string, unknown>, runtime: CompositeType, selectionSet: SelectionSet): void {
    for (const selection of selectionSet.selections()) {
      if (selection.kind === 'FieldSelection') {
        const field = selection.element;
        const name = field.responseName();
        if (field.name === '__typename') {
          if (name !== '__typename' && chance(0.7)) set(result, name, fault(0.1) ? 'Unknown' : runtime.name);
          continue;
        }
        if (field.definition.isSchemaIntrospectionField() || fault(0.04)) continue;
        // A field asked for again (in a fragment) adds to the value it has, as a registry's answer would.
        set(result, name, value(field.definition.type!, selection.selectionSet, Object.prototype.hasOwnProperty.call(result, name) ? result[name] : undefined));
      } else {
        const condition = selection.element.typeCondition;
        if (!condition || isSubtype(condition, runtime) || chance(0.2)) fill(result, runtime, selection.selectionSet);
      }
    }
  }

  function value(type: Type, selectionSet: SelectionSet | undefined, existing?: unknown): unknown {
    if (existing !== undefined) return more(type, selectionSet, existing);
    if (fault(0.07)) return null;
    if (isNonNullType(type)) return value(type.ofType, selectionSet);
    if (isListType(type)) {
      if (fault(0.02)) return 'not a list';
      return Array.from({ length: Math.floor(next() * 4) }, () => value(type.ofType, selectionSet));
    }
    if (isCompositeType(type)) return object(type, selectionSet);
    return leaf(type);
  }

  /** The value made for a field already, with what another selection of it asks for added. */
  function more(type: Type, selectionSet: SelectionSet | undefined, existing: unknown): unknown {
    if (existing === null || typeof existing !== 'object' || !selectionSet) return existing;
    if (isNonNullType(type)) return more(type.ofType, selectionSet, existing);
    if (isListType(type)) return Array.isArray(existing) ? existing.map((element) => more(type.ofType, selectionSet, element)) : existing;
    if (!isCompositeType(type) || Array.isArray(existing)) return existing;
    const named = (existing as Record<string, unknown>).__typename;
    const known = typeof named === 'string' ? schema.type(named) : undefined;
    const runtime = known && isCompositeType(known) ? known : type;
    fill(existing as Record<string, unknown>, runtime, selectionSet);
    return existing;
  }

  const root = schema.schemaDefinition.rootType(operation.rootKind)!;
  const input: Record<string, unknown> = {};
  fill(input, root, operation.selectionSet);
  return input;
}

/** What a shaping came to, as text: the answer (keys in order), the errors, or what it threw. */
function outcome(shape: (args: ComputeResponseArguments) => { data: unknown; errors: any[] }, args: ComputeResponseArguments): string {
  try {
    const { data, errors } = shape(args);
    return JSON.stringify({ data, errors: errors.map((error) => ({ message: error.message, path: error.path, code: error.extensions?.code })) });
  } catch (error) {
    return `threw ${(error as Error).message}`;
  }
}

const introspectionHandling = (selection: any) => ({ introspected: selection.element.responseName() });

const supergraphSdl = readFileSync(path.resolve(__dirname, '../../schema/supergraph.graphql'), 'utf8');
const apiSchema = Supergraph.build(supergraphForExecution(supergraphSdl)).apiSchema();

/** The graph's operations: the persisted ones and the benchmark's. */
const graphOperations: Record<string, string> = {
  ...(JSON.parse(readFileSync(path.resolve(__dirname, '../../schema/persisted-operations.json'), 'utf8')).operations as Record<string, string>),
  ...WORKLOAD_QUERIES,
};

/** Fields asked for twice (merged into one output value), aliases that are names objects have, skip and include. */
const CRAFTED = `query Crafted($flag: Boolean!, $other: Boolean = true) {
  __typename
  kind: __typename
  person(id: "p-1") {
    id
    __proto__: surname
    constructor: givenName
    toString: id
    ... on Person { id travelDocuments { number } }
    travelDocuments { kind expiresOn constructor: number valueOf: kind }
    typename: __typename
    a: stayPeriods @skip(if: $flag) { days }
    b: stayPeriods @include(if: $other) { days open }
    c: stayPeriods @skip(if: false) @include(if: $flag) { entryDate }
    ... @include(if: $flag) { citizenship stateless }
    ... @skip(if: true) { surname }
  }
  __schema { queryType { name } }
  t: __type(name: "Person") { name }
}`;

/** A schema with what the graph's has not: an interface, a union, a custom scalar, every built-in scalar, a fragment spread under two types. */
const ABSTRACT_SDL = `
  type Query { node(id: ID!): Node! search: [Result!]! things: [Thing] a: A }
  interface Node { id: ID! }
  type A implements Node { id: ID! name: String kind: Kind! n: Int f: Float ok: Boolean }
  type B implements Node { id: ID! count: Int! tags: [String!] other: Node }
  union Result = A | B
  enum Kind { X Y }
  scalar JSON
  type Thing { json: JSON id: ID n: [[Int!]]! }
`;
const ABSTRACT_OPERATION = `query Abstract {
  node(id: "1") {
    id
    __typename
    ... on A { name kind }
    ... on B { count tags other { id ... on A { kind } } }
    ... on Node { id name: __typename }
  }
  search { __typename ... on A { id n f ok } ... on B { id count } ... on Node { id } }
  things { json id n }
  a { ...Inner }
  again: node(id: "2") { ...Inner }
  proto: node(id: "3") { ... on B { other { id } } ... on Node { ... on B { other { __proto__: id } } } }
}
fragment Inner on Node { id ... on A { kind } }`;

const VARIABLE_CHOICES: Record<string, unknown>[] = [
  {},
  { flag: true },
  { flag: false },
  { flag: true, other: false },
  { flag: false, other: null },
  { flag: 'yes' },
  { first: 50, after: null, id: 'p-1' },
];

function compareOn(schema: Schema, text: string, cases: number, seed: number): number {
  const operation = operationFromDocument(schema, parse(text), { validate: false });
  const next = random(seed);
  let differences = 0;
  for (let index = 0; index < cases; index += 1) {
    const args: ComputeResponseArguments = {
      operation,
      variables: VARIABLE_CHOICES[Math.floor(next() * VARIABLE_CHOICES.length)],
      input: madeUpInput(schema, operation, next),
      introspectionHandling,
    };
    const expected = outcome(apolloComputeResponse, args);
    const actual = outcome(computeCompiledResponse, args);
    if (actual !== expected) {
      differences += 1;
      if (differences === 1) expect({ seed, index, input: JSON.stringify(args.input), variables: args.variables, actual }).toEqual({ seed, index, input: JSON.stringify(args.input), variables: args.variables, actual: expected });
    }
  }
  return differences;
}

describe('compiled result shaping', () => {
  it.each(Object.keys(graphOperations).map((key, index) => [key.slice(0, 16), graphOperations[key], index]))(
    'shapes what the registries send as Apollo does: %s',
    (_name, text, index) => {
      expect(compareOn(apiSchema, text as string, 150, 1000 + (index as number))).toBe(0);
    },
  );

  it('merges fields asked twice, keeps aliases named like object properties, and follows skip and include as Apollo does', () => {
    expect(compareOn(apiSchema, CRAFTED, 1500, 7)).toBe(0);
  });

  it('follows interfaces, unions and type names as Apollo does', () => {
    const schema = buildSchema(ABSTRACT_SDL);
    expect(compareOn(schema, ABSTRACT_OPERATION, 1500, 11)).toBe(0);
  });

  it('keeps answers only for type names the schema has, however many others a registry sends', () => {
    const schema = buildSchema(ABSTRACT_SDL);
    const operation = operationFromDocument(schema, parse(ABSTRACT_OPERATION), { validate: false });
    const shapeWith = (typename: string) =>
      computeCompiledResponse({ operation, input: { node: { __typename: typename, id: '1' }, search: [{ __typename: typename, id: '2' }], things: [], a: null, again: { __typename: typename, id: '3' } }, introspectionHandling });
    shapeWith('A');
    shapeWith('B');
    const known = keptTypeNames(operation);
    expect(known).toBeGreaterThan(0);
    for (let index = 0; index < 500; index += 1) expect(shapeWith(`Forged${index}`).errors.length).toBeGreaterThan(0);
    expect(keptTypeNames(operation)).toBe(known);
  });

  it('gives back what Apollo gives for an answer with no data', () => {
    const operation = operationFromDocument(apiSchema, parse(WORKLOAD_QUERIES.picture), { validate: false });
    for (const input of [null, undefined]) {
      const args = { operation, variables: {}, input, introspectionHandling };
      expect(computeCompiledResponse(args)).toEqual(apolloComputeResponse(args));
    }
  });

  it('answers a fine person picture with plain objects and no errors', () => {
    const operation = operationFromDocument(apiSchema, parse('query { person(id: "p-1") { id surname travelDocuments { number } } }'), { validate: false });
    const input = { person: { id: 'p-1', surname: 'Aliyev', travelDocuments: [{ number: 'C1' }, { number: 'C2', extra: true }] } };
    const { data, errors } = computeCompiledResponse({ operation, input, introspectionHandling });
    expect(errors).toEqual([]);
    expect(JSON.stringify(data)).toBe('{"person":{"id":"p-1","surname":"Aliyev","travelDocuments":[{"number":"C1"},{"number":"C2"}]}}');
    expect(Object.getPrototypeOf((data as any).person)).toBe(Object.prototype);
  });
});

describe('the executor keeps the operation form of a document it has seen', () => {
  const calls: unknown[] = [];
  const counted = (schema: Schema, document: DocumentNode, options?: { operationName?: string; validate?: boolean }) => {
    calls.push(options);
    return operationFromDocument(schema, document, options);
  };

  it('answers the executor\'s call from the nodes it was given before, and any other call anew', () => {
    calls.length = 0;
    const cached = cachedOperationFromDocument(counted);
    const parsed = parse('query Q { person(id: "p") { id ...F } } fragment F on Person { surname }');
    const documentOf = (definitions = parsed.definitions) => ({ ...parsed, definitions });
    const first = cached(apiSchema, documentOf(), { validate: false });
    expect(cached(apiSchema, documentOf(), { validate: false })).toBe(first);
    expect(calls).toHaveLength(1);
    // Another fragment node with the same operation node: built again.
    const [operation, fragment] = parsed.definitions;
    const other = cached(apiSchema, documentOf([operation, { ...fragment }]), { validate: false });
    expect(other).not.toBe(first);
    expect(calls).toHaveLength(2);
    // The planner's call (validated, by operation name): always Apollo's.
    cached(apiSchema, parsed, { operationName: 'Q' });
    cached(apiSchema, parsed, { operationName: 'Q' });
    expect(calls).toHaveLength(4);
    // Another schema: its own form.
    const otherSchema = Supergraph.build(supergraphForExecution(supergraphSdl)).apiSchema();
    expect(cached(otherSchema, documentOf(), { validate: false })).not.toBe(first);
  });

  it('is what @apollo/gateway\'s executor calls, once installed', async () => {
    useCompiledResponses();
    const shaping = require('@apollo/gateway/dist/resultShaping');
    const operations = require('@apollo/federation-internals/dist/operations');
    expect(shaping.computeResponse).toBe(computeCompiledResponse);
    useCompiledResponses(); // twice: no second layer
    const shape = jest.spyOn(shaping, 'computeResponse');
    const build = jest.spyOn(operations, 'operationFromDocument');
    try {
      const { executeQueryPlan } = require('@apollo/gateway/dist/executeQueryPlan');
      const document = parse('query { __typename }');
      const operationContext = { schema: apiSchema.toGraphQLJSSchema(), operation: document.definitions[0], fragments: {} };
      const requestContext = { request: { variables: {} }, logger: console };
      const plan = { kind: 'QueryPlan', node: undefined };
      const answers = [];
      for (let round = 0; round < 2; round += 1) answers.push(await executeQueryPlan(plan, {}, requestContext, operationContext, undefined, apiSchema, undefined));
      expect(answers).toEqual([{ data: { __typename: 'Query' } }, { data: { __typename: 'Query' } }]);
      expect(shape).toHaveBeenCalledTimes(2);
      expect(build).toHaveBeenCalledTimes(2);
      // The same document: the same operation form, built once.
      expect((shape.mock.calls[0][0] as ComputeResponseArguments).operation).toBe((shape.mock.calls[1][0] as ComputeResponseArguments).operation);
    } finally {
      shape.mockRestore();
      build.mockRestore();
    }
  });
});
