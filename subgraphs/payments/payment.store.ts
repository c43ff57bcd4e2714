import type { Queryable } from '../shared/db/database';

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
  amount, currency, status, channel, created_on as "createdOn", paid_on as "paidOn"`;
const FINE_COLUMNS = `f.id, f.person_id as "personId", f.offence, f.legal_article as "legalArticle", f.amount, f.currency,
  f.issued_on as "issuedOn", f.due_on as "dueOn", p.code as "paymentCode", p.status as "paymentStatus", p.paid_on as "paidOn"`;

/** The payments registry's SQL: payments by code, application or person, and fines with their payment. */
export class PaymentStore {
  constructor(private readonly db: Queryable) {}

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
