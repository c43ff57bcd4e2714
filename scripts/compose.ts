import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { composeSupergraph, schemaFiles } from './compose-supergraph';

/** `npm run compose`: regenerates schema/*.graphql from the subgraphs' code. */
async function main(): Promise<void> {
  const graph = await composeSupergraph();
  const root = path.resolve(__dirname, '..');
  for (const [file, content] of Object.entries(schemaFiles(graph))) {
    writeFileSync(path.join(root, file), content);
    console.log(`wrote ${file}`);
  }
  for (const hint of graph.hints) console.log(`hint: ${hint}`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
