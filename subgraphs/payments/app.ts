import 'reflect-metadata';
import type { SubgraphDefinition } from '../shared/server/subgraph-definition';
import { paymentsMigrations } from './migrations';
import { createPaymentLoaders } from './payment.loader';
import { fineReference, paymentReference } from './payment.reference';
import { PaymentRecordsService } from './payment-records.service';
import { ApplicationPaymentsResolver, PaymentRecordsResolver, PaymentResolver, PersonFinesResolver } from './payment.resolver';
import { PaymentService } from './payment.service';
import { PaymentStore } from './payment.store';

export interface PaymentsServices {
  payments: PaymentService;
  records: PaymentRecordsService;
}

/** The payments registry: state duties, payment codes, payments by channel, administrative fines. */
export const paymentsSubgraph: SubgraphDefinition<PaymentsServices> = {
  name: 'payments',
  resolvers: [PaymentResolver, PaymentRecordsResolver, PersonFinesResolver, ApplicationPaymentsResolver],
  referenceResolvers: { Payment: paymentReference, Fine: fineReference },
  migrations: paymentsMigrations,
  createServices(db, request) {
    const store = new PaymentStore(db);
    const payments = new PaymentService(store, createPaymentLoaders(store));
    return { payments, records: new PaymentRecordsService(db, payments, request.today) };
  },
  async seedDemoData(db, histories) {
    const store = new PaymentStore(db);
    // Fines first: a fine's payment refers to it.
    await store.insertFines(histories.flatMap((h) => h.fines));
    await store.insertPayments(histories.flatMap((h) => h.payments));
  },
};
