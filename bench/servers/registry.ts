import 'reflect-metadata';
import { ConfigError, parseEnvironment } from '../../platform/config';
import { writeDatesOrExit } from '../../platform/plausible-dates';
import { runSubgraph } from '../../platform/server/run-subgraph';
import type { SubgraphDefinition } from '../../platform/server/subgraph-definition';
import { SUBGRAPH_NAMES, type SubgraphName } from '../../protocol/registries';
import { openUnsignedTwin, twinEnvironment, type TwinEnvironment } from './unsigned-twin';

/**
 * A registry as the benchmark starts it (`registry.js <name>`): what its main.ts runs, plus the
 * unsigned twin on DMX_BENCH_PORT (unsigned-twin.ts). Only the named registry's app is loaded, as
 * its main.ts loads it, so that the process's memory is that registry's alone.
 */
const REGISTRIES: Record<SubgraphName, (env: TwinEnvironment) => Promise<void>> = {
  persons: async (env) => withTwin((await import('../../subgraphs/persons/app')).createPersonsSubgraph({ writeDates: writeDatesOrExit('persons') }), env),
  applications: async (env) => withTwin((await import('../../subgraphs/applications/app')).applicationsSubgraph, env),
  payments: async (env) => withTwin((await import('../../subgraphs/payments/app')).createPaymentsSubgraph({ writeDates: writeDatesOrExit('payments') }), env),
  permits: async (env) => withTwin((await import('../../subgraphs/permits/app')).permitsSubgraph, env),
  audit: async (env) => {
    const [{ auditSubgraphWith }, { checkpointSettings }] = await Promise.all([import('../../subgraphs/audit/app'), import('../../subgraphs/audit/config')]);
    return withTwin(auditSubgraphWith({ checkpoints: checkpointSettings(process.env) }), env);
  },
};

function withTwin<Services>(definition: SubgraphDefinition<Services>, env: TwinEnvironment): Promise<void> {
  return runSubgraph(definition, { onListening: (subgraph) => openUnsignedTwin(subgraph, env) });
}

async function main(): Promise<void> {
  const name = process.argv[2] as SubgraphName;
  if (!SUBGRAPH_NAMES.includes(name)) {
    console.error(`usage: registry.js <${SUBGRAPH_NAMES.join('|')}>`);
    process.exit(1);
  }
  try {
    await REGISTRIES[name](parseEnvironment(twinEnvironment, process.env));
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(`[${name}] ${error.message}`);
    process.exit(1);
  }
}

void main();
