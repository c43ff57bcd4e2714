import 'reflect-metadata';
import type { SubgraphDefinition } from '../platform/server/subgraph-definition';
import { applicationsSubgraph } from './applications/app';
import { paymentsSubgraph } from './payments/app';
import { permitsSubgraph } from './permits/app';
import { personsSubgraph } from './persons/app';
import { auditSubgraph } from './audit/app';

/** The four registries and the audit log, in the order the supergraph lists them. */
export const SUBGRAPHS: readonly SubgraphDefinition<unknown>[] = [
  personsSubgraph,
  applicationsSubgraph,
  paymentsSubgraph,
  permitsSubgraph,
  auditSubgraph as SubgraphDefinition<unknown>,
];
