import {
  buildSchema,
  findBreakingChanges,
  findDangerousChanges,
  isAbstractType,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isObjectType,
  isSpecifiedScalarType,
  getNamedType,
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLSchema,
  type GraphQLType,
} from 'graphql';
import type { Requirement } from '../protocol/access';

/**
 * The partner contract: what a partner's client depends on. The API schema (types, fields, arguments,
 * enum values), what each field asks of the caller (its scope sets; absent: public), and each agency
 * profile's scopes and purposes. A change that could break a client working today is breaking.
 */
export interface Contract {
  /** The day it was released (YYYY-MM-DD); a deprecation it has no record of counts from it. */
  released: string;
  api: GraphQLSchema;
  /** `Type.field` → its scope sets, any one of them enough; `[]`: any token. Public fields are absent. */
  fields: Readonly<Record<string, readonly (readonly string[])[]>>;
  agencies: Readonly<Record<string, { scopes: readonly string[]; purposes: readonly string[] }>>;
  /** Each deprecated element (`Type.field`, `Type.field(arg)`, `Enum.VALUE`) → the release that first carried its deprecation. */
  deprecated: Readonly<Record<string, string>>;
}

/** The contract as committed under schema/contract/: the SDL, and the rest as JSON. */
export interface ContractFiles {
  sdl: string;
  access: { released: string; fields: Contract['fields']; agencies: Contract['agencies']; deprecated?: Contract['deprecated'] };
}

export function contractOf(files: ContractFiles): Contract {
  return { deprecated: {}, ...files.access, api: buildSchema(files.sdl) };
}

/** The access part of the contract from the gateway's policy and profiles, for the fields the API schema has. */
export function accessOf(api: GraphQLSchema, policy: ReadonlyMap<string, Requirement>, agencies: Contract['agencies']): Pick<Contract, 'fields' | 'agencies'> {
  const fields: Record<string, readonly (readonly string[])[]> = {};
  for (const [coordinate, requirement] of [...policy].sort(([a], [b]) => a.localeCompare(b))) {
    // Sorted, sets and scopes in them: the order the directives give them in means nothing.
    if (hasField(api, coordinate)) fields[coordinate] = requirement.anyOf.map((set) => [...set].sort()).sort((x, y) => x.join().localeCompare(y.join()));
  }
  return { fields, agencies };
}

export type ChangeKind = 'breaking' | 'dangerous' | 'compatible';

export interface ContractChange {
  kind: ChangeKind;
  description: string;
  /** A removal of what the released contract deprecated: the release that first carried the deprecation (YYYY-MM-DD). */
  deprecatedSince?: string;
}

/** How long a deprecated element stays before a release may remove it (docs/partner-onboarding.md). */
export const NOTICE_DAYS = 180;

/** Every change from the released contract to the current one, breaking first. */
export function contractChanges(released: Contract, current: Contract): ContractChange[] {
  const deprecated = deprecations(released);
  const breaking: ContractChange[] = findBreakingChanges(released.api, current.api).map((change) => ({
    kind: 'breaking',
    description: change.description,
    ...(deprecated.has(change.description) ? { deprecatedSince: deprecated.get(change.description)! } : {}),
  }));
  datedTypeRemovals(released.api, breaking);
  const dangerous: ContractChange[] = [
    ...findDangerousChanges(released.api, current.api).map((change): ContractChange => ({ kind: 'dangerous', description: change.description })),
    ...nonNullOutputs(released.api, current.api),
  ];
  const announced = new Set(deprecatedElements(released.api).map(({ element }) => element));
  const deprecatedNow: ContractChange[] = deprecatedElements(current.api)
    .filter(({ element }) => !announced.has(element))
    .map(({ element, reason }) => ({ kind: 'compatible', description: `${element} is deprecated: ${reason}` }));
  const order: Record<ChangeKind, number> = { breaking: 0, dangerous: 1, compatible: 2 };
  return [...breaking, ...accessChanges(released, current), ...dangerous, ...deprecatedNow, ...additions(released.api, current.api)].sort((a, b) => order[a.kind] - order[b.kind]);
}

/**
 * A type removed with every field, argument and input field that held it, each removed as
 * deprecated: due with the latest of them (graphql-js reports the type's removal apart).
 */
function datedTypeRemovals(released: GraphQLSchema, breaking: ContractChange[]): void {
  const removedSince = new Map(breaking.filter((change) => change.deprecatedSince).map((change) => [change.description, change.deprecatedSince!]));
  for (const change of breaking) {
    const typeName = /^(\w+) was removed\.$/.exec(change.description)?.[1];
    if (!typeName || change.deprecatedSince) continue;
    const holders = holdersOf(released, typeName);
    const since = holders.map((removal) => removedSince.get(removal));
    if (holders.length > 0 && since.every((day) => day !== undefined)) change.deprecatedSince = since.sort().at(-1);
  }
}

