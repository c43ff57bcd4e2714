import type { Queryable } from '../../platform/db/database';

export interface PaymentRow {
  id: string;
  code: string;
  purpose: 'STATE_DUTY' | 'FINE';
  applicationId: string | null;
  fineId: string | null;
  personId: string;
  amount: string;
  currency: 'AZN' | 'USD';
  status: 'UNPAID' | 'PAID' | 'CANCELLED';
  channel: string | null;
  createdOn: string;
  paidOn: string | null;
  idempotencyKey?: string | null;
}

export interface FineRow {
  id: string;
  personId: string;
  offence: string;
  legalArticle: string;
  amount: string;
  currency: 'AZN';
  issuedOn: string;
  dueOn: string;
}

/** A fine with the state of the payment that settles it. */
export interface FineWithPaymentRow extends FineRow {
  paymentCode: string;
  paymentStatus: PaymentRow['status'];
  paidOn: string | null;
}

const PAYMENT_COLUMNS = `id, code, purpose, application_id as "applicationId", fine_id as "fineId", person_id as "personId",
  amount, currency, status, channel, created_on as "createdOn", paid_on as "paidOn", idempotency_key as "idempotencyKey"`;
const FINE_COLUMNS = `f.id, f.person_id as "personId", f.offence, f.legal_article as "legalArticle", f.amount, f.currency,
  f.issued_on as "issuedOn", f.due_on as "dueOn", p.code as "paymentCode", p.status as "paymentStatus", p.paid_on as "paidOn"`;

/** The payments registry's SQL: payments by code, application or person, and fines with their payment. */
export class PaymentStore {
  constructor(private readonly db: Queryable) {}

  /** What is owed, per purpose and currency: fines not paid (FINE-02) and duties neither paid nor cancelled. */
  owedTotals(): Promise<{ purpose: string; currency: string; count: number; amount: string }[]> {
    return this.db.query(
      'payments.owedTotals',
      `select purpose, currency, count(*)::int as count, sum(amount) as amount from payments
        where (purpose = 'FINE' and status <> 'PAID') or (purpose = 'STATE_DUTY' and status = 'UNPAID')
        group by purpose, currency order by purpose, currency`,
    );
  }

  /**
   * Fines not paid (FINE-02, as owedTotals counts them) per age group and currency: the group is
   * width_bucket's, of the days from the fine's issue to `asOf` over the groups' lower bounds
   * `from` (ascending, the first group's omitted): 0 under the first bound, 1 from it, and so on.
   */
  outstandingFinesByAge(asOf: string, from: readonly number[]): Promise<{ ageGroup: number; currency: string; count: number; amount: string }[]> {
    return this.db.query(
      'fines.outstandingByAge',
      `select width_bucket($1::date - f.issued_on, $2::int[]) as "ageGroup", p.currency, count(*)::int as count, sum(p.amount) as amount
         from payments p join fines f on f.id = p.fine_id
        where p.purpose = 'FINE' and p.status <> 'PAID'
        group by 1, 2`,
      [asOf, from],
    );
  }

  /**
   * Payments made from `from` to `to` (both included, by the day paid) per period (date_trunc's
   * `unit`), channel and currency; empty groups are not returned. Read from payments_paid_idx alone.
   */
  paidPerPeriodAndChannel(from: string, to: string, unit: 'week' | 'month'): Promise<{ periodStart: string; channel: string; currency: string; count: number; amount: string }[]> {
    return this.db.query(
      'payments.paidPerPeriodAndChannel',
      `select date_trunc($3, paid_on::timestamp)::date as "periodStart", channel, currency, count(*)::int as count, sum(amount) as amount
         from payments where status = 'PAID' and paid_on between $1::date and $2::date
        group by 1, 2, 3`,
      [from, to, unit],
    );
  }

  paymentsByIds(ids: readonly string[]): Promise<PaymentRow[]> {
    return this.db.query('payments.byIds', `select ${PAYMENT_COLUMNS} from payments where id = any($1::uuid[])`, [ids]);
  }

  async paymentIdByCode(code: string): Promise<string | null> {
    const rows = await this.db.query<{ id: string }>('payments.idByCode', `select id from payments where code = $1`, [code]);
    return rows[0]?.id ?? null;
  }

  paymentsOfApplications(applicationIds: readonly string[]): Promise<PaymentRow[]> {
    return this.db.query(
      'payments.byApplicationIds',
      `select ${PAYMENT_COLUMNS} from payments where application_id = any($1::uuid[]) order by created_on, code`,
      [applicationIds],
    );
  }

  finesByIds(ids: readonly string[]): Promise<FineWithPaymentRow[]> {
    return this.db.query(
      'fines.byIds',
      `select ${FINE_COLUMNS} from fines f join payments p on p.fine_id = f.id where f.id = any($1::uuid[])`,
      [ids],
    );
  }

  finesOfPersons(personIds: readonly string[]): Promise<FineWithPaymentRow[]> {
    return this.db.query(
      'fines.byPersonIds',
      `select ${FINE_COLUMNS} from fines f join payments p on p.fine_id = f.id
        where f.person_id = any($1::uuid[]) order by f.issued_on, f.id`,
      [personIds],
    );
  }


