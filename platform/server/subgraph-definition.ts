import type { FastifyInstance } from 'fastify';
import type { Database, Queryable } from '../db/database';
import type { DemoHistory } from '../../demo/world';
import type { ForwardedClaims } from '../../protocol/claims';
import type { GraphClient } from '../graph-client';
import type { Migration } from '../db/migrate';
import type { SubgraphSchemaDefinition } from '../federation/build-subgraph-schema';
import type { AggregateDisclosure } from '../aggregates';
import type { CursorCodec } from '../pagination';
import type { SubgraphName } from '../../protocol/registries';

export interface RequestInfo {
  requestId: string;
  today: string;
  /** The federated graph, for reads of other registries that federation cannot bring. */
  graph: GraphClient;
  /** The verified caller, or null for a request without a token. */
  claims: ForwardedClaims | null;
  /** What this caller may be told of counts (AGGREGATE_MIN_COUNT). */
  aggregates: AggregateDisclosure;
  /** The registry's cursors, sealed under its CURSOR_KEY. */
  cursors: CursorCodec;
  /**
   * Marks the answer as one the gateway must not keep (`Cache-Control: no-store`): it is worked out
   * from something the registry's state does not tell, bookkeeping (Database.bookkeeping, whose writes
   * make no new data version) or the transactions in flight (the stay-facts feed).
   */
  answerNotKept: () => void;
}

/** Work a subgraph does outside requests (e.g. delivering its outbox); stopped before its database closes. */
export interface BackgroundWork {
  stop(): Promise<void>;
}

/** A log line of background work, at `warn` unless it says otherwise. */
export type BackgroundLog = (message: string, detail?: Record<string, unknown>, level?: 'warn' | 'info' | 'debug') => void;

export interface BackgroundDependencies {
  db: Database;
  graph: GraphClient;
  log: BackgroundLog;
  /** Today's date in Baku, from the subgraph's clock (tests fix it). */
  today: () => string;
  /** How long the work pauses between rounds, when set (tests make it short); each kind has its default. */
  intervalMs?: number;
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
  /**
   * Reads or writes another registry's data through the graph, as the registry (applications: intake and
   * its outbox; payments: the person a fine is about; permits: the person of a fact, the issued application
   * of a permit). Such a registry needs a key of its own (REGISTRY_PRIVATE_KEY) in production.
   */
  callsGraph?: boolean;
  /** Writes this subgraph's rows of a batch of demo histories (inside the seeding transaction); absent when it has none. */
  seedDemoData?(db: Queryable, histories: readonly DemoHistory[]): Promise<void>;
  /** HTTP routes besides /graphql (signed by the gateway like it), e.g. the audit log's intake. */
  routes?(app: FastifyInstance, dependencies: { db: Database; secrets: SubgraphSecrets }): void;
}

/** Secrets a subgraph may need besides the signing key, from its environment. */
export interface SubgraphSecrets {
  /** The audit chain's HMAC key (the audit subgraph only); null when not configured. */
  auditKey: string | null;
}
