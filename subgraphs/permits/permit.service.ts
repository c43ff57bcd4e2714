import { randomUUID } from 'node:crypto';
import { badUserInput } from '../../platform/errors';
import { PERMIT_NUMBER_PREFIX } from '../../domain/facts/permit-facts';
import { isUuid, parseId } from '../../platform/ids';
import { APPLICATION_NUMBER } from '../../domain/facts/application-numbers';
import type { ApplicationLookup } from './application-lookup';
import type { PermitLoaders } from './permit.loader';
import type { HistoricalPermitInput, IssuedPermitInput } from './permit-input.type';
import { GraphQLError } from 'graphql';
import { isUniqueViolation, writeOnce, type WriteDetails } from '../../platform/idempotent-write';
import type { PersonLookup } from '../../platform/person-lookup';
import { checkDay, eventDays } from '../../platform/plausible-dates';
import type { PermitRow, PermitStore } from './permit.store';
import { addDays } from '../../domain/rules';
import type { PermitExpiryCount, PermitStatistics } from './permit-statistics.type';
import { PermitKind, PermitStatus, type Permit } from './permit.type';

/** The longest expiry window a dashboard may ask about: a year and a day. */
const MAX_EXPIRY_WINDOW_DAYS = 366;

/** The most expiry windows one request may ask about (a page shows three: 30, 60 and 90 days). */
const MAX_EXPIRY_WINDOWS = 6;

const PERMIT_NUMBER = /^[A-Z]{1,3}\d{9}$/;
const DOCUMENT_TEXT = /^[A-Za-z0-9 ._/-]{1,64}$/;
const IDEMPOTENCY_KEY = /^[A-Za-z0-9._:-]{8,128}$/;

/** A permit row as the schema's Permit; the fields named one by one, as a page maps hundreds of rows. */
export function toPermit(row: PermitRow): Permit {
  return {
    id: row.id,
    number: row.number,
    kind: row.kind,
    visaType: row.visaType,
    issuedOn: row.issuedOn,
    validFrom: row.validFrom,
    validUntil: row.validUntil,
    revokedOn: row.revokedOn,
    address: row.address,
    ground: row.ground,
    groundArticle: row.groundArticle,
    familyMemberOfSpecialHolder: row.familyMemberOfSpecialHolder,
    holder: { id: row.holderId },
    application: row.applicationId ? { id: row.applicationId } : null,
  } as Permit;
}

/** Where a permit stands on a day: revocation wins, then its validity window (both ends included). */
export function permitStatusOn(permit: Pick<Permit, 'validFrom' | 'validUntil' | 'revokedOn'>, day: string): PermitStatus {
  if (permit.revokedOn && permit.revokedOn <= day) return PermitStatus.REVOKED;
  if (day < permit.validFrom) return PermitStatus.NOT_YET_VALID;
  if (day > permit.validUntil) return PermitStatus.EXPIRED;
  return PermitStatus.VALID;
}

const RESIDENCE_KINDS: readonly string[] = ['TEMPORARY_RESIDENCE_PERMIT', 'PERMANENT_RESIDENCE_PERMIT'];
const ARTICLE = /^45\.1\.\d{1,2}$/;
const GROUND = /^[A-Z_]{2,40}$/;

/** The ground, article and PR-01 family flag of a residence permit, refused for any other kind. */
export function checkResidenceRecord(input: { kind: string; ground?: string | null; groundArticle?: string | null; familyMemberOfSpecialHolder?: boolean | null }) {
  const ground = input.ground?.trim().toUpperCase() || null;
  const groundArticle = input.groundArticle?.trim() || null;
  const familyMemberOfSpecialHolder = input.familyMemberOfSpecialHolder ?? null;
  if (!RESIDENCE_KINDS.includes(input.kind) && (ground || groundArticle || familyMemberOfSpecialHolder !== null)) {
    throw badUserInput('input.ground: a ground, article or family flag is recorded for residence permits only', 'input.ground');
  }
  if (ground && !GROUND.test(ground)) throw badUserInput('input.ground: a ground such as EMPLOYMENT or FAMILY_REUNIFICATION', 'input.ground');
  if (groundArticle && !ARTICLE.test(groundArticle)) throw badUserInput('input.groundArticle: an article of Migration Code 45.1, e.g. "45.1.2"', 'input.groundArticle');
  return { ground, groundArticle, familyMemberOfSpecialHolder };
}

