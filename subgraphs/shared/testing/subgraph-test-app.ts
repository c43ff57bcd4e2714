import 'reflect-metadata';
import type { FastifyInstance } from 'fastify';
import { createMercuriusTestClient } from 'mercurius-integration-testing';
import { openDatabase, type Database } from '../db/database';
import { migrate } from '../db/migrate';
import { demoRules } from '../demo/demo-rules';
import { ensureDemoData } from '../demo/ensure-demo-data';
import type { GraphClient } from '../graph-client';
import { demoHistory, type DemoHistory } from '../demo/world';
import { createSubgraphApp } from '../server/subgraph-app';
import type { SubgraphDefinition } from '../server/subgraph-definition';

export const TEST_SEED = 'subgraph-test';
export const TEST_REFERENCE_DATE = '2026-11-01';
export const TEST_TODAY = '2026-11-02';

export interface SubgraphUnderTest {
  app: FastifyInstance;
  db: Database;
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
  options: { graph?: GraphClient; backgroundWork?: boolean } = {},
): Promise<SubgraphUnderTest> {
  const db = await openDatabase({});
  await migrate(db, definition.migrations);
  await ensureDemoData(db, definition, { persons, seed: TEST_SEED, referenceDate: TEST_REFERENCE_DATE, log: () => undefined });
  const app = await createSubgraphApp(definition, {
    db,
    logLevel: 'silent',
    clock: () => new Date(`${TEST_TODAY}T12:00:00+04:00`),
    graph: options.graph,
    // Background work (outbox delivery) talks to other registries: only the tests about it turn it on.
    backgroundWork: options.backgroundWork ?? false,
  });
  await app.ready();
  const histories = Array.from({ length: persons }, (_, index) => demoHistory(TEST_SEED, index, TEST_REFERENCE_DATE, demoRules));
  return { app, db, client: createMercuriusTestClient(app), histories, close: () => app.close() };
}
