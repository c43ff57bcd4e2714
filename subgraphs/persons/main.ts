import { runSubgraph } from '../shared/server/run-subgraph';
import { personsSubgraph } from './app';

void runSubgraph(personsSubgraph);
