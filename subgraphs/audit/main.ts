import { runSubgraph } from '../shared/server/run-subgraph';
import { auditSubgraph } from './app';

void runSubgraph(auditSubgraph);
