import { REGISTRY_ID as UUID } from '../protocol/ids';
import { badUserInput } from './errors';

/** Entity ids are UUIDs; anything else is a client mistake, reported before any SQL runs. */
export function parseId(value: string, field = 'id'): string {
  if (!UUID.test(value)) throw badUserInput(`${field} must be a UUID, got ${JSON.stringify(truncate(value))}`, field);
  return value.toLowerCase();
}

export function isUuid(value: string): boolean {
  return UUID.test(value);
}

function truncate(value: string): string {
  return value.length > 64 ? `${value.slice(0, 64)}...` : value;
}
