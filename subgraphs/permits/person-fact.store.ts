import type { Queryable } from '../../platform/db/database';

/** A fact about a person that a rule reads, with its evidence, its validity and who recorded it. */
export interface PersonFactRow {
  id: string;
  personId: string;
  kind: string;
  ruleId: string | null;
  established: boolean;
  amountAzn: string | null;
  businessTripDaysInYear: number | null;
  fieldSetByCabinet: boolean | null;
  spouseRegisteredAtResidence: boolean | null;
  validFrom: string;
  validUntil: string | null;
  sourceDocumentKind: string | null;
  sourceDocumentNumber: string | null;
  sourceApplicationNumber: string | null;
  recordedBy: string;
  recordedOn: string;
  idempotencyKey: string;
}

const COLUMNS = `id, person_id as "personId", kind, rule_id as "ruleId", established, amount_azn::text as "amountAzn",
  business_trip_days_in_year as "businessTripDaysInYear", field_set_by_cabinet as "fieldSetByCabinet",
  spouse_registered_at_residence as "spouseRegisteredAtResidence", valid_from as "validFrom", valid_until as "validUntil",
  source_document_kind as "sourceDocumentKind", source_document_number as "sourceDocumentNumber",
  source_application_number as "sourceApplicationNumber", recorded_by as "recordedBy", recorded_on as "recordedOn",
  idempotency_key as "idempotencyKey"`;

/** The SQL of person facts (permits registry). */
export class PersonFactStore {
  constructor(private readonly db: Queryable) {}

  /** The facts of these persons, in the order they were recorded. */
  ofPersons(personIds: readonly string[]): Promise<PersonFactRow[]> {
    return this.db.query('personFacts.ofPersons', `select ${COLUMNS} from person_facts where person_id = any($1::uuid[]) order by sequence`, [personIds]);
  }

  async byKey(personId: string, idempotencyKey: string): Promise<PersonFactRow | null> {
    const rows = await this.db.query<PersonFactRow>(
      'personFacts.byKey',
      `select ${COLUMNS} from person_facts where person_id = $1 and idempotency_key = $2`,
      [personId, idempotencyKey],
    );
    return rows[0] ?? null;
  }

  /** The demo world's facts, in one statement. */
  async insertMany(rows: readonly PersonFactRow[]): Promise<void> {
    if (rows.length === 0) return;
    const column = <K extends keyof PersonFactRow>(key: K) => rows.map((row) => row[key]);
    await this.db.query(
      'personFacts.insertMany',
      `insert into person_facts (id, person_id, kind, rule_id, established, amount_azn, business_trip_days_in_year, field_set_by_cabinet,
         spouse_registered_at_residence, valid_from, valid_until, source_document_kind, source_document_number, source_application_number,
         recorded_by, recorded_on, idempotency_key)
       select * from unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::boolean[], $6::numeric[], $7::int[], $8::boolean[], $9::boolean[],
         $10::date[], $11::date[], $12::text[], $13::text[], $14::text[], $15::text[], $16::date[], $17::text[])`,
      [
        column('id'), column('personId'), column('kind'), column('ruleId'), column('established'), column('amountAzn'), column('businessTripDaysInYear'),
        column('fieldSetByCabinet'), column('spouseRegisteredAtResidence'), column('validFrom'), column('validUntil'), column('sourceDocumentKind'),
        column('sourceDocumentNumber'), column('sourceApplicationNumber'), column('recordedBy'), column('recordedOn'), column('idempotencyKey'),
      ],
    );
  }

  /** Records a fact unless the person has one under the key already; null when it did not insert. */
  async insert(row: PersonFactRow): Promise<PersonFactRow | null> {
    const rows = await this.db.query<PersonFactRow>(
      'personFacts.insert',
      `insert into person_facts (id, person_id, kind, rule_id, established, amount_azn, business_trip_days_in_year, field_set_by_cabinet,
         spouse_registered_at_residence, valid_from, valid_until, source_document_kind, source_document_number, source_application_number,
         recorded_by, recorded_on, idempotency_key)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)
       on conflict (person_id, idempotency_key) do nothing returning ${COLUMNS}`,
      [
        row.id, row.personId, row.kind, row.ruleId, row.established, row.amountAzn, row.businessTripDaysInYear, row.fieldSetByCabinet,
        row.spouseRegisteredAtResidence, row.validFrom, row.validUntil, row.sourceDocumentKind, row.sourceDocumentNumber,
        row.sourceApplicationNumber, row.recordedBy, row.recordedOn, row.idempotencyKey,
      ],
    );
    return rows[0] ?? null;
  }
}
