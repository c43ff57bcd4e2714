import { writeDatesOrExit } from '../shared/plausible-dates';
import { runSubgraph } from '../shared/server/run-subgraph';
import { createPaymentsSubgraph } from './app';

void runSubgraph(createPaymentsSubgraph({ writeDates: writeDatesOrExit('payments') }));
