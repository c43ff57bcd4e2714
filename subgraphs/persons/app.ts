import 'reflect-metadata';
import type { Database } from '../../platform/db/database';
import type { SubgraphDefinition } from '../../platform/server/subgraph-definition';
import { createPersonLoaders } from './person.loader';
import { personReference } from './person.reference';
import { PersonRecordsService } from './person-records.service';
import { PersonConnectionResolver, PersonRecordsResolver, PersonResolver } from './person.resolver';
import { PersonService } from './person.service';
import { PersonStore } from './person.store';
import { personsMigrations } from './migrations';
import { BorderCrossingResolver, TravelDocumentResolver } from './person-link.resolver';
import { DEFAULT_WRITE_DATES, type WriteDates } from '../../platform/plausible-dates';
import { StayFactsResolver } from './stay-facts.resolver';
import { StayFactsService } from './stay-facts.service';
import { StayFactsStore } from './stay-facts.store';

export interface PersonsServices {
  persons: PersonService;
  records: PersonRecordsService;
  stayFacts: StayFactsService;
}

/** What the persons registry is configured with besides the shared bootstrap's settings. */
export interface PersonsOptions {
  /** Which days its writes accept (WRITE_DATE_MARGIN_DAYS). */
  writeDates: WriteDates;
}

/** The persons registry: identity, travel documents, citizenship, border crossings, stay periods. */
export const createPersonsSubgraph = (options: PersonsOptions): SubgraphDefinition<PersonsServices> => ({
  name: 'persons',
  resolvers: [PersonResolver, PersonRecordsResolver, PersonConnectionResolver, BorderCrossingResolver, TravelDocumentResolver, StayFactsResolver],
  referenceResolvers: { Person: personReference },
  migrations: personsMigrations,
  createServices(db: Database, request) {
    const store = new PersonStore(db);
    const loaders = createPersonLoaders(store);
    const persons = new PersonService(store, loaders, { aggregates: request.aggregates, cursors: request.cursors });
    return {
      persons,
      records: new PersonRecordsService(db, persons, request.today, options.writeDates),
      stayFacts: new StayFactsService(new StayFactsStore(db, request.answerNotKept), loaders),
    };
  },
  async seedDemoData(db, histories) {
    const store = new PersonStore(db);
    await store.insertPersons(histories.map((h) => h.person));
    await store.insertDocuments(histories.flatMap((h) => h.documents));
    await store.insertCrossings(histories.flatMap((h) => h.crossings));
  },
});

/** The persons registry with the default settings (tests, composition). */
export const personsSubgraph = createPersonsSubgraph({ writeDates: DEFAULT_WRITE_DATES });
