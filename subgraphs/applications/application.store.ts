import type { Queryable } from '../../platform/db/database';
import type { OutboxRow } from './outbox.store';

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
  /** Row version: every transition bumps it, so two officers cannot both move the same state. */
  version: number;
  /** The state duty in AZN (decimal text) an officer assessed where the tables leave it open (PAY-04); null when none was. */
  assessedDuty: string | null;
  /** The day it was assessed; null with assessedDuty. */
  dutyAssessedOn: string | null;
}

export interface ApplicationEventRow {
  applicationId: string;
  fromStatus: string | null;
  toStatus: string;
  actor: string;
  note: string | null;
  occurredOn: string;
  recordedAt?: Date;
}

/** Demo and imported applications carry no intake record. */
export type SeededApplication = Omit<ApplicationRow, 'documents' | 'intakeOutcome' | 'intakeReasons' | 'version'>;

/** A new application as intake registers it; id and status are made by the store. */
export type NewApplication = Pick<
  ApplicationRow,
  'type' | 'applicantId' | 'channel' | 'office' | 'ground' | 'requestedDurationMonths' | 'processingWorkingDays' | 'submittedOn' | 'dueOn' | 'documents'
> & {
  intakeOutcome: string;
  intakeReasons: unknown[];
  idempotencyKey: string | null;
  /** Its tracking number, e.g. WP-2026-48213907. */
  number: string;
};

const COLUMNS = `id, number, type, applicant_id as "applicantId", channel, office, ground,
  requested_duration_months as "requestedDurationMonths", processing_working_days as "processingWorkingDays",
  status, submitted_on as "submittedOn", due_on as "dueOn", decided_on as "decidedOn", decision_note as "decisionNote",
  documents, intake_outcome as "intakeOutcome", intake_reasons as "intakeReasons", version,
  assessed_duty::text as "assessedDuty", duty_assessed_on as "dutyAssessedOn"`;
const EVENT_COLUMNS = `application_id as "applicationId", from_status as "fromStatus", to_status as "toStatus", actor, note,
  occurred_on as "occurredOn", recorded_at as "recordedAt"`;

/** The applications registry's SQL. */
export class ApplicationStore {
  constructor(private readonly db: Queryable) {}

  /** Applications per status, and how many of those in the `awaiting` statuses are past their due date on `asOf`. */
  async countsByStatus(asOf: string, awaiting: readonly string[]): Promise<{ status: string; count: number; overdue: number }[]> {
    return this.db.query(
      'applications.countsByStatus',
      `select status, count(*)::int as count,
              count(*) filter (where status = any($2::text[]) and due_on < $1)::int as overdue
         from applications group by status`,
      [asOf, awaiting],
    );
  }

  /**
   * Applications submitted from `from` to `to` (both included) per period (date_trunc's `unit`) and
   * type; empty groups are not returned. Read from applications_submitted_idx alone.
   */
  submittedPerPeriod(from: string, to: string, unit: 'week' | 'month'): Promise<{ periodStart: string; type: string; count: number }[]> {
    return this.db.query(
      'applications.submittedPerPeriod',
      `select date_trunc($3, submitted_on::timestamp)::date as "periodStart", type, count(*)::int as count
         from applications where submitted_on between $1::date and $2::date group by 1, 2`,
      [from, to, unit],
    );
  }

  /**
   * Applications in the `awaiting` statuses past their due date on `asOf` (CAL-01, as countsByStatus
   * counts them), per channel and office (an office only for REGIONAL_MIGRATION_OFFICE), with the day
   * the oldest was submitted. The partial index applications_open_due_idx serves it.
   */
  overduePerChannelAndOffice(asOf: string, awaiting: readonly string[]): Promise<{ channel: string; office: string | null; count: number; oldestSubmittedOn: string }[]> {
    return this.db.query(
      'applications.overduePerChannelAndOffice',
      `select channel, office, count(*)::int as count, min(submitted_on) as "oldestSubmittedOn"
         from applications where status = any($2::text[]) and due_on < $1 group by channel, office`,
      [asOf, awaiting],
    );
  }

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
   * Registers a new application, in one statement. Nothing is written, and null returned, when the
   * applicant already used the idempotency key or another application has the number: the caller
   * tells which (findIdByIdempotencyKey) and draws another number for the latter.
   */
  async insert(application: NewApplication): Promise<string | null> {
    const rows = await this.db.query<{ id: string }>(
      'applications.insert',
      `insert into applications (id, number, type, applicant_id, channel, office, ground, requested_duration_months,
         processing_working_days, status, submitted_on, due_on, documents, intake_outcome, intake_reasons, idempotency_key)
       values (gen_random_uuid(), $1, $3, $4, $5, $6, $7, $8, $9, 'SUBMITTED', $2, $10, $11, $12, $13, $14)
       on conflict do nothing
       returning id`,
      [
        application.number, application.submittedOn, application.type, application.applicantId, application.channel,
        application.office, application.ground, application.requestedDurationMonths, application.processingWorkingDays,
        application.dueOn, application.documents, application.intakeOutcome, JSON.stringify(application.intakeReasons),
        application.idempotencyKey,
      ],
    );
    return rows[0]?.id ?? null;
  }