/** How graphql-js words the removal of each field, argument and input field whose type is `typeName`. */
function holdersOf(schema: GraphQLSchema, typeName: string): string[] {
  const holders: string[] = [];
  for (const { type, field, args } of schemaFields(schema)) {
    if (namedTypeOf(field.type) === typeName) holders.push(`${type.name}.${field.name} was removed.`);
    for (const arg of args) if (namedTypeOf(arg.type) === typeName) holders.push(`${type.name}.${field.name} arg ${arg.name} was removed.`);
  }
  return holders;
}

function namedTypeOf(type: GraphQLType): string {
  return getNamedType(type)!.name;
}

/** Every field of the schema's object, interface and input types (not introspection's), with its arguments. */
function* schemaFields(schema: GraphQLSchema): Generator<{ type: GraphQLNamedType; field: { name: string; type: GraphQLType; deprecationReason?: string | null }; args: readonly GraphQLArgument[]; output: boolean }> {
  for (const type of Object.values(schema.getTypeMap())) {
    if (type.name.startsWith('__')) continue;
    const output = isObjectType(type) || isInterfaceType(type);
    if (!output && !isInputObjectType(type)) continue;
    for (const field of Object.values(type.getFields())) yield { type, field, args: 'args' in field ? field.args : [], output };
  }
}

/** The output field `Type.field` of a schema, if it has one. */
function outputField(schema: GraphQLSchema, typeName: string, fieldName: string): GraphQLField<unknown, unknown> | undefined {
  const type = schema.getType(typeName);
  return isObjectType(type) || isInterfaceType(type) ? type.getFields()[fieldName] : undefined;
}

function hasField(schema: GraphQLSchema, coordinate: string): boolean {
  const [typeName, fieldName] = coordinate.split('.');
  return outputField(schema, typeName!, fieldName!) !== undefined;
}

/**
 * Output fields that became non-null where they were nullable (`String` → `String!`, `[T]` → `[T!]`):
 * graphql-js calls it safe, but here a field refused or failed makes its parent null when it is
 * non-null (docs/partner-onboarding.md, "Enforcement"), so a client may get less than before.
 */
function nonNullOutputs(released: GraphQLSchema, current: GraphQLSchema): ContractChange[] {
  const changes: ContractChange[] = [];
  for (const { type, field, output } of schemaFields(current)) {
    const was = output ? outputField(released, type.name, field.name)?.type.toString() : undefined;
    const is = field.type.toString();
    if (was && was !== is && was.replace(/!/g, '') === is.replace(/!/g, '') && is.split('!').length > was.split('!').length) {
      changes.push({ kind: 'dangerous', description: `${type.name}.${field.name} changed type from ${was} to ${is}: where it cannot be served, its parent is null now.` });
    }
  }
  return changes;
}

/**
 * Types, and fields of output types, the current API has and the released one had not: graphql-js
 * reports no addition that cannot matter to a client (an enum value, an argument or an input field
 * added is a dangerous or breaking change, reported as such).
 */
function additions(released: GraphQLSchema, current: GraphQLSchema): ContractChange[] {
  const added: ContractChange[] = [];
  for (const type of Object.values(current.getTypeMap())) {
    // A standard scalar is in a schema while something uses it.
    if (type.name.startsWith('__') || isSpecifiedScalarType(type)) continue;
    const before = released.getType(type.name);
    if (!before) {
      added.push({ kind: 'compatible', description: `${type.name} was added.` });
      continue;
    }
    if (!(isObjectType(type) || isInterfaceType(type)) || !(isObjectType(before) || isInterfaceType(before))) continue;
    const had = before.getFields();
    for (const name of Object.keys(type.getFields())) if (!had[name]) added.push({ kind: 'compatible', description: `${type.name}.${name} was added.` });
  }
  return added;
}

/**
 * Which callers a field serves. Asking more is breaking when a caller that could read the field (the
 * released contract's: a token of a profile, or none) is refused now; a scope that every path to the
 * field already asked refuses no one, and asking less is compatible.
 */
