import { badUserInput } from '../shared/errors';
import { isUuid, parseId } from '../shared/ids';
import type { PermitLoaders } from './permit.loader';
import type { PermitRow, PermitStore } from './permit.store';
import { PermitStatus, type Permit } from './permit.type';

const PERMIT_NUMBER = /^[A-Z]{1,3}\d{9}$/;

export function toPermit(row: PermitRow): Permit {
  const { holderId, applicationId, ...fields } = row;
  return { ...fields, holder: { id: holderId }, application: applicationId ? { id: applicationId } : null } as Permit;
}

/** Where a permit stands on a day: revocation wins, then its validity window (both ends included). */
export function permitStatusOn(permit: Pick<Permit, 'validFrom' | 'validUntil' | 'revokedOn'>, day: string): PermitStatus {
  if (permit.revokedOn && permit.revokedOn <= day) return PermitStatus.REVOKED;
  if (day < permit.validFrom) return PermitStatus.NOT_YET_VALID;
  if (day > permit.validUntil) return PermitStatus.EXPIRED;
  return PermitStatus.VALID;
}

/** Reads of the permits registry for one request. */
export class PermitService {
  constructor(
    private readonly store: PermitStore,
    private readonly loaders: PermitLoaders,
    private readonly today: string,
  ) {}

  async byId(id: string): Promise<Permit | null> {
    const row = await this.loaders.permit.load(parseId(id));
    return row && toPermit(row);
  }

  async byReference(id: string): Promise<Permit | null> {
    if (!isUuid(id)) return null;
    const row = await this.loaders.permit.load(id.toLowerCase());
    return row && toPermit(row);
  }

  async byNumber(number: string): Promise<Permit | null> {
    const normalised = number.trim().toUpperCase();
    if (!PERMIT_NUMBER.test(normalised)) throw badUserInput('number must be 1 to 3 letters and 9 digits, e.g. WP000012345', 'number');
    const id = await this.store.findIdByNumber(normalised);
    return id ? this.byId(id) : null;
  }

  /** A person's permits, all of them or only those in force on `inForceOn`. */
  async ofHolder(personId: string, inForceOn?: string | null): Promise<Permit[]> {
    if (!isUuid(personId)) return [];
    const permits = (await this.loaders.ofHolder.load(personId.toLowerCase())).map(toPermit);
    return inForceOn ? permits.filter((permit) => permitStatusOn(permit, inForceOn) === PermitStatus.VALID) : permits;
  }

  async ofApplication(applicationId: string): Promise<Permit | null> {
    if (!isUuid(applicationId)) return null;
    const row = await this.loaders.ofApplication.load(applicationId.toLowerCase());
    return row && toPermit(row);
  }

  status(permit: Permit, asOf?: string | null): PermitStatus {
    return permitStatusOn(permit, asOf ?? this.today);
  }
}
