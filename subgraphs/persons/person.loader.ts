import { groupLoader, rowLoader } from '../../platform/loaders';
import type { PersonStore } from './person.store';

/** The persons registry's DataLoaders, created per request: one statement per kind of row per batch. */
export function createPersonLoaders(store: PersonStore) {
  return {
    person: rowLoader((ids) => store.findByIds(ids), (row) => row.id),
    documents: groupLoader((ids) => store.documentsOf(ids), (row) => row.personId),
    crossings: groupLoader((ids) => store.crossingsOf(ids), (row) => row.personId),
  };
}

export type PersonLoaders = ReturnType<typeof createPersonLoaders>;
