import { badUserInput } from '../shared/errors';
import { APPLICATION_NUMBER } from '../shared/facts/application-numbers';
import { isUuid, parseId } from '../shared/ids';
import type { ApplicationLoaders } from './application.loader';
import type { ApplicationRow, ApplicationStore } from './application.store';
import type { Application, ApplicationEvent } from './application.type';


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
