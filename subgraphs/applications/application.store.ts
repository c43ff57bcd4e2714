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
}

const COLUMNS = `id, number, type, applicant_id as "applicantId", channel, office, ground,
  requested_duration_months as "requestedDurationMonths", processing_working_days as "processingWorkingDays",
  status, submitted_on as "submittedOn", due_on as "dueOn", decided_on as "decidedOn", decision_note as "decisionNote"`;

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

  async insertMany(rows: readonly ApplicationRow[]): Promise<void> {
    if (rows.length === 0) return;
    const column = <K extends keyof ApplicationRow>(key: K) => rows.map((row) => row[key]);
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
