import {
  defaultFieldResolver,
  GraphQLError,
  isInterfaceType,
  isObjectType,
  Kind,
  type ConstDirectiveNode,
  type GraphQLField,
  type GraphQLInterfaceType,
  type GraphQLObjectType,
  type GraphQLSchema,
} from 'graphql';
import type { VerifiedClaims } from './claims';

/** What access is decided on: the caller's scopes (the gateway's verified claims, or what a registry is forwarded). */
type Caller = Pick<VerifiedClaims, 'scopes'>;

/**
 * Who may read or change what (issue 5, item 2). Access is declared in the subgraph schemas with
 * Federation's `@requiresScopes` (and `@authenticated`), composed into the supergraph, enforced by the
 * gateway before planning and again by each subgraph on the claims the gateway forwards.
 *
 * The scopes, one per kind of data and verb. An agency's profile (gateway/features/authorization/agencies.ts) grants a
 * subset; a token carries a subset of its agency's profile.
 */
export const SCOPES = {
  'persons:read': 'Identity, travel documents and border crossings of a person.',
  'persons:write': 'Register persons and add travel documents.',
  'crossings:write': 'Record border crossings (the border service feed).',
  'status:read': "A person's legal status, stay periods and work authorization.",
  'permits:read': 'Visas, permits and registrations, and who holds them.',
  'permits:write': 'Record issued permits (the applications registry).',
  'applications:read': 'Applications with their applicant, grounds, intake findings and officers; eligibility answers.',
  'applications:write': 'Submit applications and take workflow steps.',
  'duties:write': 'Bill and cancel state duties (the applications registry).',
  'payments:read': 'Look up payments by code, with the payer.',
  'payments:write': 'Record payments received at a channel.',
  'fines:read': "A person's administrative fines.",
  'fines:write': 'Impose administrative fines.',
  'aggregates:read': 'Counts over the registries, without personal data.',
  'audit:read': "Who read a person's data, when and why (oversight).",
  'stay-facts:read': "Which persons' crossings or citizenship changed, and those facts in bulk (the permits registry's presence status).",
  'operations:admin': 'See the messages between registries that are not delivered, and put them back in line.',
} as const;

export type Scope = keyof typeof SCOPES;

/**
 * What a field asks of its caller: any one of `anyOf` (each a set of scopes, all needed), or, with
 * `anyOf` empty, only to be authenticated. Fields without a requirement are public.
 */
export interface Requirement {
  anyOf: readonly (readonly string[])[];
}

/** The requirement the access directives on a schema element state, or null when it is public. */
export function requirementOf(directives: readonly ConstDirectiveNode[] | undefined): Requirement | null {
  let requirement: Requirement | null = null;
  for (const directive of directives ?? []) {
    if (directive.name.value === 'authenticated') requirement ??= { anyOf: [] };
    if (directive.name.value !== 'requiresScopes') continue;
    const argument = directive.arguments?.find((arg) => arg.name.value === 'scopes')?.value;
    if (argument?.kind !== Kind.LIST) throw new Error('@requiresScopes needs a list of scope lists');
    const anyOf = argument.values.map((set) => {
      if (set.kind !== Kind.LIST) throw new Error('@requiresScopes needs a list of scope lists');
      return set.values.map((scope) => {
        if (scope.kind !== Kind.STRING) throw new Error('@requiresScopes scopes are strings');
        return scope.value;
      });
    });
    requirement = { anyOf };
  }
  return requirement;
}

/** True when the caller meets the requirement: any caller for a public field; else a token with a whole scope set. */
export function isAllowed(requirement: Requirement | null, claims: Caller | null): boolean {
  if (!requirement) return true;
  if (!claims) return false;
  if (requirement.anyOf.length === 0) return true;
  return requirement.anyOf.some((set) => set.every((scope) => claims.scopes.includes(scope)));
}

/** Says in words what a requirement asks, for error messages and the README. */
export function describeRequirement(requirement: Requirement): string {
  if (requirement.anyOf.length === 0) return 'a token';
  return requirement.anyOf.map((set) => set.join(' + ')).join(' or ');
}

export function forbidden(coordinate: string, requirement: Requirement, claims: Caller | null): GraphQLError {
  const reason = claims ? `needs the scope ${describeRequirement(requirement)}` : 'needs a token';
  return new GraphQLError(`Forbidden: ${coordinate} ${reason}.`, { extensions: { code: 'FORBIDDEN', field: coordinate } });
}

/** What the access check reads of a request's context: the caller's claims, if any. */
interface ClaimsContext {
  claims?: Caller | null;
}

/** A field that declares an access requirement, and where it stands. */
export interface FieldRequirement {
  type: GraphQLObjectType | GraphQLInterfaceType;
  field: GraphQLField<unknown, ClaimsContext>;
  /** `Type.field`, as policies and errors name it. */
  coordinate: string;
  requirement: Requirement;
}

/**
 * Every field of a schema's object and interface types that declares an access requirement: what the
 * gateway's policy (read from the supergraph) and each subgraph's own check (on its schema) enforce.
 * The Router reads a requirement on a type as one on every field returning it; here requirements are
 * asked on fields, where a reader of the schema sees them, and one on a type stops the service.
 */
export function fieldRequirements(schema: GraphQLSchema): FieldRequirement[] {
  const found: FieldRequirement[] = [];
  for (const type of Object.values(schema.getTypeMap())) {
    if ((!isObjectType(type) && !isInterfaceType(type)) || type.name.startsWith('__')) continue;
    if (requirementOf(type.astNode?.directives)) throw new Error(`${type.name}: access directives belong on fields, not on types`);
    for (const field of Object.values(type.getFields())) {
      const requirement = requirementOf(field.astNode?.directives);
      if (requirement) found.push({ type, field, coordinate: `${type.name}.${field.name}`, requirement });
    }
  }
  return found;
}

/**
 * The subgraph's own check of the claims the gateway forwards: every field with an access
 * requirement refuses a caller without it, whatever reaches the subgraph. The gateway has already
 * left such fields out of what it asks, so this answers only a request that got around it.
 * Changes the schema's resolvers in place (the schema has just been built for this subgraph).
 */
export function enforceAccess(schema: GraphQLSchema): GraphQLSchema {
  for (const { type, field, coordinate, requirement } of fieldRequirements(schema)) {
    // Only an object type's fields have resolvers to guard; an interface field's requirement is the gateway's to enforce.
    if (!isObjectType(type)) continue;
    const resolve = field.resolve ?? defaultFieldResolver;
    field.resolve = (source, args, context, info) => {
      if (!isAllowed(requirement, context.claims ?? null)) throw forbidden(coordinate, requirement, context.claims ?? null);
      return resolve(source, args, context, info);
    };
  }
  return schema;
}
