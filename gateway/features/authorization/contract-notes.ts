import {
  getNamedType,
  isInterfaceType,
  isObjectType,
  isUnionType,
  type GraphQLNamedType,
  type GraphQLSchema,
} from 'graphql';
import { MapperKind, mapSchema } from '@graphql-tools/utils';
import type { Requirement } from '../../../protocol/access';
import type { AccessPolicy } from './policy';

/**
 * Who may read what, written into the partners' contract (schema/api.graphql) from the same
 * `@requiresScopes` and `@authenticated` the gateway enforces, so the two cannot drift: each protected
 * field's description ends with the scopes it needs, and each public field's with PUBLIC_NOTE.
 *
 * A field is public when it declares no requirement and its type can be reached without a token:
 * from a root type through fields that declare none. A field without a requirement of its own on a
 * type reached only through protected fields says nothing; it is read with the scopes that led there.
 */
export const PUBLIC_NOTE = 'Public: no token needed.';

/** The sentence a protected field's description ends with, e.g. "Needs the scope `persons:read`." */
export function accessNote(requirement: Requirement): string {
  if (requirement.anyOf.length === 0) return 'Needs a token (of any agency).';
  const code = (scope: string) => `\`${scope}\``;
  // One scope from a list: "Needs the scope `a` or `b`."
  if (requirement.anyOf.every((set) => set.length === 1)) return `Needs the scope ${requirement.anyOf.map(([scope]) => code(scope)).join(' or ')}.`;
  const sets = requirement.anyOf.map((set) => {
    const scopes = set.map(code);
    return scopes.length === 1 ? `the scope ${scopes[0]}` : `the scopes ${scopes.slice(0, -1).join(', ')} and ${scopes[scopes.length - 1]}`;
  });
  return `Needs ${sets.join(', or ')}.`;
}

/** The types a caller without a token can reach: from the root types through fields that ask nothing. */
export function anonymouslyReachableTypes(schema: GraphQLSchema, policy: AccessPolicy): ReadonlySet<string> {
  const reached = new Set<string>();
  const pending: GraphQLNamedType[] = [schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()].filter(
    (type): type is NonNullable<typeof type> => Boolean(type),
  );
  while (pending.length > 0) {
    const type = pending.pop()!;
    if (reached.has(type.name)) continue;
    reached.add(type.name);
    if (isUnionType(type)) pending.push(...type.getTypes());
    if (isInterfaceType(type)) pending.push(...schema.getPossibleTypes(type));
    if (!isObjectType(type) && !isInterfaceType(type)) continue;
    for (const field of Object.values(type.getFields())) {
      if (!policy.has(`${type.name}.${field.name}`)) pending.push(getNamedType(field.type));
    }
  }
  return reached;
}

/** The note a field's description ends with, or null when it says nothing of its own. */
export function fieldAccessNote(policy: AccessPolicy, reachable: ReadonlySet<string>, typeName: string, fieldName: string): string | null {
  const requirement = policy.get(`${typeName}.${fieldName}`);
  if (requirement) return accessNote(requirement);
  return reachable.has(typeName) ? PUBLIC_NOTE : null;
}

/** The API schema with each field's access note appended to its description (a paragraph of its own). */
export function withAccessNotes(apiSchema: GraphQLSchema, policy: AccessPolicy): GraphQLSchema {
  const reachable = anonymouslyReachableTypes(apiSchema, policy);
  return mapSchema(apiSchema, {
    [MapperKind.COMPOSITE_FIELD]: (field, fieldName, typeName) => {
      const note = fieldAccessNote(policy, reachable, typeName, fieldName);
      if (!note) return field;
      const description = field.description?.trim();
      return { ...field, description: description ? `${description}\n\n${note}` : note };
    },
  });
}
