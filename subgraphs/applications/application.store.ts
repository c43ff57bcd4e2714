import type { Queryable } from '../shared/db/database';

export interface ApplicationRow {
  id: string;
  number: string;
  type: string;
  applicantId: string;
  channel: string;
  office: string | null;
  ground: string | null;
  requestedDurationMonths: number | null;
  processingWorkingDays: number | null;
  status: string;
  submittedOn: string;
  dueOn: string | null;
  decidedOn: string | null;
  decisionNote: string | null;
  documents: string[];
  intakeOutcome: string | null;
  intakeReasons: unknown[] | null;
}

/** Demo and imported applications carry no intake record. */
export type SeededApplication = Omit<ApplicationRow, 'documents' | 'intakeOutcome' | 'intakeReasons'>;

/** A new application as intake registers it; number and id are made by the store. */
export interface NewApplication {
  type: string;
  applicantId: string;
  channel: string;
  office: string | null;
  ground: string | null;
  requestedDurationMonths: number | null;
  processingWorkingDays: number | null;
  submittedOn: string;
  dueOn: string | null;
  documents: string[];
  intakeOutcome: string;
  intakeReasons: unknown[];
  idempotencyKey: string | null;
  /** Type prefix of the tracking number, e.g. WP. */
  numberPrefix: string;
}

const COLUMNS = `id, number, type, applicant_id as "applicantId", channel, office, ground,
  requested_duration_months as "requestedDurationMonths", processing_working_days as "processingWorkingDays",
  status, submitted_on as "submittedOn", due_on as "dueOn", decided_on as "decidedOn", decision_note as "decisionNote",
  documents, intake_outcome as "intakeOutcome", intake_reasons as "intakeReasons"`;

/** The applications registry's SQL. */
export class ApplicationStore {
  constructor(private readonly db: Queryable) {}

  findByIds(ids: readonly string[]): Promise<ApplicationRow[]> {
    return this.db.query('applications.byIds', `select ${COLUMNS} from applications where id = any($1::uuid[])`, [ids]);
  }

  async findIdByNumber(number: string): Promise<string | null> {
    const rows = await this.db.query<{ id: string }>('applications.idByNumber', `select id from applications where number = $1`, [number]);
    return rows[0]?.id ?? null;
  }

  ofApplicants(applicantIds: readonly string[]): Promise<ApplicationRow[]> {
    return this.db.query(
      'applications.byApplicantIds',
      `select ${COLUMNS} from applications where applicant_id = any($1::uuid[]) order by submitted_on, number`,
      [applicantIds],
    );
  }

  async findIdByIdempotencyKey(applicantId: string, key: string): Promise<string | null> {
    const rows = await this.db.query<{ id: string }>(
      'applications.idByIdempotencyKey',
      `select id from applications where applicant_id = $1 and idempotency_key = $2`,
      [applicantId, key],
    );
    return rows[0]?.id ?? null;
  }

  /**
   * Registers a new application with the next tracking number, in one statement. With an idempotency
   * key already used by the applicant, nothing is written and null is returned.
   */
  async insert(application: NewApplication): Promise<string | null> {
    const rows = await this.db.query<{ id: string }>(
      'applications.insert',
      `insert into applications (id, number, type, applicant_id, channel, office, ground, requested_duration_months,
         processing_working_days, status, submitted_on, due_on, documents, intake_outcome, intake_reasons, idempotency_key)
       values (gen_random_uuid(), $1 || '-' || extract(year from $2::date)::text || '-' || lpad(nextval('application_serial')::text, 8, '0'),
         $3, $4, $5, $6, $7, $8, $9, 'SUBMITTED', $2, $10, $11, $12, $13, $14)
       on conflict (applicant_id, idempotency_key) where idempotency_key is not null do nothing
       returning id`,
      [
        application.numberPrefix, application.submittedOn, application.type, application.applicantId, application.channel,
        application.office, application.ground, application.requestedDurationMonths, application.processingWorkingDays,
        application.dueOn, application.documents, application.intakeOutcome, JSON.stringify(application.intakeReasons),
        application.idempotencyKey,
      ],
    );
    return rows[0]?.id ?? null;
  }

  async insertMany(rows: readonly SeededApplication[]): Promise<void> {
    if (rows.length === 0) return;
    const column = <K extends keyof SeededApplication>(key: K) => rows.map((row) => row[key]);
    await this.db.query(
      'applications.insertMany',
      `insert into applications (id, number, type, applicant_id, channel, office, ground, requested_duration_months,
         processing_working_days, status, submitted_on, due_on, decided_on, decision_note)
       select * from unnest($1::uuid[], $2::text[], $3::text[], $4::uuid[], $5::text[], $6::text[], $7::text[], $8::int[],
         $9::int[], $10::text[], $11::date[], $12::date[], $13::date[], $14::text[])`,
      [
        column('id'), column('number'), column('type'), column('applicantId'), column('channel'), column('office'),
        column('ground'), column('requestedDurationMonths'), column('processingWorkingDays'), column('status'),
        column('submittedOn'), column('dueOn'), column('decidedOn'), column('decisionNote'),
      ],
    );
  }
}
