import 'reflect-metadata';
import type { Database } from '../shared/db/database';
import type { SubgraphDefinition } from '../shared/server/subgraph-definition';
import { createPersonLoaders } from './person.loader';
import { personReference } from './person.reference';
import { PersonRecordsService } from './person-records.service';
import { PersonConnectionResolver, PersonRecordsResolver, PersonResolver } from './person.resolver';
import { PersonService } from './person.service';
import { PersonStore } from './person.store';
import { personsMigrations } from './migrations';

export interface PersonsServices {
  persons: PersonService;
  records: PersonRecordsService;
}

/** The persons registry: identity, travel documents, citizenship, border crossings, stay periods. */
export const personsSubgraph: SubgraphDefinition<PersonsServices> = {
  name: 'persons',
  resolvers: [PersonResolver, PersonRecordsResolver, PersonConnectionResolver],
  referenceResolvers: { Person: personReference },
  migrations: personsMigrations,
  createServices(db: Database, request) {
    const store = new PersonStore(db);
    const persons = new PersonService(store, createPersonLoaders(store));
    return { persons, records: new PersonRecordsService(db, persons, request.today) };
  },
  async seedDemoData(db, histories) {
    const store = new PersonStore(db);
    await store.insertPersons(histories.map((h) => h.person));
    await store.insertDocuments(histories.flatMap((h) => h.documents));
    await store.insertCrossings(histories.flatMap((h) => h.crossings));
  },
};
