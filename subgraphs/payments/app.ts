import 'reflect-metadata';
import type { SubgraphDefinition } from '../../platform/server/subgraph-definition';
import { paymentsMigrations } from './migrations';
import { createPaymentLoaders } from './payment.loader';
import { fineReference, paymentReference } from './payment.reference';
import { PaymentRecordsService } from './payment-records.service';
import { ApplicationPaymentsResolver, PaymentRecordsResolver, PaymentResolver, PaymentStatisticsResolver, PersonFinesResolver } from './payment.resolver';
import { PaymentService } from './payment.service';
import { PaymentStore } from './payment.store';
import { personLookupThroughGraph } from '../../platform/person-lookup';
import { DEFAULT_WRITE_DATES, type WriteDates } from '../../platform/plausible-dates';

export interface PaymentsServices {
  payments: PaymentService;
  records: PaymentRecordsService;
}

/** What the payments registry is configured with besides the shared bootstrap's settings. */
export interface PaymentsOptions {
  /** Which days its writes accept (WRITE_DATE_MARGIN_DAYS). */
  writeDates: WriteDates;
}

/** The payments registry: state duties, payment codes, payments by channel, administrative fines. */
export const createPaymentsSubgraph = (options: PaymentsOptions): SubgraphDefinition<PaymentsServices> => ({
  name: 'payments',
  callsGraph: true,
  resolvers: [PaymentResolver, PaymentStatisticsResolver, PaymentRecordsResolver, PersonFinesResolver, ApplicationPaymentsResolver],
  referenceResolvers: { Payment: paymentReference, Fine: fineReference },
  migrations: paymentsMigrations,
  createServices(db, request) {
    const store = new PaymentStore(db);
    const payments = new PaymentService(store, createPaymentLoaders(store));
    const personOnRecord = personLookupThroughGraph(request.graph, request.requestId);
    return { payments, records: new PaymentRecordsService(db, payments, request.today, options.writeDates, personOnRecord) };
  },
  async seedDemoData(db, histories) {
    const store = new PaymentStore(db);
    // Fines first: a fine's payment refers to it.
    await store.insertFines(histories.flatMap((h) => h.fines));
    await store.insertPayments(histories.flatMap((h) => h.payments));
  },
});

/** The payments registry with the default settings (tests, composition). */
export const paymentsSubgraph = createPaymentsSubgraph({ writeDates: DEFAULT_WRITE_DATES });
