import { runSubgraph } from '../shared/server/run-subgraph';
import { applicationsSubgraph } from './app';

void runSubgraph(applicationsSubgraph);
