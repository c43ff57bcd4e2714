import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { readFileSync } from 'node:fs';

/**
 * Gateway (b) of the benchmark: stock @apollo/gateway + @apollo/server with their default options,
 * on the supergraph named by SUPERGRAPH_PATH (the benchmark's copy, pointing at the subgraphs'
 * unsigned benchmark ports). Nothing of ours: no signing, no limits, no authentication.
 */
async function main(): Promise<void> {
  const server = new ApolloServer({ gateway: new ApolloGateway({ supergraphSdl: readFileSync(process.env.SUPERGRAPH_PATH!, 'utf8') }) });
  const { url } = await startStandaloneServer(server, { listen: { port: Number(process.env.PORT), host: '127.0.0.1' } });
  console.log(`stock gateway ready at ${url}`);
  const stop = () => void server.stop().then(() => process.exit(0));
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
