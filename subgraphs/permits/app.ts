import 'reflect-metadata';
import type { SubgraphDefinition } from '../../platform/server/subgraph-definition';
import { permitsMigrations } from './migrations';
import { createPermitLoaders } from './permit.loader';
import { permitReference } from './permit.reference';
import { LegalService } from './legal.service';
import { ApplicationPermitResolver, PermitResolver, PermitStatisticsResolver, PersonLegalResolver, PersonPermitsResolver } from './permit.resolver';
import { PermitService } from './permit.service';
import { PermitStore } from './permit.store';
import { createPersonFactLoaders } from './person-fact.loader';
import { PersonFactResolver, PersonFactsResolver } from './person-fact.resolver';
import { PersonFactService } from './person-fact.service';
import { PersonFactStore } from './person-fact.store';
import { callerOf } from '../../protocol/claims';
import { personLookupThroughGraph } from '../../platform/person-lookup';
import { applicationLookupThroughGraph } from './application-lookup';
import { DEFAULT_WRITE_DATES } from '../../platform/plausible-dates';
import { startPresenceRefresher, type PresenceRefresher } from './presence-refresher';
import type { Database } from '../../platform/db/database';
import { PresenceStatisticsResolver } from './presence.resolver';
import { PresenceService } from './presence.service';
import { PresenceStore } from './presence.store';

export interface PermitsServices {
  permits: PermitService;
  legal: LegalService;
  facts: PersonFactService;
  presence: PresenceService;
}

/** Each app's presence refresher, by the database it shares with the app's requests: a permit written wakes it. */
const refreshers = new WeakMap<Database, PresenceRefresher>();

/** The permits registry: visas, work and residence permits, registrations; a person's legal status. */
export const permitsSubgraph: SubgraphDefinition<PermitsServices> = {
  name: 'permits',
  callsGraph: true,
  resolvers: [PermitResolver, PermitStatisticsResolver, PersonPermitsResolver, PersonLegalResolver, ApplicationPermitResolver, PersonFactResolver, PersonFactsResolver, PresenceStatisticsResolver],
  referenceResolvers: { Permit: permitReference },
  migrations: permitsMigrations,
  createServices(db, request) {
    const store = new PermitStore(db);
    const loaders = createPermitLoaders(store);
    const factLoaders = createPersonFactLoaders(new PersonFactStore(db));
    const personOnRecord = personLookupThroughGraph(request.graph, request.requestId);
    return {
      permits: new PermitService(store, loaders, request.today, applicationLookupThroughGraph(request.graph, request.requestId), personOnRecord, () => refreshers.get(db)?.wake()),
      legal: new LegalService(loaders, factLoaders, request.today),
      facts: new PersonFactService(
        new PersonFactStore(db),
        factLoaders,
        async (personId) => (await personOnRecord(personId)) !== null,
        request.today,
        DEFAULT_WRITE_DATES,
        callerOf(request.claims),
      ),
      presence: new PresenceService(new PresenceStore(db, request.answerNotKept), request.today, request.aggregates),
    };
  },
  // The presence status follows the persons registry's feed, the permits written here and the calendar.
  startBackgroundWork(dependencies) {
    const refresher = startPresenceRefresher(dependencies);
    refreshers.set(dependencies.db, refresher);
    return {
      async stop() {
        refreshers.delete(dependencies.db);
        await refresher.stop();
      },
    };
  },
  async seedDemoData(db, histories) {
    await new PermitStore(db).insertMany(histories.flatMap((h) => h.permits));
    await new PersonFactStore(db).insertMany(histories.flatMap((h) => h.facts));
  },
};
