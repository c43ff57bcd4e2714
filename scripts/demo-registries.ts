import 'reflect-metadata';
import type { PgliteSettings } from '../platform/db/database';
import { writeDatesOrExit } from '../platform/plausible-dates';
import { startSubgraph, type StartedSubgraph } from '../platform/server/run-subgraph';
import type { SubgraphDefinition } from '../platform/server/subgraph-definition';
import { SUBGRAPH_NAMES, type SubgraphName } from '../protocol/registries';
import { applicationsSubgraph } from '../subgraphs/applications/app';
import { auditSubgraphWith } from '../subgraphs/audit/app';
import { checkpointSettings } from '../subgraphs/audit/config';
import { createPaymentsSubgraph } from '../subgraphs/payments/app';
import { createPersonsSubgraph } from '../subgraphs/persons/app';
import { permitsSubgraph } from '../subgraphs/permits/app';
import { ConfigError } from '../platform/config';

/**
 * The demo's registries in one process (`npm start`, docs/decisions/0012-light-demo.md): each still
 * has its own database, app, port, operations port and configuration, as its own main.ts gives it;
 * they share the Node.js runtime and its loaded code. Production runs one process per registry.
 */

/**
 * PostgreSQL settings of the demo's embedded databases. PGlite's shared buffers (128 MB by default)
 * live in its WebAssembly memory and are touched at start, empty database or not; the demo's few
 * MB of data per registry fit in far less, and reads that miss them are served by the OS's cache.
 */
export const DEMO_PGLITE_SETTINGS: PgliteSettings = {
  shared_buffers: '16MB',
};

/** A registry's environment as `npm start` gave each registry process: its own database URL, the gateway's address. */
export function registryEnvironment(name: SubgraphName, env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const databaseUrl = env[`${name.toUpperCase()}_DATABASE_URL`];
  return { ...env, ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}) };
}

/** Each registry's definition, built from its own environment as its main.ts builds it. */
function definitionOf(name: SubgraphName, env: NodeJS.ProcessEnv): SubgraphDefinition<unknown> {
  switch (name) {
    case 'persons':
      return createPersonsSubgraph({ writeDates: writeDatesOrExit(name, env) }) as SubgraphDefinition<unknown>;
    case 'applications':
      return applicationsSubgraph as SubgraphDefinition<unknown>;
    case 'payments':
      return createPaymentsSubgraph({ writeDates: writeDatesOrExit(name, env) }) as SubgraphDefinition<unknown>;
    case 'permits':
      return permitsSubgraph as SubgraphDefinition<unknown>;
    case 'audit':
      try {
        return auditSubgraphWith({ checkpoints: checkpointSettings(env) }) as SubgraphDefinition<unknown>;
      } catch (error) {
        if (!(error instanceof ConfigError)) throw error;
        console.error(`[audit] ${error.message}`);
        process.exit(1);
      }
  }
}

export interface DemoRegistries {
  registries: StartedSubgraph[];
  /** Stops them all, each logging why. */
  stop(reason?: string): Promise<void>;
}

/**
 * Starts the five registries in this process, one after another (PGlite runs on this one thread
 * anyway, and seeding one at a time keeps the peak lower), each with DEMO_PGLITE_SETTINGS.
 */
export async function startDemoRegistries(env: NodeJS.ProcessEnv = process.env): Promise<DemoRegistries> {
  const registries: StartedSubgraph[] = [];
  const stop = async (reason?: string) => {
    await Promise.all(registries.map((registry) => registry.stop(reason)));
  };
  try {
    for (const name of SUBGRAPH_NAMES) {
      const own = registryEnvironment(name, env);
      registries.push(await startSubgraph(definitionOf(name, own), { env: own, pgliteSettings: DEMO_PGLITE_SETTINGS }));
    }
  } catch (error) {
    await stop();
    throw error;
  }
  // Opening a PGlite database leaves its start-up behind as garbage (on first start, a whole second
  // WebAssembly instance that ran initdb), which a process waiting for requests may keep long (the
  // audit log's own process did): one full collection now, when --expose-gc allows it (start.ts).
  (globalThis as { gc?: () => void }).gc?.();
  return { registries, stop };
}

async function main(): Promise<void> {
  const demo = await startDemoRegistries();
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    void demo.stop(signal).finally(() => process.exit(0));
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