/** Reads of the permits registry for one request. */
export class PermitService {
  constructor(
    private readonly store: PermitStore,
    private readonly loaders: PermitLoaders,
    private readonly today: string,
    /** The applications registry, asked through the graph whether an application was issued. */
    private readonly applicationOnRecord: ApplicationLookup,
    /** The persons registry, asked through the graph whether a holder exists. */
    private readonly personOnRecord: PersonLookup,
    /** Told after a permit was written (its holder marked for the presence refresher). */
    private readonly holderMarked: () => void = () => undefined,
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

  /**
   * Of the permits in force on `asOf`, how many of each kind end within each of the windows, narrowest
   * first, every kind listed; one statement for all the windows.
   */
  async expiring(asOf: string, days: readonly number[]): Promise<PermitExpiryCount[]> {
    if (days.length === 0 || days.length > MAX_EXPIRY_WINDOWS) throw badUserInput(`days: from 1 to ${MAX_EXPIRY_WINDOWS} windows`, 'days');
    if (days.some((window) => !Number.isInteger(window) || window < 1 || window > MAX_EXPIRY_WINDOW_DAYS)) {
      throw badUserInput(`days: each window a whole number of days from 1 to ${MAX_EXPIRY_WINDOW_DAYS}`, 'days');
    }
    if (new Set(days).size !== days.length) throw badUserInput('days: each window once', 'days');
    const windows = [...days].sort((a, b) => a - b);
    const rows = await this.store.countsExpiring(asOf, windows);
    return windows.flatMap((withinDays) =>
      Object.values(PermitKind).map((kind) => ({
        withinDays,
        kind,
        count: rows.find((row) => row.kind === kind && row.withinDays === withinDays)?.count ?? 0,
      })),
    );
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
    const number = input.applicationNumber?.trim().toUpperCase() ?? '';
    if (!APPLICATION_NUMBER.test(number)) throw badUserInput('input.applicationNumber: the tracking number of the application, e.g. WP-2026-00012345', 'input.applicationNumber');
    const holderId = parseId(input.holderId, 'input.holderId');
    if (input.validUntil < input.validFrom) throw badUserInput('input.validUntil must not be before validFrom', 'input.validUntil');
    const isVisa = input.kind === 'E_VISA' || input.kind === 'VISA';
    if (isVisa !== Boolean(input.visaType)) throw badUserInput('input.visaType: give it for, and only for, a visa', 'input.visaType');
    if ((input.kind === 'REGISTRATION_BY_PLACE_OF_STAY') !== Boolean(input.address)) {
      throw badUserInput('input.address: give it for, and only for, a registration by place of stay', 'input.address');
    }
    const residence = checkResidenceRecord(input);
    // A message taken before (a retry): the permit on record is the answer.
    const taken = await this.ofApplication(applicationId);
    if (taken) return taken;
    // Only an application the applications registry has issued yields a permit here; a permit of the
    // past without one is recorded by recordHistoricalPermit.
    const application = await this.applicationOnRecord(number);
    if (!application) throw badUserInput(`input.applicationNumber: the applications registry has no application ${number}`, 'input.applicationNumber');
    if (application.id !== applicationId) throw badUserInput(`input.applicationId: application ${number} has another id`, 'input.applicationId');
    if (application.status !== 'ISSUED') throw badUserInput(`input.applicationId: application ${number} is ${application.status}, not issued`, 'input.applicationId');
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
      ...residence,
    });
    this.holderMarked();
    // The loader remembers that there was none a moment ago.
    this.loaders.ofApplication.clear(applicationId);
    return (await this.ofApplication(applicationId))!;
  }

  /**
   * A permit of the past (issue 20): the records the Service already holds, each with the document it
   * rests on, recorded once per key by an administrator. Dates may lie far back, never after today.
   */
  async recordHistorical(input: HistoricalPermitInput, caller: string | null): Promise<Permit> {
    if (!caller) throw new GraphQLError('Recording a permit of the past needs a verified caller.', { extensions: { code: 'FORBIDDEN' } });
    const holderId = parseId(input.holderId, 'input.holderId');
    const number = input.number?.trim().toUpperCase() || null;
    if (number !== null && !PERMIT_NUMBER.test(number)) throw badUserInput('input.number: 1 to 3 letters and 9 digits, e.g. MV000123456', 'input.number');
    const past = { ...eventDays(this.today, { marginDays: 0 }), latest: { date: this.today, label: 'today' } };
    checkDay(input.issuedOn, 'input.issuedOn', past);
    checkDay(input.validFrom, 'input.validFrom', { ...past, latest: null });
    if (input.validUntil < input.validFrom) throw badUserInput('input.validUntil must not be before validFrom', 'input.validUntil');
    if (input.issuedOn > input.validUntil) throw badUserInput('input.issuedOn must not be after validUntil', 'input.issuedOn');
    const revokedOn = input.revokedOn ?? null;
    if (revokedOn !== null) checkDay(revokedOn, 'input.revokedOn', { earliest: { date: input.validFrom, label: 'validFrom' }, latest: { date: this.today, label: 'today' } });
    const isVisa = input.kind === 'E_VISA' || input.kind === 'VISA';
    if (isVisa !== Boolean(input.visaType)) throw badUserInput('input.visaType: give it for, and only for, a visa', 'input.visaType');
    const address = input.address?.trim() || null;
    if ((input.kind === 'REGISTRATION_BY_PLACE_OF_STAY') !== Boolean(address)) {
      throw badUserInput('input.address: give it for, and only for, a registration by place of stay', 'input.address');
    }
    const residence = checkResidenceRecord(input);
    const sourceDocumentKind = input.sourceDocumentKind.trim().toUpperCase();
    const sourceDocumentNumber = input.sourceDocumentNumber.trim();
    if (!DOCUMENT_TEXT.test(sourceDocumentKind)) throw badUserInput('input.sourceDocumentKind: 1 to 64 letters, digits, spaces, dots, slashes or hyphens', 'input.sourceDocumentKind');
    if (!DOCUMENT_TEXT.test(sourceDocumentNumber)) throw badUserInput('input.sourceDocumentNumber: 1 to 64 letters, digits, spaces, dots, slashes or hyphens', 'input.sourceDocumentNumber');
    if (!IDEMPOTENCY_KEY.test(input.idempotencyKey)) throw badUserInput('input.idempotencyKey: 8 to 128 letters, digits, dots, underscores, colons or hyphens', 'input.idempotencyKey');

    const row = {
      id: randomUUID(), holderId, kind: input.kind, visaType: input.visaType ?? null, applicationId: null, issuedOn: input.issuedOn,
      validFrom: input.validFrom, validUntil: input.validUntil, revokedOn, address, ...residence, sourceDocumentKind, sourceDocumentNumber,
    };
    const details = (recorded: typeof row & { number: string | null }): WriteDetails => ({
      holderId: recorded.holderId, kind: recorded.kind, number: number === null ? undefined : recorded.number, visaType: recorded.visaType,
      issuedOn: recorded.issuedOn, validFrom: recorded.validFrom, validUntil: recorded.validUntil, revokedOn: recorded.revokedOn,
      address: recorded.address, ground: recorded.ground, groundArticle: recorded.groundArticle,
      familyMemberOfSpecialHolder: recorded.familyMemberOfSpecialHolder === null ? null : String(recorded.familyMemberOfSpecialHolder),
      sourceDocumentKind: recorded.sourceDocumentKind, sourceDocumentNumber: recorded.sourceDocumentNumber,
    });
    const outcome = await writeOnce({
      keyField: 'input.idempotencyKey',
      sent: details({ ...row, number }),
      recorded: () => this.store.findHistorical(input.idempotencyKey),
      detailsOf: (recorded) => details(recorded as typeof row & { number: string }),
      write: async () => {
        if (!(await this.personOnRecord(holderId))) throw badUserInput('input.holderId: the persons registry has no person with this id', 'input.holderId');
        try {
          const inserted = await this.store.insertHistorical({ ...row, number, numberPrefix: PERMIT_NUMBER_PREFIX[input.kind], recordedBy: caller, idempotencyKey: input.idempotencyKey });
          if (inserted) this.holderMarked();
          return inserted ? this.store.findHistorical(input.idempotencyKey) : null;
        } catch (error) {
          if (isUniqueViolation(error, 'permits_number_key')) throw badUserInput(`input.number: a permit numbered ${number} is on record already`, 'input.number');
          throw error;
        }
      },
    });
    if (outcome.kind === 'not-written') throw new Error('a permit of the past was neither written nor found under its key');
    return toPermit(outcome.recorded);
  }

  status(permit: Permit, asOf?: string | null): PermitStatus {
    return permitStatusOn(permit, asOf ?? this.today);
  }
}
