import { writeDatesOrExit } from '../shared/plausible-dates';
import { runSubgraph } from '../shared/server/run-subgraph';
import { createPersonsSubgraph } from './app';

void runSubgraph(createPersonsSubgraph({ writeDates: writeDatesOrExit('persons') }));
