import { randomUUID } from 'node:crypto';
import type { Database } from '../../platform/db/database';
import { badUserInput } from '../../platform/errors';
import { parseId } from '../../platform/ids';
import { isUniqueViolation, writeOnce } from '../../platform/idempotent-write';
import { addDays } from '../../domain/rules/dates';
import { checkDay, EARLIEST_PLAUSIBLE_DATE, eventDays, notBeforeBirth, type WriteDates } from '../../platform/plausible-dates';
import type { BorderCrossing } from './border-crossing.type';
import type { BorderCrossingInput, RegisterPersonInput, TravelDocumentInput } from './person-input.type';
import type { PersonService } from './person.service';
import { PersonStore, type BorderCrossingRow, type TravelDocumentRow } from './person.store';
import type { Person } from './person.type';
import type { TravelDocument } from './travel-document.type';

const NAME = /^\p{L}[\p{L}' .-]{0,99}$/u;
const DOCUMENT_NUMBER = /^[A-Z0-9]{5,20}$/;
const FIN = /^[0-9A-HJ-NP-Z]{7}$/;

/**
 * Writes of the persons registry: new persons, their documents, and the border service's crossings.
 * Each write is checked field by field first, and is taken once: a resent crossing or document is
 * recognised, not recorded again.
 */
export class PersonRecordsService {
  constructor(
    private readonly db: Database,
    private readonly persons: PersonService,
    private readonly today: string,
    private readonly writeDates: WriteDates,
  ) {}

  async register(input: RegisterPersonInput): Promise<Person> {
    const givenName = this.name(input.givenName, 'input.givenName');
    const surname = this.name(input.surname, 'input.surname');
    const patronymic = input.patronymic ? this.name(input.patronymic, 'input.patronymic') : null;
    // Nobody is born tomorrow: no margin for a birth date.
    checkDay(input.birthDate, 'input.birthDate', {
      earliest: { date: EARLIEST_PLAUSIBLE_DATE, label: EARLIEST_PLAUSIBLE_DATE },
      latest: { date: this.today, label: 'today' },
    });
    const stateless = input.stateless ?? false;
    if (stateless === Boolean(input.citizenship)) {
      throw badUserInput('input.citizenship: give a citizenship, or set stateless: true for a stateless person (not both)', 'input.citizenship');
    }
    const fin = input.fin ? input.fin.trim().toUpperCase() : null;
    if (fin && !FIN.test(fin)) throw badUserInput('input.fin must be 7 letters and digits (no I or O)', 'input.fin');
    const id = randomUUID();
    const document = this.document(input.travelDocument, id, input.birthDate, 'input.travelDocument');

    await this.db.transaction(async (tx) => {
      const store = new PersonStore(tx);
      await store.insertPerson({ id, fin, givenName, surname, patronymic, birthDate: input.birthDate, sex: input.sex, citizenship: input.citizenship ?? null });
      if (!(await store.insertDocument(document))) {
        throw badUserInput('input.travelDocument: a document with this number and issuing country is already on record', 'input.travelDocument.number');
      }
    }).catch((error: unknown) => {
      if (isUniqueViolation(error, 'persons_fin_key')) throw badUserInput('input.fin: this FİN belongs to another person', 'input.fin');
      throw error;
    });
    return (await this.persons.byId(id))!;
  }

  async addTravelDocument(personId: string, input: TravelDocumentInput): Promise<TravelDocument> {
    const id = parseId(personId, 'personId');
    const person = await this.persons.byId(id);
    if (!person) throw badUserInput('personId: no person with this id', 'personId');
    const document = this.document(input, id, person.birthDate, 'document');
    const store = new PersonStore(this.db);
    // Taken once per number and issuing country: the same document again is a retry; other details are an error.
    const outcome = await writeOnce<TravelDocumentRow>({
      keyField: 'document.number',
      sent: { personId: id, kind: document.kind, issuedOn: document.issuedOn, expiresOn: document.expiresOn },
      recorded: () => store.findDocument(document.issuingCountry, document.number),
      detailsOf: (taken) => ({ personId: taken.personId, kind: taken.kind, issuedOn: taken.issuedOn, expiresOn: taken.expiresOn }),
      write: async () => ((await store.insertDocument(document)) ? document : null),
      refuse: (differing) =>
        differing.includes('personId')
          ? badUserInput('document.number: this document is on record for another person', 'document.number')
          : badUserInput(`document: this document is on record with another ${differing.join(', ')}`, `document.${differing[0]}`),
    });
    if (outcome.kind === 'not-written') throw new Error('A document was refused by its number, yet none is on record under it');
    return outcome.recorded as TravelDocument;
  }

  /** The border service feed: idempotent on the crossing's id. */
  async recordCrossing(input: BorderCrossingInput): Promise<BorderCrossing> {
    const id = parseId(input.id, 'input.id');
    const personId = parseId(input.personId, 'input.personId');
    const events = eventDays(this.today, this.writeDates);
    checkDay(input.date, 'input.date', events);
    const person = await this.persons.byId(personId);
    if (!person) throw badUserInput('input.personId: no person with this id', 'input.personId');
    checkDay(input.date, 'input.date', notBeforeBirth(events, person.birthDate));
    const store = new PersonStore(this.db);
    const row: BorderCrossingRow = { id, personId, direction: input.direction, date: input.date, checkpoint: input.checkpoint, travelDocumentId: null };
    const outcome = await writeOnce<BorderCrossingRow>({
      keyField: 'input.id',
      sent: { personId, direction: row.direction, date: row.date, checkpoint: row.checkpoint },
      recorded: () => store.findCrossing(id),
      detailsOf: (taken) => ({ personId: taken.personId, direction: taken.direction, date: taken.date, checkpoint: taken.checkpoint }),
      write: async () => ((await store.insertCrossing(row)) ? row : null),
    });
    if (outcome.kind === 'not-written') throw new Error('A crossing was refused by its id, yet none is on record under it');
    return outcome.recorded as BorderCrossing;
  }

  private name(value: string, field: string): string {
    const trimmed = value.trim().replace(/\s+/g, ' ');
    if (!NAME.test(trimmed)) throw badUserInput(`${field} must be 1 to 100 letters, spaces, hyphens, dots or apostrophes`, field);
    return trimmed;
  }

  private document(input: TravelDocumentInput, personId: string, birthDate: string, field: string): TravelDocumentRow {
    const number = input.number.trim().toUpperCase();
    if (!DOCUMENT_NUMBER.test(number)) throw badUserInput(`${field}.number must be 5 to 20 letters and digits`, `${field}.number`);
    checkDay(input.issuedOn, `${field}.issuedOn`, notBeforeBirth(eventDays(this.today, this.writeDates), birthDate));
    // No latest expiry: a document valid without limit carries a far expiry date.
    checkDay(input.expiresOn, `${field}.expiresOn`, { earliest: { date: addDays(input.issuedOn, 1), label: 'the day after issue' }, latest: null });
    return { id: randomUUID(), personId, kind: input.kind, number, issuingCountry: input.issuingCountry, issuedOn: input.issuedOn, expiresOn: input.expiresOn };
  }
}
