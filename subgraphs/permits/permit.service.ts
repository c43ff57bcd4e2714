import { randomUUID } from 'node:crypto';
import { badUserInput } from '../shared/errors';
import { PERMIT_NUMBER_PREFIX } from '../shared/facts/permit-facts';
import { isUuid, parseId } from '../shared/ids';
import type { PermitLoaders } from './permit.loader';
import type { IssuedPermitInput } from './permit-input.type';
import type { PermitRow, PermitStore } from './permit.store';
import { addDays } from '../shared/rules';
import type { PermitStatistics } from './permit-statistics.type';
import { PermitKind, PermitStatus, type Permit } from './permit.type';

/** The longest expiry window a dashboard may ask about: a year and a day. */
const MAX_EXPIRY_WINDOW_DAYS = 366;

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

  /** Counts for dashboards: permits in force today per kind, and those ending within `days` days, today included. */
  async statistics(days: number): Promise<PermitStatistics> {
    if (!Number.isInteger(days) || days < 1 || days > MAX_EXPIRY_WINDOW_DAYS) {
      throw badUserInput(`expiringWithinDays must be a whole number of days from 1 to ${MAX_EXPIRY_WINDOW_DAYS}`, 'expiringWithinDays');
    }
    const rows = await this.store.countsInForce(this.today, addDays(this.today, days - 1));
    return {
      asOf: this.today,
      expiringWithinDays: days,
      byKind: Object.values(PermitKind).map((kind) => {
        const row = rows.find((candidate) => candidate.kind === kind);
        return { kind, inForce: row?.inForce ?? 0, expiring: row?.expiring ?? 0 };
      }),
    };
  }

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

  /** Records the permit issued on an application, once: a repeated message returns the first. */
  async recordIssued(input: IssuedPermitInput): Promise<Permit> {
    const applicationId = parseId(input.applicationId, 'input.applicationId');
    const holderId = parseId(input.holderId, 'input.holderId');
    if (input.validUntil < input.validFrom) throw badUserInput('input.validUntil must not be before validFrom', 'input.validUntil');
    const isVisa = input.kind === 'E_VISA' || input.kind === 'VISA';
    if (isVisa !== Boolean(input.visaType)) throw badUserInput('input.visaType: give it for, and only for, a visa', 'input.visaType');
    if ((input.kind === 'REGISTRATION_BY_PLACE_OF_STAY') !== Boolean(input.address)) {
      throw badUserInput('input.address: give it for, and only for, a registration by place of stay', 'input.address');
    }
    await this.store.insertIssued({
      id: randomUUID(),
      numberPrefix: PERMIT_NUMBER_PREFIX[input.kind],
      kind: input.kind,
      visaType: input.visaType ?? null,
      holderId,
      applicationId,
      issuedOn: input.issuedOn,
      validFrom: input.validFrom,
      validUntil: input.validUntil,
      address: input.address ?? null,
    });
    return (await this.ofApplication(applicationId))!;
  }

  status(permit: Permit, asOf?: string | null): PermitStatus {
    return permitStatusOn(permit, asOf ?? this.today);
  }
}
