import { writeDatesOrExit } from '../../platform/plausible-dates';
import { runSubgraph } from '../../platform/server/run-subgraph';
import { createPaymentsSubgraph } from './app';

void runSubgraph(createPaymentsSubgraph({ writeDates: writeDatesOrExit('payments') }));
