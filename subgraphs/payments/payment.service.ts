import { badUserInput } from '../../platform/errors';
import { money } from '../../platform/federation/money.type';
import { isUuid } from '../../platform/ids';
import { hasValidLuhn } from '../../domain/facts/payment-codes';
import type { PaymentLoaders } from './payment.loader';
import type { FineWithPaymentRow, PaymentRow, PaymentStore } from './payment.store';
import type { TimeBucket } from '../../platform/federation/time-bucket.type';
import { seriesPeriod, truncUnit } from '../../platform/time-series';
import type { CountedPayments, OwedTotals } from './payment-statistics.type';
import { PaymentChannel, type Fine, type Payment } from './payment.type';

/** The age groups of outstanding fines on a dashboard, in days since the fine was imposed (both ends included). */
export const FINE_AGE_GROUPS: readonly { minDays: number; maxDays: number | null }[] = [
  { minDays: 0, maxDays: 30 },
  { minDays: 31, maxDays: 90 },
  { minDays: 91, maxDays: 365 },
  { minDays: 366, maxDays: null },
];

/** Rows of one group of payments, per currency, as a count and totals (each total keeping its count). */
function counted(rows: readonly { currency: string; count: number; amount: string }[]): CountedPayments {
  return {
    count: rows.reduce((sum, row) => sum + row.count, 0),
    amounts: [...rows].sort((a, b) => a.currency.localeCompare(b.currency)).map((row) => ({ ...money(row.amount, row.currency), count: row.count })),
  };
}

export function toPayment(row: PaymentRow): Payment {
  return {
    id: row.id,
    code: row.code,
    purpose: row.purpose,
    application: row.applicationId ? { id: row.applicationId } : null,
    payer: { id: row.personId },
    amount: { amount: row.amount, currency: row.currency },
    status: row.status,
    channel: row.channel,
    createdOn: row.createdOn,
    paidOn: row.paidOn,
    fineId: row.fineId,
  } as Payment;
}

export function toFine(row: FineWithPaymentRow): Fine {
  return {
    id: row.id,
    person: { id: row.personId },
    offence: row.offence,
    legalArticle: row.legalArticle,
    amount: { amount: row.amount, currency: row.currency },
    issuedOn: row.issuedOn,
    dueOn: row.dueOn,
    paidOn: row.paidOn,
    // FINE-02: a fine is outstanding until its payment is made.
    outstanding: row.paymentStatus !== 'PAID',
    paymentCode: row.paymentCode,
  } as Fine;
}

/** Reads of the payments registry for one request. */
export class PaymentService {
  constructor(
    private readonly store: PaymentStore,
    private readonly loaders: PaymentLoaders,
  ) {}

  /** Counts for dashboards: outstanding fines (FINE-02) and unpaid state duties, with their totals per currency. */
  async statistics(): Promise<OwedTotals> {
    const rows = await this.store.owedTotals();
    const of = (purpose: string) => rows.filter((row) => row.purpose === purpose);
    const count = (purpose: string) => of(purpose).reduce((sum, row) => sum + row.count, 0);
    // Each total keeps its count: a caller who may only count is not given a total over a few payments.
    const amounts = (purpose: string) => of(purpose).map((row) => ({ ...money(row.amount, row.currency), count: row.count }));
    return {
      outstandingFines: count('FINE'),
      outstandingFineAmounts: amounts('FINE'),
      unpaidStateDuties: count('STATE_DUTY'),
      unpaidStateDutyAmounts: amounts('STATE_DUTY'),
    };
  }

  /**
   * Outstanding fines (FINE-02) on `asOf` per age group (FINE_AGE_GROUPS; a fine dated after `asOf`
   * counts as of age 0), every group listed, with their totals per currency.
   */
  async outstandingFinesByAge(asOf: string): Promise<(CountedPayments & { minDays: number; maxDays: number | null })[]> {
    const rows = await this.store.outstandingFinesByAge(asOf, FINE_AGE_GROUPS.slice(1).map((group) => group.minDays));
    return FINE_AGE_GROUPS.map((group, index) => ({ ...group, ...counted(rows.filter((row) => row.ageGroup === index)) }));
  }

  /** Payments per period and channel over the range (widened to whole periods), every period and channel listed, with their totals per currency. */
  async paidByChannel(from: string, to: string, bucket: TimeBucket) {
    const period = seriesPeriod(from, to, bucket);
    const rows = await this.store.paidPerPeriodAndChannel(period.from, period.to, truncUnit(bucket));
    return {
      from: period.from,
      to: period.to,
      bucket,
      series: period.periodStarts.flatMap((periodStart) =>
        Object.values(PaymentChannel).map((channel) => ({
          periodStart,
          channel,
          ...counted(rows.filter((row) => row.periodStart === periodStart && row.channel === channel)),
        })),
      ),
    };
  }

  /** PAY-02: a state duty or fine by its payment code. */
  async byCode(code: string): Promise<Payment | null> {
    const normalised = code.replace(/\s+/g, '');
    if (!/^\d{12}$/.test(normalised)) throw badUserInput('code must be the 12-digit payment code', 'code');
    if (!hasValidLuhn(normalised)) throw badUserInput('code has a wrong check digit: please check it for typing errors', 'code');
    const id = await this.store.paymentIdByCode(normalised);
    if (!id) return null;
    const row = await this.loaders.payment.load(id);
    return row && toPayment(row);
  }

  /** Drops what this request's loader holds of a payment that has just changed. */
  forget(id: string): void {
    this.loaders.payment.clear(id);
  }

  async paymentByReference(id: string): Promise<Payment | null> {
    if (!isUuid(id)) return null;
    const row = await this.loaders.payment.load(id.toLowerCase());
    return row && toPayment(row);
  }

  async fineByReference(id: string): Promise<Fine | null> {
    if (!isUuid(id)) return null;
    const row = await this.loaders.fine.load(id.toLowerCase());
    return row && toFine(row);
  }

  async fineOfPayment(payment: Payment): Promise<Fine | null> {
    if (!payment.fineId) return null;
    const row = await this.loaders.fine.load(payment.fineId);
    return row && toFine(row);
  }

  async ofApplication(applicationId: string): Promise<Payment[]> {
    if (!isUuid(applicationId)) return [];
    return (await this.loaders.ofApplication.load(applicationId.toLowerCase())).map(toPayment);
  }

  async finesOf(personId: string, onlyOutstanding: boolean): Promise<Fine[]> {
    if (!isUuid(personId)) return [];
    const fines = (await this.loaders.finesOfPerson.load(personId.toLowerCase())).map(toFine);
    return onlyOutstanding ? fines.filter((fine) => fine.outstanding) : fines;
  }
}
