import 'reflect-metadata';
import type { GraphQLDataSource } from '@apollo/gateway';
import { apolloGatewayWithoutDataCollection } from '../../gateway/app';
import { ApolloServer, HeaderMap } from '@apollo/server';
import { execute, parse, type DocumentNode, type ExecutionResult, type GraphQLSchema } from 'graphql';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import path from 'node:path';
import { AGENCIES } from '../../gateway/features/authorization/agencies';
import { SUBGRAPHS } from '../../subgraphs';
import { AggregateDisclosure, DEFAULT_AGGREGATE_MIN_COUNT } from '../../platform/aggregates';
import { forwarded } from '../../protocol/claims';
import type { RequestContext } from '../../platform/context';
import { CursorCodec } from '../../platform/pagination';
import { developmentCursorSecret } from '../../platform/config';
import { openDatabase, type Database } from '../../platform/db/database';
import { buildFederatedSchema } from '../../platform/federation/build-subgraph-schema';
import { NO_GRAPH } from '../../platform/graph-client';
import type { SubgraphDefinition } from '../../platform/server/subgraph-definition';
import { todayFrom } from '../../platform/server/subgraph-app';

/**
 * The one-process baseline of the benchmark (federation overhead): the four registries' schemas and
 * resolvers in this one process, on the same embedded databases (DATA_DIR), and the same supergraph
 * query plans executed against them in memory. No HTTP hop and no serialization between the
 * gateway and the registries; only the client's request comes over HTTP. The registries' processes
 * must be stopped first (an embedded database has one owner).
 *
 * Each fetch of a query plan gets fresh services (and DataLoaders), as each subgraph request does
 * in the registries' processes, so the SQL per request is the same.
 */
const today = todayFrom(() => new Date());
const CLAIMS = forwarded({ agency: 'administrator', subject: 'bench', scopes: AGENCIES.administrator.scopes });
const AGGREGATES = new AggregateDisclosure(CLAIMS, DEFAULT_AGGREGATE_MIN_COUNT);

class InProcessDataSource implements GraphQLDataSource {
  private readonly documents = new Map<string, DocumentNode>();

  constructor(
    private readonly definition: SubgraphDefinition<unknown>,
    private readonly schema: GraphQLSchema,
    private readonly db: Database,
  ) {
    // The registries' own cursor secrets (CURSOR_KEY, else their development ones under DATA_DIR), so that
    // cursors gathered from the registries' processes page here too.
    this.cursors = new CursorCodec(process.env.CURSOR_KEY || developmentCursorSecret(path.resolve(process.env.DATA_DIR!), definition.name), definition.name);
  }

  private readonly cursors: CursorCodec;

  async process({ request }: Parameters<GraphQLDataSource['process']>[0]) {
    const source = request.query!;
    let document = this.documents.get(source);
    if (!document) {
      document = parse(source);
      this.documents.set(source, document);
    }
    const info = { requestId: 'bench', today: today(), graph: NO_GRAPH, claims: CLAIMS, aggregates: AGGREGATES, cursors: this.cursors, answerNotKept: () => undefined };
    const contextValue: RequestContext<unknown> = { ...info, services: this.definition.createServices(this.db, info) };
    const result = (await execute({ schema: this.schema, document, variableValues: request.variables, contextValue })) as ExecutionResult;
    return result as Awaited<ReturnType<GraphQLDataSource['process']>>;
  }
}

async function main(): Promise<void> {
  const dataDir = path.resolve(process.env.DATA_DIR!);
  const sources = new Map<string, InProcessDataSource>();
  const databases: Database[] = [];
  for (const definition of SUBGRAPHS) {
    const db = await openDatabase({ dataDir: path.join(dataDir, definition.name) });
    databases.push(db);
    sources.set(definition.name, new InProcessDataSource(definition, await buildFederatedSchema(definition), db));
  }
  const gateway = apolloGatewayWithoutDataCollection({
    supergraphSdl: readFileSync(process.env.SUPERGRAPH_PATH!, 'utf8'),
    buildService: ({ name }) => sources.get(name)!,
  });
  const apollo = new ApolloServer({ gateway });
  await apollo.start();

  const server = createServer((req, res) => {
    if (req.url === '/bench/stats') {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ total: databases.reduce((sum, db) => sum + db.stats.total, 0) }));
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const headers = new HeaderMap();
      for (const [name, value] of Object.entries(req.headers)) if (typeof value === 'string') headers.set(name, value);
      const raw = Buffer.concat(chunks).toString('utf8');
      apollo
        .executeHTTPGraphQLRequest({
          httpGraphQLRequest: { method: req.method ?? 'POST', headers, search: '', body: raw ? JSON.parse(raw) : undefined },
          context: async () => ({}),
        })
        .then((response) => {
          for (const [name, value] of response.headers) res.setHeader(name, value);
          res.statusCode = response.status ?? 200;
          res.end(response.body.kind === 'complete' ? response.body.string : '');
        })
        .catch(() => {
          res.statusCode = 500;
          res.end();
        });
    });
  });
  server.listen(Number(process.env.PORT), '127.0.0.1', () => console.log(`one-process graph ready at http://127.0.0.1:${process.env.PORT}/`));
  const stop = async () => {
    server.close();
    await apollo.stop();
    await Promise.all(databases.map((db) => db.close()));
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop());
  process.once('SIGINT', () => void stop());
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
