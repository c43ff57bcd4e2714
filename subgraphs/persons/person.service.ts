import type { Scope } from '../../protocol/access';
import { forbiddenArgument, type AggregateDisclosure } from '../../platform/aggregates';
import { badUserInput } from '../../platform/errors';
import { isUuid, parseId } from '../../platform/ids';
import { pageSize, type CursorCodec } from '../../platform/pagination';
import type { BorderCrossing } from './border-crossing.type';
import type { PersonLoaders } from './person.loader';
import type { PersonListFilter, PersonRow, PersonStore } from './person.store';
import type { Person, PersonConnection } from './person.type';
import type { TravelDocument } from './travel-document.type';

const PERSONS_LIST = 'persons';

/**
 * The list a cursor belongs to: the persons under one filter. Its name is sealed with each cursor, so a
 * cursor given under one filter is refused under another, where it would page quietly through other rows.
 */
function personsList(filter: PersonListFilter): string {
  const given = Object.entries({ ...filter, surnamePrefix: filter.surnamePrefix?.toLowerCase() })
    .filter(([, value]) => value !== null && value !== undefined)
    .sort(([a], [b]) => a.localeCompare(b));
  return given.length === 0 ? PERSONS_LIST : `${PERSONS_LIST} filtered by ${JSON.stringify(Object.fromEntries(given))}`;
}
/** Who may read persons, and so list them, page through them and count them exactly. */
const READS_PERSONS: readonly Scope[] = ['persons:read'];
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
    /** What the caller may be told of counts, and the registry's cursors. */
    private readonly privacy: { aggregates: AggregateDisclosure; cursors: CursorCodec },
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
    if (!this.privacy.aggregates.readsRecords(READS_PERSONS)) {
      // A caller who may only count: no question about one person (issue 18, item 1). It gets no
      // page (the schema refuses it edges, nodes and pageInfo), so none is read.
      refuseSinglingOut(filter, after);
      return { edges: [], nodes: [], filter, pageInfo: { hasNextPage: false, endCursor: null } };
    }
    const list = personsList(filter);
    const afterId = after ? this.privacy.cursors.decode(list, after, { field: 'after', isPosition: isUuid }) : null;
    const rows = await this.store.list(filter, limit + 1, afterId);
    const pageRows = rows.slice(0, limit);
    // The page already holds the persons: later lookups of them in this request cost no statement.
    for (const row of pageRows) this.loaders.person.prime(row.id, row);
    const nodes = pageRows.map(toPerson);
    const edges = nodes.map((node) => ({ cursor: this.privacy.cursors.encode(list, node.id), node }));
    return {
      edges,
      nodes,
      filter,
      pageInfo: { hasNextPage: rows.length > limit, endCursor: edges.at(-1)?.cursor ?? null },
    };
  }

  /** How many persons match a list's filter (validated when the list was read); null when withheld from this caller. */
  async count(filter: PersonListFilter): Promise<number | null> {
    return this.privacy.aggregates.count(await this.store.count(filter), READS_PERSONS);
  }

  /** Below which number this caller's counts of persons are withheld; null when it gets them whole. */
  suppressedBelow(): number | null {
    return this.privacy.aggregates.suppressedBelow(READS_PERSONS);
  }

  async travelDocuments(personId: string): Promise<TravelDocument[]> {
    return (await this.loaders.documents.load(personId)) as TravelDocument[];
  }

  async borderCrossings(personId: string): Promise<BorderCrossing[]> {
    return (await this.loaders.crossings.load(personId)) as BorderCrossing[];
  }

}

/**
 * What a caller who may only count may not ask: a position in the list (a cursor, which names a
 * person), a surname, or birth dates finer than whole years. What is left (citizenship, statelessness,
 * years of birth) counts groups, and a count under the threshold is withheld.
 */
function refuseSinglingOut(filter: PersonListFilter, after: string | null | undefined): void {
  const needs = 'needs persons:read: with aggregates:read alone, persons are counted, not looked for.';
  if (after !== null && after !== undefined) throw forbiddenArgument('after', 'persons(after:)', needs);
  if (filter.surnamePrefix !== undefined && filter.surnamePrefix !== null) {
    throw forbiddenArgument('filter.surnamePrefix', 'persons(filter.surnamePrefix:)', needs);
  }
  if (filter.bornFrom && !filter.bornFrom.endsWith('-01-01')) {
    throw forbiddenArgument('filter.bornFrom', 'persons(filter.bornFrom:)', 'takes whole years from a caller with aggregates:read alone: a 1 January.');
  }
  if (filter.bornTo && !filter.bornTo.endsWith('-12-31')) {
    throw forbiddenArgument('filter.bornTo', 'persons(filter.bornTo:)', 'takes whole years from a caller with aggregates:read alone: a 31 December.');
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
