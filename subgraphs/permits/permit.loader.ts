import { groupLoader, rowLoader } from '../../platform/loaders';
import type { PermitStore } from './permit.store';

/** Per-request loaders of the permits registry. */
export function createPermitLoaders(store: PermitStore) {
  return {
    permit: rowLoader((ids) => store.findByIds(ids), (row) => row.id),
    ofHolder: groupLoader((ids) => store.ofHolders(ids), (row) => row.holderId),
    ofApplication: rowLoader((ids) => store.ofApplications(ids), (row) => row.applicationId!),
  };
}

export type PermitLoaders = ReturnType<typeof createPermitLoaders>;
