import { badUserInput } from '../shared/errors';
import { isUuid, parseId } from '../shared/ids';
import { decodeCursor, encodeCursor, pageSize } from '../shared/pagination';
import type { BorderCrossing } from './border-crossing.type';
import type { PersonLoaders } from './person.loader';
import type { PersonListFilter, PersonRow, PersonStore } from './person.store';
import type { Person, PersonConnection } from './person.type';
import type { TravelDocument } from './travel-document.type';

const PERSONS_LIST = 'persons';
const DOCUMENT_NUMBER = /^[A-Z0-9]{5,20}$/;
const SURNAME_PREFIX = /^\p{L}[\p{L}' -]{0,62}\p{L}$/u;

export function toPerson(row: PersonRow): Person {
  return { ...row, stateless: row.citizenship === null } as Person;
}

/** Decisions of the persons registry for one request; reads go through the request's loaders. */
export class PersonService {
  constructor(
    private readonly store: PersonStore,
    private readonly loaders: PersonLoaders,
  ) {}

  async byId(id: string): Promise<Person | null> {
    const row = await this.loaders.person.load(parseId(id));
    return row && toPerson(row);
  }

  /** `_entities`: another subgraph names a person; an id that cannot exist resolves to null. */
  async byReference(id: string): Promise<Person | null> {
    if (!isUuid(id)) return null;
    const row = await this.loaders.person.load(id.toLowerCase());
    return row && toPerson(row);
  }

  async byDocument(country: string, number: string): Promise<Person | null> {
    const normalised = number.trim().toUpperCase();
    if (!DOCUMENT_NUMBER.test(normalised)) {
      throw badUserInput('number must be 5 to 20 letters and digits, as printed in the document', 'number');
    }
    const personId = await this.store.findIdByDocument(country, normalised);
    return personId ? this.byId(personId) : null;
  }

  async page(filter: PersonListFilter, first: number | null | undefined, after: string | null | undefined): Promise<PersonConnection> {
    validateFilter(filter);
    const limit = pageSize(first, 20);
    const afterId = after ? decodeCursor(PERSONS_LIST, after) : null;
    const rows = await this.store.list(filter, limit + 1, afterId);
    const pageRows = rows.slice(0, limit);
    // The page already holds the persons: later lookups of them in this request cost no statement.
    for (const row of pageRows) this.loaders.person.prime(row.id, row);
    const nodes = pageRows.map(toPerson);
    const edges = nodes.map((node) => ({ cursor: encodeCursor(PERSONS_LIST, node.id), node }));
    return {
      edges,
      nodes,
      filter,
      pageInfo: { hasNextPage: rows.length > limit, endCursor: edges.at(-1)?.cursor ?? null },
    };
  }

  /** How many persons match a list's filter (validated when the list was read). */
  count(filter: PersonListFilter): Promise<number> {
    return this.store.count(filter);
  }

  async travelDocuments(personId: string): Promise<TravelDocument[]> {
    return (await this.loaders.documents.load(personId)) as TravelDocument[];
  }

  async borderCrossings(personId: string): Promise<BorderCrossing[]> {
    return (await this.loaders.crossings.load(personId)) as BorderCrossing[];
  }

}

function validateFilter(filter: PersonListFilter): void {
  if (filter.surnamePrefix !== undefined && filter.surnamePrefix !== null) {
    const prefix = filter.surnamePrefix.trim();
    if (!SURNAME_PREFIX.test(prefix)) {
      throw badUserInput("filter.surnamePrefix must be 2 to 64 letters (spaces, hyphens and apostrophes inside)", 'filter.surnamePrefix');
    }
    filter.surnamePrefix = prefix;
  }
  if (filter.bornFrom && filter.bornTo && filter.bornFrom > filter.bornTo) {
    throw badUserInput('filter.bornFrom must not be after filter.bornTo', 'filter.bornFrom');
  }
  if (filter.citizenship && filter.stateless === true) {
    throw badUserInput('filter.citizenship and filter.stateless: true exclude each other', 'filter.stateless');
  }
}
