import type { Queryable } from '../../platform/db/database';

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
  /** A residence permit's ground as applied for (TRP-02, PR-GR), e.g. EMPLOYMENT; null where none is recorded. */
  ground: string | null;
  /** The article of Migration Code 45.1 it was issued under, e.g. 45.1.2, when recorded. */
  groundArticle: string | null;
  /** PR-01: granted as a family member of a holder under 45.1.8–45.1.11; null when not recorded. */
  familyMemberOfSpecialHolder: boolean | null;
}

/** The document a permit of the past is recorded from (an archive file, the permit itself). */
export interface HistoricalSource {
  sourceDocumentKind: string;
  sourceDocumentNumber: string;
}

const COLUMNS = `id, number, kind, visa_type as "visaType", holder_id as "holderId", application_id as "applicationId",
  issued_on as "issuedOn", valid_from as "validFrom", valid_until as "validUntil", revoked_on as "revokedOn", address, ground,
  ground_article as "groundArticle", family_member_of_special_holder as "familyMemberOfSpecialHolder"`;

/**
 * In the statement that records a permit (a CTE `inserted` returning holder_id): its holder's presence
 * status no longer holds, in the same transaction (presence-refresher.ts evaluates it again).
 */
const MARK_HOLDERS_CHANGED = `insert into presence_status (person_id, dirty_since, dirty_version) select distinct holder_id, now(), 1 from inserted
  on conflict (person_id) do update set dirty_since = coalesce(presence_status.dirty_since, now()), dirty_version = presence_status.dirty_version + 1`;

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

  /** Of the permits in force on `asOf`, how many per kind end within each window of `days` (`asOf` included); empty groups are not returned. */
  countsExpiring(asOf: string, days: readonly number[]): Promise<{ kind: string; withinDays: number; count: number }[]> {
    return this.db.query(
      'permits.countsExpiring',
      `select p.kind, w.days as "withinDays", count(*)::int as count
         from permits p join unnest($2::int[]) as w(days) on p.valid_until < $1::date + w.days
        where p.revoked_on is null and p.valid_from <= $1 and p.valid_until >= $1
        group by p.kind, w.days`,
      [asOf, days],
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
      `with inserted as (
         insert into permits (id, number, kind, visa_type, holder_id, application_id, issued_on, valid_from, valid_until, address,
           ground, ground_article, family_member_of_special_holder)
         values ($1, $2 || lpad(nextval('permit_serial')::text, 9, '0'), $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
         on conflict (application_id) do nothing returning id, holder_id
       ), marked as (${MARK_HOLDERS_CHANGED})
       select id from inserted`,
      [
        row.id, row.numberPrefix, row.kind, row.visaType, row.holderId, row.applicationId, row.issuedOn, row.validFrom, row.validUntil, row.address,
        row.ground, row.groundArticle, row.familyMemberOfSpecialHolder,
      ],
    );
    return rows.length === 1;
  }

  /** A permit of the past, by its key; null when none was recorded under it. */
  async findHistorical(idempotencyKey: string): Promise<(PermitRow & HistoricalSource) | null> {
    const rows = await this.db.query<PermitRow & HistoricalSource>(
      'permits.historicalByKey',
      `select ${COLUMNS}, source_document_kind as "sourceDocumentKind", source_document_number as "sourceDocumentNumber"
         from permits where idempotency_key = $1`,
      [idempotencyKey],
    );
    return rows[0] ?? null;
  }

  /**
   * Records a permit of the past under its key, with the number printed on it (or the next of its kind);
   * false when the key was taken meanwhile. A number already on record fails the unique constraint.
   */
  async insertHistorical(row: Omit<PermitRow, 'number'> & HistoricalSource & { number: string | null; numberPrefix: string; recordedBy: string; idempotencyKey: string }): Promise<boolean> {
    const rows = await this.db.query(
      'permits.insertHistorical',
      `with inserted as (
         insert into permits (id, number, kind, visa_type, holder_id, application_id, issued_on, valid_from, valid_until, revoked_on, address,
           ground, ground_article, family_member_of_special_holder, source_document_kind, source_document_number, recorded_by, idempotency_key)
         values ($1, coalesce($2, $3 || lpad(nextval('permit_serial')::text, 9, '0')), $4, $5, $6, null, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)
         on conflict (idempotency_key) do nothing returning id, holder_id
       ), marked as (${MARK_HOLDERS_CHANGED})
       select id from inserted`,
      [
        row.id, row.number, row.numberPrefix, row.kind, row.visaType, row.holderId, row.issuedOn, row.validFrom, row.validUntil, row.revokedOn, row.address,
        row.ground, row.groundArticle, row.familyMemberOfSpecialHolder, row.sourceDocumentKind, row.sourceDocumentNumber, row.recordedBy, row.idempotencyKey,
      ],
    );
    return rows.length === 1;
  }

  async insertMany(rows: readonly PermitRow[]): Promise<void> {
    if (rows.length === 0) return;
    const column = <K extends keyof PermitRow>(key: K) => rows.map((row) => row[key]);
    await this.db.query(
      'permits.insertMany',
      `insert into permits (id, number, kind, visa_type, holder_id, application_id, issued_on, valid_from, valid_until, revoked_on, address,
         ground, ground_article, family_member_of_special_holder)
       select * from unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::uuid[], $6::uuid[], $7::date[], $8::date[],
         $9::date[], $10::date[], $11::text[], $12::text[], $13::text[], $14::boolean[])`,
      [
        column('id'), column('number'), column('kind'), column('visaType'), column('holderId'), column('applicationId'),
        column('issuedOn'), column('validFrom'), column('validUntil'), column('revokedOn'), column('address'),
        column('ground'), column('groundArticle'), column('familyMemberOfSpecialHolder'),
      ],
    );
  }
}
