import type { Migration } from '../../platform/db/migrate';

/** The persons registry's own database. Other registries hold only person ids. */
export const personsMigrations: readonly Migration[] = [
  {
    version: 1,
    name: 'persons, travel documents, border crossings',
    sql: `
      create table persons (
        id uuid primary key,
        fin text unique check (fin ~ '^[0-9A-HJ-NP-Z]{7}$'),
        given_name text not null,
        surname text not null,
        patronymic text,
        birth_date date not null,
        sex text not null check (sex in ('FEMALE', 'MALE')),
        citizenship char(3) check (citizenship ~ '^[A-Z]{3}$'),
        created_at timestamptz not null default now()
      );
      create index persons_citizenship_idx on persons (citizenship, id);
      create index persons_surname_idx on persons (lower(surname), id);

      create table travel_documents (
        id uuid primary key,
        person_id uuid not null references persons (id),
        kind text not null check (kind in ('PASSPORT', 'STATELESS_TRAVEL_DOCUMENT', 'REFUGEE_TRAVEL_DOCUMENT', 'IDENTITY_CARD')),
        number text not null,
        issuing_country char(3) not null,
        issued_on date not null,
        expires_on date not null check (expires_on > issued_on),
        unique (issuing_country, number)
      );
      create index travel_documents_person_idx on travel_documents (person_id);

      create table border_crossings (
        id uuid primary key,
        person_id uuid not null references persons (id),
        direction text not null check (direction in ('ENTRY', 'EXIT')),
        crossed_on date not null,
        checkpoint text not null,
        travel_document_id uuid references travel_documents (id)
      );
      create index border_crossings_person_idx on border_crossings (person_id, crossed_on);
    `,
  },
  {
    version: 2,
    name: 'a feed of the persons whose stay facts changed',
    sql: `
      -- One row per person whose crossings (or citizenship) changed, moved forward at each change: the
      -- permits registry pulls it in (transaction id, sequence) order, never past a transaction in flight.
      create sequence stay_fact_changes_seq;
      create table stay_fact_changes (
        person_id uuid primary key references persons (id),
        xid xid8 not null default pg_current_xact_id(),
        seq bigint not null default nextval('stay_fact_changes_seq')
      );
      create index stay_fact_changes_order_idx on stay_fact_changes (xid, seq);
      insert into stay_fact_changes (person_id) select distinct person_id from border_crossings;
    `,
  },
];
