import { groupLoader, rowLoader } from '../../platform/loaders';
import type { ApplicationStore } from './application.store';

/** Per-request loaders of the applications registry. */
export function createApplicationLoaders(store: ApplicationStore) {
  return {
    application: rowLoader((ids) => store.findByIds(ids), (row) => row.id),
    ofApplicant: groupLoader((ids) => store.ofApplicants(ids), (row) => row.applicantId),
    events: groupLoader((ids) => store.eventsOf(ids), (row) => row.applicationId),
  };
}

export type ApplicationLoaders = ReturnType<typeof createApplicationLoaders>;
