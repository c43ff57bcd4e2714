import type { Database, Queryable } from '../db/database';
import type { DemoHistory } from '../demo/world';
import type { VerifiedClaims } from '../context';
import type { GraphClient } from '../graph-client';
import type { Migration } from '../db/migrate';
import type { SubgraphSchemaDefinition } from '../federation/build-subgraph-schema';

export type SubgraphName = 'persons' | 'applications' | 'payments' | 'permits';

export const SUBGRAPH_NAMES: readonly SubgraphName[] = ['persons', 'applications', 'payments', 'permits'];

/** Default ports when the environment names none; the gateway listens on 4000. */
export const DEFAULT_SUBGRAPH_PORTS: Record<SubgraphName, number> = {
  persons: 4001,
  applications: 4002,
  payments: 4003,
  permits: 4004,
};

export interface RequestInfo {
  requestId: string;
  today: string;
  /** The federated graph, for reads of other registries that federation cannot bring. */
  graph: GraphClient;
  /** The verified caller, or null for a request without a token. */
  claims: VerifiedClaims | null;
}

/** Work a subgraph does outside requests (e.g. delivering its outbox); stopped before its database closes. */
export interface BackgroundWork {
  stop(): Promise<void>;
}

export interface BackgroundDependencies {
  db: Database;
  graph: GraphClient;
  log: (message: string, detail?: Record<string, unknown>) => void;
}

/**
 * Everything that makes one subgraph: its schema (type-graphql classes), its database schema, its
 * per-request services, and its slice of the demo world. The shared bootstrap does the rest.
 */
export interface SubgraphDefinition<Services> extends SubgraphSchemaDefinition {
  name: SubgraphName;
  migrations: readonly Migration[];
  /** Services for one request: they own that request's DataLoaders. */
  createServices(db: Database, request: RequestInfo): Services;
  /** Starts the subgraph's background work, if it has any. */
  startBackgroundWork?(dependencies: BackgroundDependencies): BackgroundWork;
  /** Writes this subgraph's rows of a batch of demo histories (inside the seeding transaction). */
  seedDemoData(db: Queryable, histories: readonly DemoHistory[]): Promise<void>;
}
