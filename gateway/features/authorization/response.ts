import { isListType, isNonNullType, type GraphQLOutputType } from 'graphql';
import { INTERNAL_KEY_PREFIX, PERSON_KEY, type Denial, type PathStep } from './filter';

type Json = null | string | number | boolean | Json[] | { [key: string]: Json };

/**
 * Puts null where a denied field was asked for, as GraphQL does for a field that failed: a nullable
 * field becomes null, a non-null one makes its parent null, up to the nearest nullable place. The
 * answer keeps the shape of the request, and the error at that path says why.
 */
export function nullDenied(data: Record<string, Json> | null | undefined, denials: readonly Denial[]): Record<string, Json> | null | undefined {
  if (!data) return data;
  for (const denial of denials) {
    if (atObject(data, denial.path, 0)) return null;
  }
  return data;
}

/** True when `object` itself must become null. */
function atObject(object: { [key: string]: Json }, path: readonly PathStep[], index: number): boolean {
  const step = path[index];
  if (index === path.length - 1) {
    object[step.key] = null;
    return isNonNullType(step.type);
  }
  const value = object[step.key];
  if (value === null || value === undefined) return false;
  if (inValue(value, step.type, path, index + 1)) {
    object[step.key] = null;
    return isNonNullType(step.type);
  }
  return false;
}

/** True when `value` (of `type`) must become null. */
function inValue(value: Json, type: GraphQLOutputType, path: readonly PathStep[], index: number): boolean {
  const nullable = isNonNullType(type) ? type.ofType : type;
  if (isListType(nullable)) {
    if (!Array.isArray(value)) return false;
    const itemType = nullable.ofType as GraphQLOutputType;
    for (let item = 0; item < value.length; item += 1) {
      const element = value[item];
      if (element === null || !inValue(element, itemType, path, index)) continue;
      if (isNonNullType(itemType)) return true;
      value[item] = null;
    }
    return false;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  return atObject(value, path, index);
}

/**
 * Takes the gateway's own keys out of an answer (as it is serialized) and returns the person ids they
 * held: the ids of every person whose data the answer holds (see PERSON_LINKS).
 */
export function stripInternalKeys(data: Json | undefined): Set<string> {
  const persons = new Set<string>();
  const visit = (value: Json | undefined): void => {
    if (Array.isArray(value)) {
      for (const item of value) visit(item);
      return;
    }
    if (value === null || typeof value !== 'object') return;
    for (const key of Object.keys(value)) {
      if (!key.startsWith(INTERNAL_KEY_PREFIX)) {
        visit(value[key]);
        continue;
      }
      if (key === PERSON_KEY) {
        const id = personIdIn(value[key]);
        if (id !== null) persons.add(id);
      }
      // Left undefined, which JSON leaves out, rather than deleted: a deletion turns the object into a
      // slow dictionary for the serializer.
      (value as Record<string, Json | undefined>)[key] = undefined;
    }
  };
  visit(data);
  return persons;
}

/** The id a person link holds: the id itself, `{ id }`, or `{ <field>: ... }` along a longer link (PERSON_LINKS). */
function personIdIn(link: Json | undefined): string | null {
  if (typeof link === 'string') return link;
  if (link === null || typeof link !== 'object' || Array.isArray(link)) return null;
  if (typeof link.id === 'string') return link.id;
  const [only, ...others] = Object.values(link);
  return others.length === 0 ? personIdIn(only) : null;
}

export type { Json };
