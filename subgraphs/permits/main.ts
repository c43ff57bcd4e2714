import { runSubgraph } from '../shared/server/run-subgraph';
import { permitsSubgraph } from './app';

void runSubgraph(permitsSubgraph);
