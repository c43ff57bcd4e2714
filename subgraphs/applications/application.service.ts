import { badUserInput } from '../../platform/errors';
import { APPLICATION_NUMBER } from '../../domain/facts/application-numbers';
import { isUuid, parseId } from '../../platform/ids';
import type { ApplicationLoaders } from './application.loader';
import type { ApplicationRow, ApplicationStore } from './application.store';
import type { TimeBucket } from '../../platform/federation/time-bucket.type';
import { seriesPeriod, truncUnit } from '../../platform/time-series';
import type { ApplicationStatistics, OverdueGroups, SubmittedApplications } from './application-statistics.type';
import {
  ApplicationChannel, ApplicationStatus, ApplicationType, RegionalMigrationOffice, type Application, type ApplicationEvent,
} from './application.type';

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
  /** What overdue() found this request, per evaluation day: both of its fields asked cost one statement. */
  private readonly overdueOn = new Map<string, Promise<OverdueGroups>>();

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

  /** Applications submitted per period and type over the range (widened to whole periods), every period and type listed. */
  async submitted(from: string, to: string, bucket: TimeBucket): Promise<SubmittedApplications> {
    const period = seriesPeriod(from, to, bucket);
    const rows = await this.store.submittedPerPeriod(period.from, period.to, truncUnit(bucket));
    const counts = new Map(rows.map((row) => [`${row.periodStart}/${row.type}`, row.count]));
    return {
      from: period.from,
      to: period.to,
      bucket,
      series: period.periodStarts.flatMap((periodStart) =>
        Object.values(ApplicationType).map((type) => ({ periodStart, type, count: counts.get(`${periodStart}/${type}`) ?? 0 })),
      ),
    };
  }

  /**
   * The applications overdue for a decision on `asOf` (CAL-01), per office and per channel, every one
   * listed, with the day the oldest was submitted; one statement per request, whichever is asked.
   */
  overdue(asOf: string): Promise<OverdueGroups> {
    let groups = this.overdueOn.get(asOf);
    if (!groups) {
      groups = this.store.overduePerChannelAndOffice(asOf, AWAITING_DECISION).then((rows) => {
        const summed = (of: typeof rows) => ({
          count: of.reduce((sum, row) => sum + row.count, 0),
          oldestSubmittedOn: of.reduce<string | null>((oldest, row) => (oldest === null || row.oldestSubmittedOn < oldest ? row.oldestSubmittedOn : oldest), null),
        });
        return {
          byOffice: Object.values(RegionalMigrationOffice).map((office) => ({ office, ...summed(rows.filter((row) => row.office === office)) })),
          byChannel: Object.values(ApplicationChannel).map((channel) => ({ channel, ...summed(rows.filter((row) => row.channel === channel)) })),
        };
      });
      this.overdueOn.set(asOf, groups);
    }
    return groups;
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
      throw badUserInput('number must look like WP-2025-00012345 (type, year, eight digits)', 'number');
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
