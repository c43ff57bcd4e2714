import 'reflect-metadata';
import type { SubgraphDefinition } from '../shared/server/subgraph-definition';
import { paymentsMigrations } from './migrations';
import { createPaymentLoaders } from './payment.loader';
import { fineReference, paymentReference } from './payment.reference';
import { ApplicationPaymentsResolver, PaymentResolver, PersonFinesResolver } from './payment.resolver';
import { PaymentService } from './payment.service';
import { PaymentStore } from './payment.store';

export interface PaymentsServices {
  payments: PaymentService;
}

/** The payments registry: state duties, payment codes, payments by channel, administrative fines. */
export const paymentsSubgraph: SubgraphDefinition<PaymentsServices> = {
  name: 'payments',
  resolvers: [PaymentResolver, PersonFinesResolver, ApplicationPaymentsResolver],
  referenceResolvers: { Payment: paymentReference, Fine: fineReference },
  migrations: paymentsMigrations,
  createServices(db) {
    const store = new PaymentStore(db);
    return { payments: new PaymentService(store, createPaymentLoaders(store)) };
  },
  async seedDemoData(db, histories) {
    const store = new PaymentStore(db);
    // Fines first: a fine's payment refers to it.
    await store.insertFines(histories.flatMap((h) => h.fines));
    await store.insertPayments(histories.flatMap((h) => h.payments));
  },
};
