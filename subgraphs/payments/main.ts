import { runSubgraph } from '../shared/server/run-subgraph';
import { paymentsSubgraph } from './app';

void runSubgraph(paymentsSubgraph);
