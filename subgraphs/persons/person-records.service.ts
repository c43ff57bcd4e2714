import { randomUUID } from 'node:crypto';
import type { Database } from '../shared/db/database';
import { badUserInput } from '../shared/errors';
import { parseId } from '../shared/ids';
import type { BorderCrossing } from './border-crossing.type';
import type { BorderCrossingInput, RegisterPersonInput, TravelDocumentInput } from './person-input.type';
import type { PersonService } from './person.service';
import { PersonStore, type TravelDocumentRow } from './person.store';
import type { Person } from './person.type';
import type { TravelDocument } from './travel-document.type';

const NAME = /^\p{L}[\p{L}' .-]{0,99}$/u;
const DOCUMENT_NUMBER = /^[A-Z0-9]{5,20}$/;
const FIN = /^[0-9A-HJ-NP-Z]{7}$/;
const EARLIEST_BIRTH = '1900-01-01';

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
  ) {}

  async register(input: RegisterPersonInput): Promise<Person> {
    const givenName = this.name(input.givenName, 'input.givenName');
    const surname = this.name(input.surname, 'input.surname');
    const patronymic = input.patronymic ? this.name(input.patronymic, 'input.patronymic') : null;
    if (input.birthDate < EARLIEST_BIRTH || input.birthDate > this.today) {
      throw badUserInput(`input.birthDate must be between ${EARLIEST_BIRTH} and today`, 'input.birthDate');
    }
    const stateless = input.stateless ?? false;
    if (stateless === Boolean(input.citizenship)) {
      throw badUserInput('input.citizenship: give a citizenship, or set stateless: true for a stateless person (not both)', 'input.citizenship');
    }
    const fin = input.fin ? input.fin.trim().toUpperCase() : null;
    if (fin && !FIN.test(fin)) throw badUserInput('input.fin must be 7 letters and digits (no I or O)', 'input.fin');
    const id = randomUUID();
    const document = this.document(input.travelDocument, id, 'input.travelDocument');

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
    if (!(await this.persons.byId(id))) throw badUserInput('personId: no person with this id', 'personId');
    const document = this.document(input, id, 'document');
    if (await new PersonStore(this.db).insertDocument(document)) return document as TravelDocument;
    // Already on record: the same document again is a retry; someone else's is an error.
    const existing = (await new PersonStore(this.db).findDocument(document.issuingCountry, document.number))!;
    if (existing.personId !== id) throw badUserInput('document.number: this document is on record for another person', 'document.number');
    return existing as TravelDocument;
  }

  /** The border service feed: idempotent on the crossing's id. */
  async recordCrossing(input: BorderCrossingInput): Promise<BorderCrossing> {
    const id = parseId(input.id, 'input.id');
    const personId = parseId(input.personId, 'input.personId');
    if (input.date > this.today) throw badUserInput('input.date must not be in the future', 'input.date');
    if (!(await this.persons.byId(personId))) throw badUserInput('input.personId: no person with this id', 'input.personId');
    const store = new PersonStore(this.db);
    const row = { id, personId, direction: input.direction, date: input.date, checkpoint: input.checkpoint, travelDocumentId: null };
    if (await store.insertCrossing(row)) return row as BorderCrossing;
    const existing = (await store.findCrossing(id))!;
    const same = existing.personId === personId && existing.direction === input.direction && existing.date === input.date && existing.checkpoint === input.checkpoint;
    if (!same) throw badUserInput('input.id: this crossing id is on record with different details', 'input.id');
    return existing as BorderCrossing;
  }

  private name(value: string, field: string): string {
    const trimmed = value.trim().replace(/\s+/g, ' ');
    if (!NAME.test(trimmed)) throw badUserInput(`${field} must be 1 to 100 letters, spaces, hyphens, dots or apostrophes`, field);
    return trimmed;
  }

  private document(input: TravelDocumentInput, personId: string, field: string): TravelDocumentRow {
    const number = input.number.trim().toUpperCase();
    if (!DOCUMENT_NUMBER.test(number)) throw badUserInput(`${field}.number must be 5 to 20 letters and digits`, `${field}.number`);
    if (input.issuedOn > this.today) throw badUserInput(`${field}.issuedOn must not be in the future`, `${field}.issuedOn`);
    if (input.expiresOn <= input.issuedOn) throw badUserInput(`${field}.expiresOn must be after issuedOn`, `${field}.expiresOn`);
    return { id: randomUUID(), personId, kind: input.kind, number, issuingCountry: input.issuingCountry, issuedOn: input.issuedOn, expiresOn: input.expiresOn };
  }
}

function isUniqueViolation(error: unknown, constraint: string): boolean {
  const candidate = error as { code?: string; constraint?: string; message?: string };
  return candidate?.code === '23505' && (candidate.constraint === constraint || Boolean(candidate.message?.includes(constraint)));
}
