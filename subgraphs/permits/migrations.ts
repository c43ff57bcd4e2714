import type { Migration } from '../../platform/db/migrate';

/** The permits registry's own database: visas, permits and registrations, each with its validity. */
export const permitsMigrations: readonly Migration[] = [
  {
    version: 1,
    name: 'permits',
    sql: `
      create table permits (
        id uuid primary key,
        number text not null unique,
        kind text not null check (kind in ('VISA', 'E_VISA', 'WORK_PERMIT', 'TEMPORARY_RESIDENCE_PERMIT',
          'PERMANENT_RESIDENCE_PERMIT', 'REGISTRATION_BY_PLACE_OF_STAY', 'STAY_EXTENSION')),
        visa_type text check (visa_type in ('TOURIST', 'BUSINESS', 'TRANSIT', 'STUDENT', 'MEDICAL', 'WORK')),
        holder_id uuid not null,
        application_id uuid unique,
        issued_on date not null,
        valid_from date not null,
        valid_until date not null check (valid_until >= valid_from),
        revoked_on date,
        address text,
        check ((kind in ('VISA', 'E_VISA')) = (visa_type is not null)),
        check ((kind = 'REGISTRATION_BY_PLACE_OF_STAY') = (address is not null))
      );
      create index permits_holder_idx on permits (holder_id, valid_from);
      create index permits_valid_until_idx on permits (valid_until);
    `,
  },
  {
    version: 2,
    name: 'permit number serial',
    sql: `
      create sequence permit_serial start with 100000000 maxvalue 999999999;
    `,
  },
  {
    version: 3,
    name: 'person facts with evidence',
    sql: `
      create table person_facts (
        id uuid primary key,
        person_id uuid not null,
        kind text not null check (kind in ('WORK_PERMIT_EXEMPTION', 'PERMANENT_RESIDENCE_GROUND', 'PERMANENT_RESIDENCE_REFUSAL_GROUND',
          'LAWFUL_INCOME', 'CONSTITUTION_UNDERTAKING', 'STATE_LANGUAGE_KNOWLEDGE')),
        rule_id text,
        established boolean not null,
        amount_azn numeric(14, 2),
        business_trip_days_in_year int,
        field_set_by_cabinet boolean,
        spouse_registered_at_residence boolean,
        valid_from date not null,
        valid_until date check (valid_until >= valid_from),
        source_document_kind text,
        source_document_number text,
        source_application_number text,
        recorded_by text not null,
        recorded_on date not null,
        recorded_at timestamptz not null default now(),
        sequence bigserial,
        idempotency_key text not null,
        unique (person_id, idempotency_key)
      );
      create index person_facts_person_idx on person_facts (person_id, sequence);
    `,
  },
  {
    version: 4,
    name: 'residence permit ground and article',
    sql: `
      alter table permits add column ground text;
      alter table permits add column ground_article text check (ground_article ~ '^45\\.1\\.[0-9]{1,2}$');
      alter table permits add column family_member_of_special_holder boolean;
    `,
  },
  {
    version: 5,
    name: 'permits of the past, recorded from the document they rest on',
    sql: `
      alter table permits add column source_document_kind text;
      alter table permits add column source_document_number text;
      alter table permits add column recorded_by text;
      alter table permits add column idempotency_key text unique;
    `,
  },
  {
    version: 6,
    name: 'the presence status kept per person',
    sql: `
      -- Per person, what counting presence, overstay (STAY-03) and overdue registration (REG-02) on any day
      -- needs (domain/rules/presence.ts), kept current by the presence refresher; no name, no document.
      create table presence_status (
        person_id uuid primary key,
        citizenship char(3),
        present_since date,
        overstay_from date,
        overstay_origin date,
        registration_overdue_from date,
        recheck_on date,
        evaluated_on date,
        evaluated_at timestamptz,
        -- Something changed since it was evaluated: since when (the oldest change not taken in), and a
        -- version so that an evaluation started before a later change does not clear it.
        dirty_since timestamptz,
        dirty_version bigint not null default 0,
        claimed_until timestamptz
      );
      create index presence_status_present_idx on presence_status (present_since) where present_since is not null;
      create index presence_status_dirty_idx on presence_status (dirty_since) where dirty_since is not null;
      create index presence_status_recheck_idx on presence_status (recheck_on) where recheck_on is not null;

      -- Where the refresher is in the persons registry's feed of changed stay facts, and since when it
      -- has taken in every change the feed held.
      create table presence_feed (
        id int primary key check (id = 1),
        cursor text,
        caught_up_at timestamptz
      );
      insert into presence_feed (id) values (1);
    `,
  },
];
