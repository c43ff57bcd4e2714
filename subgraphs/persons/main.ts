import { writeDatesOrExit } from '../../platform/plausible-dates';
import { runSubgraph } from '../../platform/server/run-subgraph';
import { createPersonsSubgraph } from './app';

void runSubgraph(createPersonsSubgraph({ writeDates: writeDatesOrExit('persons') }));
