import { badUserInput } from '../../platform/errors';
import { APPLICATION_NUMBER } from '../../domain/facts/application-numbers';
import { isUuid, parseId } from '../../platform/ids';
import type { ApplicationLoaders } from './application.loader';
import type { ApplicationRow, ApplicationStore } from './application.store';
import type { ApplicationStatistics } from './application-statistics.type';
import { ApplicationStatus, type Application, type ApplicationEvent } from './application.type';

/** Statuses in which an application waits for the decision its due date is set for. */
const AWAITING_DECISION: readonly ApplicationStatus[] = [ApplicationStatus.SUBMITTED, ApplicationStatus.UNDER_REVIEW];


export function toApplication(row: ApplicationRow): Application {
  const { applicantId, decidedOn, decisionNote, intakeOutcome, intakeReasons, ...fields } = row;
  return {
    ...fields,
    applicant: { id: applicantId },
    decision: decidedOn !== null ? { outcome: row.status, decidedOn, note: decisionNote } : null,
    intake: intakeOutcome ? { outcome: intakeOutcome, reasons: intakeReasons ?? [] } : null,
  } as unknown as Application;
}

/** Reads of the applications registry for one request. */
export class ApplicationService {
  constructor(
    private readonly store: ApplicationStore,
    private readonly loaders: ApplicationLoaders,
  ) {}

  /** Counts for dashboards on `asOf`: per status, and the applications awaiting a decision past their due date (CAL-01). */
  async statistics(asOf: string): Promise<ApplicationStatistics> {
    const rows = await this.store.countsByStatus(asOf, AWAITING_DECISION);
    const countOf = (status: string) => rows.find((row) => row.status === status)?.count ?? 0;
    return {
      asOf,
      open: AWAITING_DECISION.reduce((sum, status) => sum + countOf(status), 0),
      overdue: rows.reduce((sum, row) => sum + row.overdue, 0),
      byStatus: Object.values(ApplicationStatus).map((status) => ({ status, count: countOf(status) })),
    };
  }

  async byId(id: string): Promise<Application | null> {
    const row = await this.loaders.application.load(parseId(id));
    return row && toApplication(row);
  }

  /** Drops what this request's loader holds of an application that has just changed. */
  forget(id: string): void {
    this.loaders.application.clear(id);
  }

  async byReference(id: string): Promise<Application | null> {
    if (!isUuid(id)) return null;
    const row = await this.loaders.application.load(id.toLowerCase());
    return row && toApplication(row);
  }

  /** PAY-01: tracking by the public number. */
  async byNumber(number: string): Promise<Application | null> {
    const normalised = number.trim().toUpperCase();
    if (!APPLICATION_NUMBER.test(normalised)) {
      throw badUserInput('number must look like WP-2025-00012345 (type, year, 8-digit serial)', 'number');
    }
    const id = await this.store.findIdByNumber(normalised);
    return id ? this.byId(id) : null;
  }

  async history(applicationId: string): Promise<ApplicationEvent[]> {
    return (await this.loaders.events.load(applicationId)) as ApplicationEvent[];
  }

  async ofApplicant(personId: string): Promise<Application[]> {
    if (!isUuid(personId)) return [];
    return (await this.loaders.ofApplicant.load(personId.toLowerCase())).map(toApplication);
  }
}
