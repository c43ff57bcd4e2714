import 'reflect-metadata';
import type { FastifyInstance } from 'fastify';
import { ConfigError, subgraphConfig, type SubgraphConfig } from '../config';
import { openDatabase, type Database, type PgliteSettings } from '../db/database';
import { migrate } from '../db/migrate';
import { ensureDemoData } from '../../demo/ensure-demo-data';
import { buildFederatedSchema } from '../federation/build-subgraph-schema';
import { httpGraphClient } from '../graph-client';
import { developmentKeyPair } from '../../protocol/request-signing';
import { startOpsServer } from '../telemetry/ops-server';
import { startTelemetry } from '../telemetry/telemetry';
import { createSubgraphApp, type SubgraphAppOptions } from './subgraph-app';
import { DEFAULT_OPS_PORTS, DEFAULT_SUBGRAPH_PORTS } from '../../protocol/registries';
import type { SubgraphDefinition } from './subgraph-definition';

/** What a listening subgraph's app was built from, for a second app on the same schema and database. */
export type SharedSubgraphOptions = Pick<SubgraphAppOptions, 'db' | 'schema' | 'jit' | 'logLevel' | 'graph' | 'secrets' | 'privacy'>;

export interface ListeningSubgraph<Services> {
  definition: SubgraphDefinition<Services>;
  /** The subgraph's app, listening on its port. */
  app: FastifyInstance;
  shared: SharedSubgraphOptions;
}

export interface RunSubgraphHooks<Services> {
  /**
   * Called once the app listens, for what a wrapper process adds beside it (the benchmark's unsigned
   * twin, bench/servers/registry.ts); what it returns is closed with the app.
   */
  onListening?(subgraph: ListeningSubgraph<Services>): Promise<{ close(): Promise<void> }>;
}

/** What a started subgraph hands back to whoever started it. */
export interface StartedSubgraph {
  name: string;
  /** The subgraph's own database (tests ask it for its settings). */
  db: Database;
  /** Where its GraphQL endpoint listens. */
  url: string;
  /** Closes its listeners, what was started beside it and its database, logging why; the process goes on. */
  stop(reason?: string): Promise<void>;
}

export interface StartSubgraphOptions<Services> extends RunSubgraphHooks<Services> {
  /** The environment read for this subgraph's configuration; the process's own when absent. */
  env?: NodeJS.ProcessEnv;
  /** PostgreSQL settings for its embedded PGlite (the demo's lighter memory, scripts/demo-registries.ts). */
  pgliteSettings?: PgliteSettings;
}

/**
 * The whole life of a subgraph process: read and validate the environment, open its own database,
 * migrate, seed the demo world on first start, listen, and close cleanly on SIGINT/SIGTERM.
 */
export async function runSubgraph<Services>(definition: SubgraphDefinition<Services>, hooks: RunSubgraphHooks<Services> = {}): Promise<void> {
  const started = await startSubgraph(definition, hooks);
  const stop = async (signal: string) => {
    await started.stop(signal);
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
}

/**
 * One subgraph started in this process from `options.env`: its own database, app, port and
 * operations listener, so that several may share a process (the demo's, scripts/demo-registries.ts).
 * A bad configuration stops the process, naming the variable.
 */
export async function startSubgraph<Services>(definition: SubgraphDefinition<Services>, options: StartSubgraphOptions<Services> = {}): Promise<StartedSubgraph> {
  const environment = options.env ?? process.env;
  let config: SubgraphConfig;
  try {
    config = subgraphConfig(definition, environment, { http: DEFAULT_SUBGRAPH_PORTS[definition.name], operations: DEFAULT_OPS_PORTS[definition.name] });
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`[${definition.name}] ${error.message}`);
      process.exit(1);
    }
    throw error;
  }
  const { service } = config;

  // Before anything that traces or measures: spans and instruments made earlier would go nowhere.
  // One per process: in a process of several subgraphs, the first one's name (startTelemetry).
  const telemetry = startTelemetry({ service: `dmx-${definition.name}`, env: environment });
  const db = await openDatabase({ ...config.database, pgliteSettings: options.pgliteSettings });
  const schema = await buildFederatedSchema(definition);
  // The gateway's public key; in development its key pair under DATA_DIR/keys (made by whichever process starts first).
  const signingKey = config.keys.gatewayPublicKey ?? developmentKeyPair(service.dataDir, 'gateway').publicKey;
  // This registry's own key for its calls through the graph; the audit log makes none.
  const registryKey =
    config.keys.registryPrivateKey ?? (service.production || definition.name === 'audit' ? null : developmentKeyPair(service.dataDir, `registry-${definition.name}`).privateKey);
  // Built once, and handed to onListening for a second app on the same process.
  const shared: SharedSubgraphOptions = {
    db,
    schema,
    jit: config.graphqlJit,
    logLevel: service.logLevel,
    // Without a key of its own, no graph: a call through it is refused, saying so (NO_GRAPH).
    graph: registryKey ? httpGraphClient(config.graph.gatewayUrl, { registry: definition.name, key: registryKey }) : undefined,
    secrets: { auditKey: config.auditChainKey },
    privacy: config.privacy,
  };
  const app = await createSubgraphApp(definition, { ...shared, exposeErrors: service.development, signingKey, backgroundIntervalMs: config.background.intervalMs });
  const applied = await migrate(db, definition.migrations);
  if (applied.length > 0) app.log.info({ applied }, 'migrations applied');
  const demo = await ensureDemoData(db, definition, { ...config.demo, log: (message) => app.log.info(message) });
  // PGlite runs no autovacuum, so nothing else refreshes the planner's statistics: done at each start
  // (a PostgreSQL server's autovacuum does it there).
  if (db.kind === 'pglite' && demo !== 'seeded') await db.exec('db.analyze', 'analyze');

  const address = await app.listen(config.http);
  app.log.info(`${definition.name} subgraph ready at ${address}/graphql (${db.kind})`);
  // Metrics and health for operators, on a port of their own (loopback unless OPS_HOST says otherwise).
  const ops = await startOpsServer({
    ...config.operations,
    telemetry,
    ready: async () => {
      const answer = await app.inject({ method: 'GET', url: '/ready' });
      const { checks } = answer.json() as { checks: Record<string, string> };
      return { ready: answer.statusCode === 200, checks };
    },
  });
  app.log.info(`${definition.name} operations at ${ops.url} (metrics, health, ready)`);

  const beside = await options.onListening?.({ definition, app, shared });

  return {
    name: definition.name,
    db,
    url: `${address}/graphql`,
    async stop(reason) {
      if (reason) app.log.info(`${reason}: closing`);
      await ops.close();
      // The app's own onClose hook closes the database.
      await app.close();
      await beside?.close();
      await telemetry.shutdown();
    },
  };
}
