import type { Queryable } from '../shared/db/database';

export interface PermitRow {
  id: string;
  number: string;
  kind: string;
  visaType: string | null;
  holderId: string;
  applicationId: string | null;
  issuedOn: string;
  validFrom: string;
  validUntil: string;
  revokedOn: string | null;
  address: string | null;
}

const COLUMNS = `id, number, kind, visa_type as "visaType", holder_id as "holderId", application_id as "applicationId",
  issued_on as "issuedOn", valid_from as "validFrom", valid_until as "validUntil", revoked_on as "revokedOn", address`;

/** The permits registry's SQL. */
export class PermitStore {
  constructor(private readonly db: Queryable) {}

  /** Permits in force on `asOf` per kind, and how many of them end by `until`. */
  countsInForce(asOf: string, until: string): Promise<{ kind: string; inForce: number; expiring: number }[]> {
    return this.db.query(
      'permits.countsInForce',
      `select kind, count(*)::int as "inForce", count(*) filter (where valid_until <= $2)::int as expiring
         from permits where revoked_on is null and valid_from <= $1 and valid_until >= $1 group by kind`,
      [asOf, until],
    );
  }

  findByIds(ids: readonly string[]): Promise<PermitRow[]> {
    return this.db.query('permits.byIds', `select ${COLUMNS} from permits where id = any($1::uuid[])`, [ids]);
  }

  async findIdByNumber(number: string): Promise<string | null> {
    const rows = await this.db.query<{ id: string }>('permits.idByNumber', `select id from permits where number = $1`, [number]);
    return rows[0]?.id ?? null;
  }

  ofHolders(holderIds: readonly string[]): Promise<PermitRow[]> {
    return this.db.query(
      'permits.byHolderIds',
      `select ${COLUMNS} from permits where holder_id = any($1::uuid[]) order by valid_from, number`,
      [holderIds],
    );
  }

  ofApplications(applicationIds: readonly string[]): Promise<PermitRow[]> {
    return this.db.query(
      'permits.byApplicationIds',
      `select ${COLUMNS} from permits where application_id = any($1::uuid[])`,
      [applicationIds],
    );
  }

  /**
   * Records the permit issued on an application with the next number of its kind, unless that
   * application's permit is on record already; returns whether it was inserted.
   */
  async insertIssued(row: Omit<PermitRow, 'number' | 'revokedOn'> & { numberPrefix: string }): Promise<boolean> {
    const rows = await this.db.query(
      'permits.insertIssued',
      `insert into permits (id, number, kind, visa_type, holder_id, application_id, issued_on, valid_from, valid_until, address)
       values ($1, $2 || lpad(nextval('permit_serial')::text, 9, '0'), $3, $4, $5, $6, $7, $8, $9, $10)
       on conflict (application_id) do nothing returning id`,
      [row.id, row.numberPrefix, row.kind, row.visaType, row.holderId, row.applicationId, row.issuedOn, row.validFrom, row.validUntil, row.address],
    );
    return rows.length === 1;
  }

  async insertMany(rows: readonly PermitRow[]): Promise<void> {
    if (rows.length === 0) return;
    const column = <K extends keyof PermitRow>(key: K) => rows.map((row) => row[key]);
    await this.db.query(
      'permits.insertMany',
      `insert into permits (id, number, kind, visa_type, holder_id, application_id, issued_on, valid_from, valid_until, revoked_on, address)
       select * from unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::uuid[], $6::uuid[], $7::date[], $8::date[],
         $9::date[], $10::date[], $11::text[])`,
      [
        column('id'), column('number'), column('kind'), column('visaType'), column('holderId'), column('applicationId'),
        column('issuedOn'), column('validFrom'), column('validUntil'), column('revokedOn'), column('address'),
      ],
    );
  }
}
