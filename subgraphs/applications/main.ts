import { runSubgraph } from '../../platform/server/run-subgraph';
import { applicationsSubgraph } from './app';

void runSubgraph(applicationsSubgraph);
