import { groupLoader } from '../../platform/loaders';
import type { PersonFactStore } from './person-fact.store';

/** Per-request loaders of person facts: one SQL statement for the facts of every person asked about in a batch. */
export function createPersonFactLoaders(store: PersonFactStore) {
  return { ofPerson: groupLoader((ids) => store.ofPersons(ids), (row) => row.personId) };
}

export type PersonFactLoaders = ReturnType<typeof createPersonFactLoaders>;
