import { badUserInput } from '../shared/errors';
import { isUuid, parseId } from '../shared/ids';
import type { ApplicationLoaders } from './application.loader';
import type { ApplicationRow, ApplicationStore } from './application.store';
import type { Application } from './application.type';

/** Public tracking numbers: type prefix, year, serial (e.g. WP-2025-00012345). */
const APPLICATION_NUMBER = /^[A-Z]{2,4}-\d{4}-\d{8}$/;

export function toApplication(row: ApplicationRow): Application {
  const { applicantId, decidedOn, decisionNote, ...fields } = row;
  const decided = decidedOn !== null;
  return {
    ...fields,
    applicant: { id: applicantId },
    decision: decided ? { outcome: row.status, decidedOn, note: decisionNote } : null,
  } as Application;
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

  async ofApplicant(personId: string): Promise<Application[]> {
    if (!isUuid(personId)) return [];
    return (await this.loaders.ofApplicant.load(personId.toLowerCase())).map(toApplication);
  }
}
