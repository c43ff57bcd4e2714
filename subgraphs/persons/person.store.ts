import type { Queryable } from '../../platform/db/database';

export interface PersonRow {
  id: string;
  fin: string | null;
  givenName: string;
  surname: string;
  patronymic: string | null;
  birthDate: string;
  sex: 'FEMALE' | 'MALE';
  citizenship: string | null;
}

export interface TravelDocumentRow {
  id: string;
  personId: string;
  kind: string;
  number: string;
  issuingCountry: string;
  issuedOn: string;
  expiresOn: string;
}

export interface BorderCrossingRow {
  id: string;
  personId: string;
  direction: 'ENTRY' | 'EXIT';
  date: string;
  checkpoint: string;
  travelDocumentId: string | null;
}

export interface PersonListFilter {
  citizenship?: string | null;
  stateless?: boolean | null;
  surnamePrefix?: string | null;
  bornFrom?: string | null;
  bornTo?: string | null;
}

const PERSON_COLUMNS = `id, fin, given_name as "givenName", surname, patronymic, birth_date as "birthDate", sex, citizenship`;
const DOCUMENT_COLUMNS = `id, person_id as "personId", kind, number, issuing_country as "issuingCountry",
  issued_on as "issuedOn", expires_on as "expiresOn"`;
const CROSSING_COLUMNS = `id, person_id as "personId", direction, crossed_on as "date", checkpoint,
  travel_document_id as "travelDocumentId"`;

/**
 * Notes, in the statement that records crossings (a CTE `inserted` returning person_id), that these
 * persons' stay facts changed: the feed the permits registry keeps its presence status from
 * (stay-facts.store.ts). One row per person, moved to the end of the feed.
 */
const NOTE_STAY_FACT_CHANGES = `insert into stay_fact_changes (person_id) select distinct person_id from inserted
  on conflict (person_id) do update set xid = pg_current_xact_id(), seq = nextval('stay_fact_changes_seq')`;

