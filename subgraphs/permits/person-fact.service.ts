import { randomUUID } from 'node:crypto';
import { GraphQLError } from 'graphql';
import { badUserInput } from '../../platform/errors';
import { APPLICATION_NUMBER } from '../../domain/facts/application-numbers';
import { FACT_RULE_IDS, GROUNDS_WITH_AMOUNT, type PersonFactRecord } from '../../domain/facts/person-facts';
import { isUuid, parseId } from '../../platform/ids';
import { writeOnce, type WriteDetails } from '../../platform/idempotent-write';
import { checkDay, eventDays, type WriteDates } from '../../platform/plausible-dates';
import type { PersonFactLoaders } from './person-fact.loader';
import type { PersonFactRow, PersonFactStore } from './person-fact.store';
import { FactSourceKind, type PersonFact, type PersonFactKind, type RecordPersonFactInput } from './person-fact.type';

const IDEMPOTENCY_KEY = /^[A-Za-z0-9._:-]{8,128}$/;
const DOCUMENT_TEXT = /^[A-Za-z0-9 ._/-]{1,64}$/;
const AMOUNT = /^\d{1,12}(\.\d{1,2})?$/;

export function toPersonFact(row: PersonFactRow): PersonFact {
  const source = {
    kind: row.sourceApplicationNumber ? FactSourceKind.APPLICATION_DOCUMENT : row.sourceDocumentKind ? FactSourceKind.DOCUMENT : FactSourceKind.OFFICER_DECISION,
    documentKind: row.sourceDocumentKind,
    documentNumber: row.sourceDocumentNumber,
    applicationNumber: row.sourceApplicationNumber,
  };
  return {
    id: row.id,
    person: { id: row.personId },
    kind: row.kind as PersonFactKind,
    ruleId: row.ruleId ?? '',
    established: row.established,
    amountAzn: row.amountAzn,
    businessTripDaysInYear: row.businessTripDaysInYear,
    fieldSetByCabinet: row.fieldSetByCabinet,
    spouseRegisteredAtResidence: row.spouseRegisteredAtResidence,
    validFrom: row.validFrom,
    validUntil: row.validUntil,
    source,
    recordedBy: row.recordedBy,
    recordedOn: row.recordedOn,
  } as PersonFact;
}

/** A recorded fact as the rules read it (amounts as numbers). */
export function toFactRecord(row: PersonFactRow): PersonFactRecord {
  return {
    kind: row.kind,
    ruleId: row.ruleId,
    established: row.established,
    amountAzn: row.amountAzn === null ? null : Number(row.amountAzn),
    businessTripDaysInYear: row.businessTripDaysInYear,
    fieldSetByCabinet: row.fieldSetByCabinet,
    spouseRegisteredAtResidence: row.spouseRegisteredAtResidence,
    validFrom: row.validFrom,
    validUntil: row.validUntil,
  };
}

/** What a retry must repeat exactly, as the store keeps it. */
function detailsOf(row: Omit<PersonFactRow, 'id' | 'recordedBy' | 'recordedOn' | 'idempotencyKey'>): WriteDetails {
  const text = (value: boolean | number | null) => (value === null ? null : String(value));
  return {
    personId: row.personId,
    kind: row.kind,
    ruleId: row.ruleId,
    established: String(row.established),
    amountAzn: row.amountAzn,
    businessTripDaysInYear: text(row.businessTripDaysInYear),
    fieldSetByCabinet: text(row.fieldSetByCabinet),
    spouseRegisteredAtResidence: text(row.spouseRegisteredAtResidence),
    validFrom: row.validFrom,
    validUntil: row.validUntil,
    sourceDocumentKind: row.sourceDocumentKind,
    sourceDocumentNumber: row.sourceDocumentNumber,
    sourceApplicationNumber: row.sourceApplicationNumber,
  };
}

/**
 * Facts about persons that the rules read (WP-EX, PR-GR, PR-RF, CIT-01): recorded once per key by the
 * caller who establishes them, each with its evidence and validity; read per request through a loader.
 */
export class PersonFactService {
  constructor(
    private readonly store: PersonFactStore,
    private readonly loaders: PersonFactLoaders,
    /** Whether the persons registry knows the person (asked through the graph). */
    private readonly personExists: (personId: string) => Promise<boolean>,
    private readonly today: string,
    private readonly writeDates: WriteDates,
    /** The verified caller (agency:subject), whom the record names. */
    private readonly caller: string | null,
  ) {}

  /** The person's facts, in the order recorded. */
  async ofPerson(personId: string): Promise<PersonFactRow[]> {
    if (!isUuid(personId)) return [];
    return this.loaders.ofPerson.load(personId.toLowerCase());
  }

  async record(input: RecordPersonFactInput): Promise<PersonFact> {
    if (!this.caller) throw new GraphQLError('Recording a fact needs a verified caller.', { extensions: { code: 'FORBIDDEN' } });
    const row = this.validate(input, this.caller);
    const outcome = await writeOnce<PersonFactRow>({
      keyField: 'input.idempotencyKey',
      sent: detailsOf(row),
      recorded: () => this.store.byKey(row.personId, row.idempotencyKey),
      detailsOf,
      write: async () => {
        if (!(await this.personExists(row.personId))) throw badUserInput('input.personId: the persons registry has no person with this id', 'input.personId');
        return this.store.insert(row);
      },
    });
    if (outcome.kind === 'not-written') throw new Error('a person fact was neither written nor found under its key');
    this.loaders.ofPerson.clear(row.personId);
    return toPersonFact(outcome.recorded);
  }

