import type { Migration } from '../../platform/db/migrate';

/** The payments registry's own database: state duties and administrative fines, each payable by code. */
export const paymentsMigrations: readonly Migration[] = [
  {
    version: 1,
    name: 'fines and payments',
    sql: `
      create table fines (
        id uuid primary key,
        person_id uuid not null,
        offence text not null check (offence in ('OVERSTAY', 'NO_REGISTRATION', 'WORK_WITHOUT_PERMIT', 'BREACH_OF_PURPOSE', 'LOST_RESIDENCE_DOCUMENT')),
        legal_article text not null,
        amount numeric(12, 2) not null check (amount > 0),
        currency char(3) not null,
        issued_on date not null,
        due_on date not null check (due_on >= issued_on)
      );
      create index fines_person_idx on fines (person_id);

      create table payments (
        id uuid primary key,
        code text not null unique check (code ~ '^[0-9]{12}$'),
        purpose text not null check (purpose in ('STATE_DUTY', 'FINE')),
        application_id uuid,
        fine_id uuid unique references fines (id),
        person_id uuid not null,
        amount numeric(12, 2) not null check (amount > 0),
        currency char(3) not null check (currency in ('AZN', 'USD')),
        status text not null check (status in ('UNPAID', 'PAID', 'CANCELLED')),
        channel text check (channel in ('ONLINE', 'BANK_BRANCH', 'EXPRESS_PAY_TERMINAL', 'ASAN_PAYMENT_TERMINAL')),
        created_on date not null,
        paid_on date,
        check ((purpose = 'STATE_DUTY') = (application_id is not null)),
        check ((purpose = 'FINE') = (fine_id is not null)),
        check ((status = 'PAID') = (paid_on is not null and channel is not null))
      );
      create index payments_application_idx on payments (application_id) where application_id is not null;
      create index payments_person_idx on payments (person_id);
    `,
  },
  {
    version: 2,
    name: 'payment intake: one duty per application, idempotent payments, code serial',
    sql: `
      alter table payments add column idempotency_key text;
      create unique index payments_idempotency_idx on payments (idempotency_key) where idempotency_key is not null;
      create unique index payments_one_duty_per_application_idx on payments (application_id) where purpose = 'STATE_DUTY';
      create sequence payment_serial start with 70000000000 maxvalue 99999999999;
      alter table fines add column idempotency_key text unique;
    `,
  },
  {
    version: 3,
    name: 'payments made in a period, for the dashboard series (index-only)',
    sql: `
      create index payments_paid_idx on payments (paid_on) include (channel, currency, amount) where status = 'PAID';
    `,
  },
  {
    version: 4,
    name: 'payment codes are random, no longer a serial',
    sql: `
      drop sequence if exists payment_serial;
    `,
  },
];