/** Escapes LIKE wildcards so a surname prefix is matched literally. */
function likePrefix(prefix: string): string {
  return `${prefix.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/**
 * The filter as one parameterised WHERE clause. Every condition is always present and switched off by
 * a null parameter, so the statement text is the same for every filter (one plan, one prepared name).
 */
const FILTER_SQL = `($1::char(3) is null or citizenship = $1)
  and ($2::boolean is null or (citizenship is null) = $2)
  and ($3::text is null or lower(surname) like $3)
  and ($4::date is null or birth_date >= $4)
  and ($5::date is null or birth_date <= $5)`;

function filterParams(filter: PersonListFilter): unknown[] {
  return [
    filter.citizenship ?? null,
    filter.stateless ?? null,
    filter.surnamePrefix ? likePrefix(filter.surnamePrefix) : null,
    filter.bornFrom ?? null,
    filter.bornTo ?? null,
  ];
}

/** The persons registry's SQL: persons, their travel documents and border crossings. */
export class PersonStore {
  constructor(private readonly db: Queryable) {}

  findByIds(ids: readonly string[]): Promise<PersonRow[]> {
    return this.db.query('persons.byIds', `select ${PERSON_COLUMNS} from persons where id = any($1::uuid[])`, [ids]);
  }

  async findIdByDocument(issuingCountry: string, number: string): Promise<string | null> {
    const rows = await this.db.query<{ personId: string }>(
      'persons.idByDocument',
      `select person_id as "personId" from travel_documents where issuing_country = $1 and number = $2`,
      [issuingCountry, number],
    );
    return rows[0]?.personId ?? null;
  }

  /** One page in id order after `afterId`; asks for one row more than the page to know if another follows. */
  list(filter: PersonListFilter, limit: number, afterId: string | null): Promise<PersonRow[]> {
    return this.db.query(
      'persons.page',
      `select ${PERSON_COLUMNS} from persons
        where ${FILTER_SQL} and ($6::uuid is null or id > $6)
        order by id
        limit $7`,
      [...filterParams(filter), afterId, limit],
    );
  }

  async count(filter: PersonListFilter): Promise<number> {
    const rows = await this.db.query<{ count: number }>(
      'persons.count',
      `select count(*)::int as count from persons where ${FILTER_SQL}`,
      filterParams(filter),
    );
    return rows[0].count;
  }

  documentsOf(personIds: readonly string[]): Promise<TravelDocumentRow[]> {
    return this.db.query(
      'travelDocuments.byPersonIds',
      `select ${DOCUMENT_COLUMNS} from travel_documents where person_id = any($1::uuid[]) order by issued_on, id`,
      [personIds],
    );
  }

  crossingsOf(personIds: readonly string[]): Promise<BorderCrossingRow[]> {
    return this.db.query(
      'borderCrossings.byPersonIds',
      `select ${CROSSING_COLUMNS} from border_crossings where person_id = any($1::uuid[]) order by crossed_on, id`,
      [personIds],
    );
  }

  async insertPerson(row: PersonRow): Promise<void> {
    await this.db.query(
      'persons.insert',
      `insert into persons (id, fin, given_name, surname, patronymic, birth_date, sex, citizenship) values ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [row.id, row.fin, row.givenName, row.surname, row.patronymic, row.birthDate, row.sex, row.citizenship],
    );
  }

  async findDocument(issuingCountry: string, number: string): Promise<TravelDocumentRow | null> {
    const rows = await this.db.query<TravelDocumentRow>(
      'travelDocuments.byNumber',
      `select ${DOCUMENT_COLUMNS} from travel_documents where issuing_country = $1 and number = $2`,
      [issuingCountry, number],
    );
    return rows[0] ?? null;
  }

  /** Inserts a document unless its number is on record already; returns whether it was inserted. */
  async insertDocument(row: TravelDocumentRow): Promise<boolean> {
    const rows = await this.db.query(
      'travelDocuments.insert',
      `insert into travel_documents (id, person_id, kind, number, issuing_country, issued_on, expires_on)
       values ($1, $2, $3, $4, $5, $6, $7) on conflict (issuing_country, number) do nothing returning id`,
      [row.id, row.personId, row.kind, row.number, row.issuingCountry, row.issuedOn, row.expiresOn],
    );
    return rows.length === 1;
  }

  async findCrossing(id: string): Promise<BorderCrossingRow | null> {
    const rows = await this.db.query<BorderCrossingRow>('borderCrossings.byId', `select ${CROSSING_COLUMNS} from border_crossings where id = $1`, [id]);
    return rows[0] ?? null;
  }

  /** Inserts a crossing unless its feed id is on record already; returns whether it was inserted. */
  async insertCrossing(row: BorderCrossingRow): Promise<boolean> {
    const rows = await this.db.query(
      'borderCrossings.insert',
      `with inserted as (
         insert into border_crossings (id, person_id, direction, crossed_on, checkpoint, travel_document_id)
         values ($1, $2, $3, $4, $5, $6) on conflict (id) do nothing returning id, person_id
       ), changed as (${NOTE_STAY_FACT_CHANGES})
       select id from inserted`,
      [row.id, row.personId, row.direction, row.date, row.checkpoint, row.travelDocumentId],
    );
    return rows.length === 1;
  }

  /** Bulk insert for the demo world and imports: one statement per call, whatever the row count. */
  async insertPersons(rows: readonly PersonRow[]): Promise<void> {
    if (rows.length === 0) return;
    await this.db.query(
      'persons.insertMany',
      `insert into persons (id, fin, given_name, surname, patronymic, birth_date, sex, citizenship)
       select * from unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::date[], $7::text[], $8::char(3)[])`,
      [
        rows.map((r) => r.id),
        rows.map((r) => r.fin),
        rows.map((r) => r.givenName),
        rows.map((r) => r.surname),
        rows.map((r) => r.patronymic),
        rows.map((r) => r.birthDate),
        rows.map((r) => r.sex),
        rows.map((r) => r.citizenship),
      ],
    );
  }

  async insertDocuments(rows: readonly TravelDocumentRow[]): Promise<void> {
    if (rows.length === 0) return;
    await this.db.query(
      'travelDocuments.insertMany',
      `insert into travel_documents (id, person_id, kind, number, issuing_country, issued_on, expires_on)
       select * from unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::char(3)[], $6::date[], $7::date[])`,
      [
        rows.map((r) => r.id),
        rows.map((r) => r.personId),
        rows.map((r) => r.kind),
        rows.map((r) => r.number),
        rows.map((r) => r.issuingCountry),
        rows.map((r) => r.issuedOn),
        rows.map((r) => r.expiresOn),
      ],
    );
  }

  async insertCrossings(rows: readonly BorderCrossingRow[]): Promise<void> {
    if (rows.length === 0) return;
    await this.db.query(
      'borderCrossings.insertMany',
      `with inserted as (
         insert into border_crossings (id, person_id, direction, crossed_on, checkpoint, travel_document_id)
         select * from unnest($1::uuid[], $2::uuid[], $3::text[], $4::date[], $5::text[], $6::uuid[])
         returning person_id
       ), changed as (${NOTE_STAY_FACT_CHANGES})
       select count(*) from inserted`,
      [
        rows.map((r) => r.id),
        rows.map((r) => r.personId),
        rows.map((r) => r.direction),
        rows.map((r) => r.date),
        rows.map((r) => r.checkpoint),
        rows.map((r) => r.travelDocumentId),
      ],
    );
  }
}