  /** The state duty of an application, unless it is already billed; returns whether it was inserted. */
  async insertStateDuty(row: { id: string; code: string; applicationId: string; personId: string; amount: string; currency: string; createdOn: string }): Promise<boolean> {
    const rows = await this.db.query(
      'payments.insertStateDuty',
      `insert into payments (id, code, purpose, application_id, person_id, amount, currency, status, created_on)
       values ($1, $2, 'STATE_DUTY', $3, $4, $5, $6, 'UNPAID', $7)
       on conflict (application_id) where purpose = 'STATE_DUTY' do nothing returning id`,
      [row.id, row.code, row.applicationId, row.personId, row.amount, row.currency, row.createdOn],
    );
    return rows.length === 1;
  }

  /**
   * A fine and the payment that settles it, in the caller's transaction; nothing when a fine with the
   * same issuance key exists (returns false).
   */
  async insertFine(fine: FineRow, idempotencyKey: string, payment: { id: string; code: string }): Promise<boolean> {
    const inserted = await this.db.query(
      'fines.insert',
      `insert into fines (id, person_id, offence, legal_article, amount, currency, issued_on, due_on, idempotency_key)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9) on conflict (idempotency_key) do nothing returning id`,
      [fine.id, fine.personId, fine.offence, fine.legalArticle, fine.amount, fine.currency, fine.issuedOn, fine.dueOn, idempotencyKey],
    );
    if (inserted.length === 0) return false;
    await this.db.query(
      'payments.insertFinePayment',
      `insert into payments (id, code, purpose, fine_id, person_id, amount, currency, status, created_on)
       values ($1, $2, 'FINE', $3, $4, $5, $6, 'UNPAID', $7)`,
      [payment.id, payment.code, fine.id, fine.personId, fine.amount, fine.currency, fine.issuedOn],
    );
    return true;
  }

  /** The fine imposed under an issuance key, with the details it was imposed with. */
  async fineByIdempotencyKey(key: string): Promise<FineRow | null> {
    const rows = await this.db.query<FineRow>(
      'fines.byIdempotencyKey',
      `select id, person_id as "personId", offence, legal_article as "legalArticle", amount, currency, issued_on as "issuedOn", due_on as "dueOn"
        from fines where idempotency_key = $1`,
      [key],
    );
    return rows[0] ?? null;
  }

  /** Cancels an application's duty if it is still unpaid (a paid one stays paid: refunds are another matter). */
  async cancelStateDuty(applicationId: string): Promise<void> {
    await this.db.query(
      'payments.cancelStateDuty',
      `update payments set status = 'CANCELLED' where application_id = $1 and purpose = 'STATE_DUTY' and status = 'UNPAID'`,
      [applicationId],
    );
  }

  /**
   * Marks an unpaid payment paid, returning it as paid; null when it was not unpaid any more (paid or
   * cancelled meanwhile). Throws a unique violation when the key was taken by another payment meanwhile.
   */
  async markPaid(id: string, channel: string, paidOn: string, idempotencyKey: string): Promise<PaymentRow | null> {
    const rows = await this.db.query<PaymentRow>(
      'payments.markPaid',
      `update payments set status = 'PAID', channel = $2, paid_on = $3, idempotency_key = $4 where id = $1 and status = 'UNPAID' returning ${PAYMENT_COLUMNS}`,
      [id, channel, paidOn, idempotencyKey],
    );
    return rows[0] ?? null;
  }

  /** The payment taken under a channel's transaction key. */
  async paymentByIdempotencyKey(key: string): Promise<PaymentRow | null> {
    const rows = await this.db.query<PaymentRow>('payments.byIdempotencyKey', `select ${PAYMENT_COLUMNS} from payments where idempotency_key = $1`, [key]);
    return rows[0] ?? null;
  }

  async insertFines(rows: readonly FineRow[]): Promise<void> {
    if (rows.length === 0) return;
    const column = <K extends keyof FineRow>(key: K) => rows.map((row) => row[key]);
    await this.db.query(
      'fines.insertMany',
      `insert into fines (id, person_id, offence, legal_article, amount, currency, issued_on, due_on)
       select * from unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::numeric[], $6::char(3)[], $7::date[], $8::date[])`,
      [column('id'), column('personId'), column('offence'), column('legalArticle'), column('amount'), column('currency'), column('issuedOn'), column('dueOn')],
    );
  }

  async insertPayments(rows: readonly PaymentRow[]): Promise<void> {
    if (rows.length === 0) return;
    const column = <K extends keyof PaymentRow>(key: K) => rows.map((row) => row[key]);
    await this.db.query(
      'payments.insertMany',
      `insert into payments (id, code, purpose, application_id, fine_id, person_id, amount, currency, status, channel, created_on, paid_on)
       select * from unnest($1::uuid[], $2::text[], $3::text[], $4::uuid[], $5::uuid[], $6::uuid[], $7::numeric[], $8::char(3)[],
         $9::text[], $10::text[], $11::date[], $12::date[])`,
      [
        column('id'), column('code'), column('purpose'), column('applicationId'), column('fineId'), column('personId'),
        column('amount'), column('currency'), column('status'), column('channel'), column('createdOn'), column('paidOn'),
      ],
    );
  }
}