  /** Several facts in order, each once per its key; at most 20, so that one call stays one short write. */
  async recordAll(inputs: readonly RecordPersonFactInput[]): Promise<PersonFact[]> {
    if (inputs.length === 0 || inputs.length > 20) throw badUserInput('input.facts: 1 to 20 facts', 'input.facts');
    const recorded: PersonFact[] = [];
    for (const input of inputs) recorded.push(await this.record(input));
    return recorded;
  }

  /** Every field a client can get wrong, refused before anything is read or written. */
  private validate(input: RecordPersonFactInput, recordedBy: string): PersonFactRow {
    const personId = parseId(input.personId, 'input.personId');
    const kind = input.kind as PersonFactKind;
    const allowed = FACT_RULE_IDS[kind];
    const ruleId = input.ruleId?.trim().toUpperCase() || (allowed.length === 1 ? allowed[0] : null);
    if (!ruleId || !allowed.includes(ruleId)) {
      throw badUserInput(`input.ruleId: a ${kind} fact is recorded under one of ${allowed.join(', ')}`, 'input.ruleId');
    }
    const only = (value: unknown, field: string, applies: boolean, what: string) => {
      if (!applies && value !== null && value !== undefined) throw badUserInput(`input.${field}: only for ${what}`, `input.${field}`);
    };
    const amountApplies = kind === 'PERMANENT_RESIDENCE_GROUND' && GROUNDS_WITH_AMOUNT.includes(ruleId);
    only(input.amountAzn, 'amountAzn', amountApplies, GROUNDS_WITH_AMOUNT.join(', '));
    const amountAzn = input.amountAzn?.trim() ?? null;
    if (amountApplies && (!amountAzn || !AMOUNT.test(amountAzn))) {
      throw badUserInput(`input.amountAzn: ${ruleId} needs the amount in manat, a decimal with at most two digits after the point`, 'input.amountAzn');
    }
    const tripApplies = ruleId === 'WP-EX-09';
    only(input.businessTripDaysInYear, 'businessTripDaysInYear', tripApplies, 'WP-EX-09');
    only(input.fieldSetByCabinet, 'fieldSetByCabinet', tripApplies, 'WP-EX-09');
    const days = input.businessTripDaysInYear ?? null;
    if (days !== null && (!Number.isInteger(days) || days < 0 || days > 366)) {
      throw badUserInput('input.businessTripDaysInYear: a whole number of days from 0 to 366', 'input.businessTripDaysInYear');
    }
    only(input.spouseRegisteredAtResidence, 'spouseRegisteredAtResidence', ruleId === 'WP-EX-17', 'WP-EX-17');

    const window = eventDays(this.today, this.writeDates);
    checkDay(input.validFrom, 'input.validFrom', window);
    const validUntil = input.validUntil ?? null;
    if (validUntil !== null && validUntil < input.validFrom) throw badUserInput('input.validUntil must not be before input.validFrom', 'input.validUntil');

    const documentKind = input.sourceDocumentKind?.trim().toUpperCase() || null;
    const documentNumber = input.sourceDocumentNumber?.trim() || null;
    const applicationNumber = input.sourceApplicationNumber?.trim().toUpperCase() || null;
    for (const [value, field] of [[documentKind, 'sourceDocumentKind'], [documentNumber, 'sourceDocumentNumber']] as const) {
      if (value !== null && !DOCUMENT_TEXT.test(value)) throw badUserInput(`input.${field}: 1 to 64 letters, digits, spaces, dots, slashes or hyphens`, `input.${field}`);
    }
    if (applicationNumber !== null && !APPLICATION_NUMBER.test(applicationNumber)) {
      throw badUserInput('input.sourceApplicationNumber must look like CIT-2026-00000123 (type, year, eight digits)', 'input.sourceApplicationNumber');
    }
    if ((documentNumber !== null || applicationNumber !== null) && documentKind === null) {
      throw badUserInput('input.sourceDocumentKind: name the kind of the document the fact rests on', 'input.sourceDocumentKind');
    }
    if (documentKind !== null && documentNumber === null && applicationNumber === null) {
      throw badUserInput('input.sourceDocumentNumber: give the document number, or the application it came with (sourceApplicationNumber)', 'input.sourceDocumentNumber');
    }
    if (!IDEMPOTENCY_KEY.test(input.idempotencyKey)) {
      throw badUserInput('input.idempotencyKey: 8 to 128 letters, digits, dots, underscores, colons or hyphens', 'input.idempotencyKey');
    }
    return {
      id: randomUUID(),
      personId,
      kind,
      ruleId,
      established: input.established,
      amountAzn: amountAzn === null ? null : Number(amountAzn).toFixed(2),
      businessTripDaysInYear: days,
      fieldSetByCabinet: input.fieldSetByCabinet ?? null,
      spouseRegisteredAtResidence: input.spouseRegisteredAtResidence ?? null,
      validFrom: input.validFrom,
      validUntil,
      sourceDocumentKind: documentKind,
      sourceDocumentNumber: documentNumber,
      sourceApplicationNumber: applicationNumber,
      recordedBy,
      recordedOn: this.today,
      idempotencyKey: input.idempotencyKey,
    };
  }
}
