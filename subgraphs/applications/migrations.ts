import type { Migration } from '../../platform/db/migrate';

/** The applications registry's own database. Applicants are person ids owned by the persons registry. */
export const applicationsMigrations: readonly Migration[] = [
  {
    version: 1,
    name: 'applications',
    sql: `
      create table applications (
        id uuid primary key,
        number text not null unique,
        type text not null,
        applicant_id uuid not null,
        channel text not null check (channel in ('ASAN_XIDMET', 'REGIONAL_MIGRATION_OFFICE', 'ELECTRONIC', 'POST', 'CONSULATE')),
        office text,
        ground text,
        requested_duration_months integer check (requested_duration_months > 0),
        processing_working_days integer check (processing_working_days > 0),
        status text not null check (status in ('SUBMITTED', 'UNDER_REVIEW', 'APPROVED', 'REJECTED', 'ISSUED', 'WITHDRAWN')),
        submitted_on date not null,
        due_on date,
        decided_on date,
        decision_note text,
        check ((channel = 'REGIONAL_MIGRATION_OFFICE') = (office is not null))
      );
      create index applications_applicant_idx on applications (applicant_id, submitted_on);
      create index applications_open_due_idx on applications (due_on) where status in ('SUBMITTED', 'UNDER_REVIEW');
    `,
  },
  {
    version: 2,
    name: 'submission: documents, intake decision, idempotency, tracking number serial',
    sql: `
      alter table applications add column documents text[] not null default '{}';
      alter table applications add column intake_outcome text check (intake_outcome in ('ACCEPTED', 'UNDETERMINED'));
      alter table applications add column intake_reasons jsonb;
      alter table applications add column idempotency_key text;
      create unique index applications_idempotency_idx on applications (applicant_id, idempotency_key) where idempotency_key is not null;
      create sequence application_serial start with 20000000 maxvalue 99999999;
    `,
  },
  {
    version: 3,
    name: 'workflow history, row versions, outbox to the other registries',
    sql: `
      alter table applications add column version integer not null default 1;
      create table application_events (
        id bigserial primary key,
        application_id uuid not null references applications (id),
        from_status text,
        to_status text not null,
        actor text not null,
        note text,
        occurred_on date not null,
        recorded_at timestamptz not null default now()
      );
      create index application_events_application_idx on application_events (application_id, id);
      create table outbox (
        id bigserial primary key,
        application_id uuid not null references applications (id),
        kind text not null check (kind in ('CREATE_STATE_DUTY', 'CANCEL_STATE_DUTY', 'RECORD_ISSUED_PERMIT')),
        payload jsonb not null,
        created_at timestamptz not null default now(),
        attempts integer not null default 0,
        last_error text,
        last_attempt_at timestamptz,
        delivered_at timestamptz,
        unique (application_id, kind)
      );
      create index outbox_pending_idx on outbox (id) where delivered_at is null;
    `,
  },
  {
    version: 4,
    name: 'outbox: messages the receiver refuses are set aside (dead letters)',
    sql: `
      alter table outbox add column refusals integer not null default 0;
      alter table outbox add column dead_at timestamptz;
      create index outbox_undelivered_idx on outbox (id) where delivered_at is null;
    `,
  },
  {
    version: 5,
    name: 'outbox: the facts the documents of an application prove, for the permits registry',
    sql: `
      alter table outbox drop constraint outbox_kind_check;
      alter table outbox add constraint outbox_kind_check
        check (kind in ('CREATE_STATE_DUTY', 'CANCEL_STATE_DUTY', 'RECORD_ISSUED_PERMIT', 'RECORD_PERSON_FACTS'));
    `,
  },
  {
    version: 6,
    name: 'outbox: a message is claimed by one relay at a time (several applications processes)',
    sql: `
      alter table outbox add column claimed_until timestamptz;
    `,
  },
  {
    version: 7,
    name: 'the state duty an officer assessed (PAY-04), on the application',
    sql: `
      alter table applications add column assessed_duty numeric(12, 2) check (assessed_duty > 0);
      alter table applications add column duty_assessed_on date;
      alter table applications add constraint applications_duty_assessed_check check ((assessed_duty is null) = (duty_assessed_on is null));
      -- Before this column an assessment was kept only as the bill it sent: the bill of a kind whose
      -- tables fix no amount (CIT-05, TRP-03 S0, the stay extension) was an officer's assessment.
      update applications a
         set assessed_duty = (o.payload->>'amount')::numeric, duty_assessed_on = (o.payload->>'createdOn')::date
        from outbox o
       where o.application_id = a.id and o.kind = 'CREATE_STATE_DUTY'
         and a.type in ('CITIZENSHIP_ADMISSION', 'CITIZENSHIP_RESTORATION', 'CITIZENSHIP_TERMINATION', 'PERMANENT_RESIDENCE', 'TEMPORARY_STAY_EXTENSION');
    `,
  },
  {
    version: 8,
    name: 'applications submitted in a period, for the dashboard series (index-only)',
    sql: `
      create index applications_submitted_idx on applications (submitted_on) include (type);
    `,
  },
  {
    version: 9,
    name: 'tracking numbers are random, no longer a serial',
    sql: `
      drop sequence if exists application_serial;
    `,
  },
];
