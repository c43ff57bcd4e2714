import 'reflect-metadata';
import type { SubgraphDefinition } from '../shared/server/subgraph-definition';
import { permitsMigrations } from './migrations';
import { createPermitLoaders } from './permit.loader';
import { permitReference } from './permit.reference';
import { LegalService } from './legal.service';
import { ApplicationPermitResolver, PermitResolver, PersonLegalResolver, PersonPermitsResolver } from './permit.resolver';
import { PermitService } from './permit.service';
import { PermitStore } from './permit.store';

export interface PermitsServices {
  permits: PermitService;
  legal: LegalService;
}

/** The permits registry: visas, work and residence permits, registrations; a person's legal status. */
export const permitsSubgraph: SubgraphDefinition<PermitsServices> = {
  name: 'permits',
  resolvers: [PermitResolver, PersonPermitsResolver, PersonLegalResolver, ApplicationPermitResolver],
  referenceResolvers: { Permit: permitReference },
  migrations: permitsMigrations,
  createServices(db, request) {
    const store = new PermitStore(db);
    const loaders = createPermitLoaders(store);
    return { permits: new PermitService(store, loaders, request.today), legal: new LegalService(loaders, request.today) };
  },
  async seedDemoData(db, histories) {
    await new PermitStore(db).insertMany(histories.flatMap((h) => h.permits));
  },
};
