import { runSubgraph } from '../../platform/server/run-subgraph';
import { permitsSubgraph } from './app';

void runSubgraph(permitsSubgraph);