function accessChanges(released: Contract, current: Contract): ContractChange[] {
  const changes: ContractChange[] = [];
  const describe = (sets: readonly ScopeSet[] | undefined) =>
    sets === undefined ? 'public' : sets.length === 0 ? 'any token' : sets.map((set) => set.join(' + ')).join(' or ');
  const callers = readersBefore(released);
  for (const coordinate of new Set([...Object.keys(released.fields), ...Object.keys(current.fields)])) {
    // A field gone, or new, is a schema change, reported as such.
    if (!hasField(current.api, coordinate) || !hasField(released.api, coordinate)) continue;
    const before = released.fields[coordinate];
    const after = current.fields[coordinate];
    if (describe(before) === describe(after)) continue;
    const refused = servesAllOf(after, before) ? [] : callers(coordinate).filter((held) => !serves(after, held));
    const description = `${coordinate} needs ${describe(after)} (it needed ${describe(before)})`;
    if (refused.length > 0) {
      const caller = (held: ScopeSet | null) => (held === null ? 'no token' : held.length === 0 ? 'a token of no scope' : held.join(' + '));
      changes.push({ kind: 'breaking', description: `${description}: refused now to a caller with ${refused.map(caller).join(', or with ')}.` });
    } else {
      changes.push({ kind: 'compatible', description: servesAllOf(after, before) ? `${description}.` : `${description}; every caller that could read it holds that on each way to it.` });
    }
  }
  for (const [agency, profile] of Object.entries(released.agencies)) {
    const now = current.agencies[agency];
    if (!now) {
      changes.push({ kind: 'breaking', description: `The agency profile ${agency} was removed.` });
      continue;
    }
    for (const scope of profile.scopes.filter((scope) => !now.scopes.includes(scope))) changes.push({ kind: 'breaking', description: `The profile ${agency} no longer holds ${scope}.` });
    for (const purpose of profile.purposes.filter((purpose) => !now.purposes.includes(purpose))) changes.push({ kind: 'breaking', description: `The profile ${agency} may no longer declare ${purpose}.` });
    for (const scope of now.scopes.filter((scope) => !profile.scopes.includes(scope))) changes.push({ kind: 'compatible', description: `The profile ${agency} holds ${scope}.` });
    for (const purpose of now.purposes.filter((purpose) => !profile.purposes.includes(purpose))) changes.push({ kind: 'compatible', description: `The profile ${agency} may declare ${purpose}.` });
  }
  for (const agency of Object.keys(current.agencies).filter((agency) => !released.agencies[agency])) {
    changes.push({ kind: 'compatible', description: `The agency profile ${agency} was added.` });
  }
  return changes;
}

type ScopeSet = readonly string[];

/** Whether a caller holding `held` (null: no token) may read a field that asks `sets` (absent: public; `[]`: any token). */
function serves(sets: readonly ScopeSet[] | undefined, held: ScopeSet | null): boolean {
  if (sets === undefined) return true;
  if (held === null) return false;
  return sets.length === 0 || sets.some((needed) => needed.every((scope) => held.includes(scope)));
}

/**
 * The callers that could read each field of a contract, as the least of what they held: `null` for a
 * caller without a token, otherwise a scope set some profile of the contract holds, made of what the
 * field asked and what the fields on one way to it from the query or mutation root asked (a caller
 * holding more is served wherever the least is). A field no such caller reaches has none.
 */
function readersBefore(contract: Contract): (coordinate: string) => (ScopeSet | null)[] {
  const { api, fields, agencies } = contract;
  const profiles = Object.values(agencies).map((profile) => profile.scopes);
  const heldBySomeone = (set: ScopeSet) => profiles.some((scopes) => set.every((scope) => scopes.includes(scope)));
  // Each type: the least sets with which a caller with a token reaches it, and whether one without does.
  const reached = new Map<string, { sets: ScopeSet[]; public: boolean }>();
  const readers = (typeName: string, fieldName: string): (ScopeSet | null)[] => {
    const at = reached.get(typeName);
    if (!at) return [];
    const asked = fields[`${typeName}.${fieldName}`];
    const withToken = least(at.sets.flatMap((way) => (asked === undefined || asked.length === 0 ? [[]] : asked).map((needed) => union(way, needed))).filter(heldBySomeone));
    return [...(at.public && asked === undefined ? [null] : []), ...withToken];
  };
  const pending: string[] = [];
  const reach = (typeName: string, sets: readonly ScopeSet[], byPublic: boolean) => {
    const at = reached.get(typeName);
    const joined = { sets: least([...(at?.sets ?? []), ...sets]), public: Boolean(at?.public) || byPublic };
    const key = (of: { sets: readonly ScopeSet[]; public: boolean }) => `${of.public} ${of.sets.map((set) => set.join('+')).sort().join(' ')}`;
    if (at && key(at) === key(joined)) return;
    reached.set(typeName, joined);
    pending.push(typeName);
  };
  for (const root of [api.getQueryType(), api.getMutationType()]) if (root) reach(root.name, [[]], true);
  while (pending.length > 0) {
    const type = api.getType(pending.pop()!);
    if (!(isObjectType(type) || isInterfaceType(type))) continue;
    for (const field of Object.values(type.getFields())) {
      const target = getNamedType(field.type);
      const found = readers(type.name, field.name);
      const sets = found.filter((held): held is ScopeSet => held !== null);
      const targets = isAbstractType(target) ? [target.name, ...api.getPossibleTypes(target).map((possible) => possible.name)] : [target.name];
      for (const name of targets) reach(name, sets, found.includes(null));
    }
  }
  return (coordinate) => {
    const [typeName, fieldName] = coordinate.split('.');
    return readers(typeName!, fieldName!);
  };
}

