import { groupLoader, rowLoader } from '../../platform/loaders';
import type { PaymentStore } from './payment.store';

/** Per-request loaders of the payments registry. */
export function createPaymentLoaders(store: PaymentStore) {
  return {
    payment: rowLoader((ids) => store.paymentsByIds(ids), (row) => row.id),
    ofApplication: groupLoader((ids) => store.paymentsOfApplications(ids), (row) => row.applicationId!),
    fine: rowLoader((ids) => store.finesByIds(ids), (row) => row.id),
    finesOfPerson: groupLoader((ids) => store.finesOfPersons(ids), (row) => row.personId),
  };
}

export type PaymentLoaders = ReturnType<typeof createPaymentLoaders>;
