import type { Migration } from '../shared/db/migrate';

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
];