function union(a: ScopeSet, b: ScopeSet): ScopeSet {
  return [...new Set([...a, ...b])].sort();
}

/** The sets of which no other is a part (the rest add nothing: whoever holds them holds one of these), each once. */
function least(sets: readonly ScopeSet[]): ScopeSet[] {
  const kept: ScopeSet[] = [];
  for (const set of [...sets].sort((a, b) => a.length - b.length)) {
    if (!kept.some((smaller) => smaller.every((scope) => set.includes(scope)))) kept.push(set);
  }
  return kept;
}

/**
 * True when every caller `before` served, `after` serves too: public serves everyone, `[]` every
 * token; otherwise each scope set of before must contain one of after's.
 */
function servesAllOf(after: readonly (readonly string[])[] | undefined, before: readonly (readonly string[])[] | undefined): boolean {
  if (after === undefined) return true;
  if (before === undefined) return false;
  if (after.length === 0) return true;
  if (before.length === 0) return false;
  return before.every((held) => after.some((needed) => needed.every((scope) => held.includes(scope))));
}

/** A deprecated element of a schema: its name, how graphql-js words its removal, and its reason. */
export interface Deprecated {
  element: string;
  removal: string;
  reason: string;
}

/** Every deprecated field, argument, input field and enum value of a schema. */
export function deprecatedElements(schema: GraphQLSchema): Deprecated[] {
  const found: Deprecated[] = [];
  for (const { type, field, args } of schemaFields(schema)) {
    const element = `${type.name}.${field.name}`;
    if (field.deprecationReason) found.push({ element, removal: `${element} was removed.`, reason: field.deprecationReason });
    for (const arg of args) {
      if (arg.deprecationReason) found.push({ element: `${element}(${arg.name})`, removal: `${element} arg ${arg.name} was removed.`, reason: arg.deprecationReason });
    }
  }
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isEnumType(type) || type.name.startsWith('__')) continue;
    for (const value of type.getValues()) {
      if (value.deprecationReason) found.push({ element: `${type.name}.${value.name}`, removal: `${value.name} was removed from enum type ${type.name}.`, reason: value.deprecationReason });
    }
  }
  return found;
}

/**
 * The released contract's deprecations by the description graphql-js gives their removal, with the
 * release that first carried each (the contract's own release for one it has no record of).
 */
function deprecations(contract: Contract): Map<string, string> {
  return new Map(deprecatedElements(contract.api).map(({ element, removal }) => [removal, firstCarried(contract, element)]));
}

/** The release that first carried a deprecation the contract carries: its record, else the contract's own release. */
function firstCarried(contract: Contract, element: string): string {
  return contract.deprecated[element] ?? contract.released;
}

/**
 * The deprecations a release of `api` on `day` records: each with the release that first carried
 * it, the last release's (firstCarried) when that one carried it too, else `day`.
 */
export function deprecationRecord(api: GraphQLSchema, day: string, released: Contract | null): Record<string, string> {
  const before = new Set(released ? deprecatedElements(released.api).map(({ element }) => element) : []);
  return Object.fromEntries(deprecatedElements(api).map(({ element }) => [element, before.has(element) ? firstCarried(released!, element) : day]));
}

/**
 * What stops a release on `day`: a breaking change, unless it removes what was deprecated at least
 * NOTICE_DAYS before. Dangerous and compatible changes are released as they are.
 */
export function releaseRefusals(changes: readonly ContractChange[], day: string): string[] {
  return changes
    .filter((change) => change.kind === 'breaking')
    .filter((change) => !change.deprecatedSince || daysBetween(change.deprecatedSince, day) < NOTICE_DAYS)
    .map((change) =>
      change.deprecatedSince
        ? `${change.description} Its deprecation was released on ${change.deprecatedSince}, ${daysBetween(change.deprecatedSince, day)} days before ${day}; a removal needs ${NOTICE_DAYS}.`
        : `${change.description} Keep what partners use: add the new beside it, deprecate the old (@deprecated, naming its successor), release that, and remove it in a release ${NOTICE_DAYS} days later.`,
    );
}

function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}
