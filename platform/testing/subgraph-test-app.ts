import 'reflect-metadata';
import type { FastifyInstance } from 'fastify';
import { createMercuriusTestClient } from 'mercurius-integration-testing';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { openDatabase, type Database } from '../db/database';
import { migrate } from '../db/migrate';
import { demoRules } from '../../demo/demo-rules';
import { ensureDemoData } from '../../demo/ensure-demo-data';
import type { GraphClient } from '../graph-client';
import { SCOPES } from '../../protocol/access';
import { forwarded, type VerifiedClaims } from '../../protocol/claims';
import { demoHistory, type DemoHistory } from '../../demo/world';
import { createSubgraphApp } from '../server/subgraph-app';
import type { SubgraphDefinition } from '../server/subgraph-definition';

export const TEST_SEED = 'subgraph-test';
/** A caller holding every scope (the subgraph tests' default). */
export const EVERY_SCOPE: VerifiedClaims = { agency: 'administrator', subject: 'subgraph-test', scopes: Object.keys(SCOPES) };
export const TEST_REFERENCE_DATE = '2026-11-01';
export const TEST_TODAY = '2026-11-02';

export interface SubgraphUnderTest {
  app: FastifyInstance;
  db: Database;
  /** The database's URL when it is on a PostgreSQL server (another pool can open it, as another process would). */
  databaseUrl?: string;
  client: ReturnType<typeof createMercuriusTestClient>;
  /** The demo histories the database was seeded with: the ground truth to compare answers to. */
  histories: DemoHistory[];
  close(): Promise<void>;
}

/**
 * One subgraph in process, on an in-memory PGlite seeded with `persons` demo histories, queried
 * through mercurius-integration-testing (no network).
 */
export async function startSubgraphUnderTest<S>(
  definition: SubgraphDefinition<S>,
  persons = 40,
  options: { graph?: GraphClient; backgroundWork?: boolean; serverUrl?: string; claims?: VerifiedClaims; jit?: number } = {},
): Promise<SubgraphUnderTest> {
  // On a PostgreSQL server each run gets a database of its own, dropped at the end.
  const server = options.serverUrl ? await freshServerDatabase(options.serverUrl, definition.name) : null;
  const db = await openDatabase({ url: server?.url, maxConnections: 20 });
  await migrate(db, definition.migrations);
  await ensureDemoData(db, definition, { persons, seed: TEST_SEED, referenceDate: TEST_REFERENCE_DATE, log: () => undefined });
  const app = await createSubgraphApp(definition, {
    db,
    logLevel: 'silent',
    clock: () => new Date(`${TEST_TODAY}T12:00:00+04:00`),
    graph: options.graph,
    // Background work (outbox delivery) talks to other registries: only the tests about it turn it on.
    backgroundWork: options.backgroundWork ?? false,
    // These tests drive one subgraph directly; the gateway's signature is tested in test/subgraph-trust.test.ts.
    signingKey: null,
    // A request that forwards no claims is a caller with every scope; a test of the subgraph's own
    // access check forwards claims with fewer.
    assumedCaller: forwarded(options.claims ?? EVERY_SCOPE),
    jit: options.jit,
  });
  await app.ready();
  const histories = Array.from({ length: persons }, (_, index) => demoHistory(TEST_SEED, index, TEST_REFERENCE_DATE, demoRules));
  return {
    app,
    db,
    databaseUrl: server?.url,
    client: createMercuriusTestClient(app),
    histories,
    async close() {
      await app.close();
      await server?.drop();
    },
  };
}

/** The server URL of the tests' PostgreSQL, when one is given (CI starts one). */
export const TEST_SERVER_URL = process.env.TEST_DATABASE_URL;

/** Where tests that must hold on both run: the embedded PGlite, and a PostgreSQL server when there is one. */
export const DATABASE_TARGETS: [kind: string, serverUrl: string | undefined][] = [
  ['PGlite', undefined],
  ...(TEST_SERVER_URL ? [['PostgreSQL', TEST_SERVER_URL] as [string, string]] : []),
];

/** A new database on the server, named for `name`, with a way to drop it. */
export async function freshServerDatabase(serverUrl: string, name: string): Promise<{ url: string; drop(): Promise<void> }> {
  const database = `dmx_spec_${name}_${randomBytes(4).toString('hex')}`;
  const admin = async (sql: string) => {
    const client = new Client({ connectionString: serverUrl });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  await admin(`create database ${database}`);
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return { url: url.toString(), drop: () => admin(`drop database if exists ${database} with (force)`) };
}