  /**
   * Moves an application to `to` if it still has the version the caller read; returns false when
   * another step changed it first (the caller re-reads and decides again).
   */
  async transition(
    id: string,
    version: number,
    to: string,
    decision: { decidedOn: string; note: string | null } | null,
  ): Promise<boolean> {
    const rows = await this.db.query(
      'applications.transition',
      `update applications
          set status = $3, version = version + 1,
              decided_on = coalesce($4, decided_on), decision_note = coalesce($5, decision_note)
        where id = $1 and version = $2
        returning id`,
      [id, version, to, decision?.decidedOn ?? null, decision?.note ?? null],
    );
    return rows.length === 1;
  }

  async insertEvent(event: ApplicationEventRow): Promise<void> {
    await this.db.query(
      'applicationEvents.insert',
      `insert into application_events (application_id, from_status, to_status, actor, note, occurred_on) values ($1, $2, $3, $4, $5, $6)`,
      [event.applicationId, event.fromStatus, event.toStatus, event.actor, event.note, event.occurredOn],
    );
  }

  eventsOf(applicationIds: readonly string[]): Promise<ApplicationEventRow[]> {
    return this.db.query(
      'applicationEvents.byApplicationIds',
      `select ${EVENT_COLUMNS} from application_events where application_id = any($1::uuid[]) order by id`,
      [applicationIds],
    );
  }

  async insertEvents(rows: readonly ApplicationEventRow[]): Promise<void> {
    if (rows.length === 0) return;
    const column = <K extends keyof ApplicationEventRow>(key: K) => rows.map((row) => row[key]);
    await this.db.query(
      'applicationEvents.insertMany',
      `insert into application_events (application_id, from_status, to_status, actor, note, occurred_on)
       select * from unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::date[])`,
      [column('applicationId'), column('fromStatus'), column('toStatus'), column('actor'), column('note'), column('occurredOn')],
    );
  }

  /** Queues a message for another registry in the same transaction as the change that causes it. */
  /** Queues one message of its kind per application; false when the application already has one. */
  async enqueue(applicationId: string, kind: OutboxRow['kind'], payload: Record<string, unknown>): Promise<boolean> {
    const rows = await this.db.query(
      'outbox.enqueue',
      `insert into outbox (application_id, kind, payload) values ($1, $2, $3) on conflict (application_id, kind) do nothing returning id`,
      [applicationId, kind, JSON.stringify(payload)],
    );
    return rows.length > 0;
  }

  /**
   * Records the state duty an officer assessed (PAY-04), once: false when the application already has
   * one (the caller compares amounts) or does not exist.
   */
  async recordAssessedDuty(applicationId: string, amount: string, assessedOn: string): Promise<boolean> {
    const rows = await this.db.query(
      'applications.recordAssessedDuty',
      `update applications set assessed_duty = $2::numeric, duty_assessed_on = $3 where id = $1 and assessed_duty is null returning id`,
      [applicationId, amount, assessedOn],
    );
    return rows.length > 0;
  }

  async insertMany(rows: readonly SeededApplication[]): Promise<void> {
    if (rows.length === 0) return;
    const column = <K extends keyof SeededApplication>(key: K) => rows.map((row) => row[key]);
    await this.db.query(
      'applications.insertMany',
      `insert into applications (id, number, type, applicant_id, channel, office, ground, requested_duration_months,
         processing_working_days, status, submitted_on, due_on, decided_on, decision_note, assessed_duty, duty_assessed_on)
       select * from unnest($1::uuid[], $2::text[], $3::text[], $4::uuid[], $5::text[], $6::text[], $7::text[], $8::int[],
         $9::int[], $10::text[], $11::date[], $12::date[], $13::date[], $14::text[], $15::numeric[], $16::date[])`,
      [
        column('id'), column('number'), column('type'), column('applicantId'), column('channel'), column('office'),
        column('ground'), column('requestedDurationMonths'), column('processingWorkingDays'), column('status'),
        column('submittedOn'), column('dueOn'), column('decidedOn'), column('decisionNote'), column('assessedDuty'), column('dutyAssessedOn'),
      ],
    );
  }
}
