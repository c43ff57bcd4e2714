import { ConfigError } from '../../platform/config';
import { runSubgraph } from '../../platform/server/run-subgraph';
import { auditSubgraphWith } from './app';
import { checkpointSettings } from './config';

let checkpoints;
try {
  checkpoints = checkpointSettings(process.env);
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  console.error(`[audit] ${error.message}`);
  process.exit(1);
}
void runSubgraph(auditSubgraphWith({ checkpoints }));
