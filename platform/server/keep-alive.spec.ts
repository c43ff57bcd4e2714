import 'reflect-metadata';
import type { FastifyInstance } from 'fastify';
import { Agent, request } from 'node:http';
import { personsSubgraph } from '../../subgraphs/persons/app';
import { openDatabase } from '../db/database';
import { migrate } from '../db/migrate';
import { createSubgraphApp, KEEP_ALIVE_TIMEOUT_MS } from './subgraph-app';

/**
 * A registry keeps an idle connection open longer than callers keep one unused, so that a caller
 * does not send on a connection the registry is closing: stock @apollo/gateway (make-fetch-happen,
 * kept-alive sockets, no retry) failed the benchmark's page with "socket hang up" when the registries
 * closed their idle connections after Node's 5 s (and its extra second).
 */
describe("a registry's kept-alive connections", () => {
  let app: FastifyInstance;
  let url: URL;
  beforeAll(async () => {
    const db = await openDatabase({});
    await migrate(db, personsSubgraph.migrations);
    app = await createSubgraphApp(personsSubgraph, { db, logLevel: 'silent', signingKey: null });
    url = new URL(await app.listen({ port: 0, host: '127.0.0.1' }));
  });
  afterAll(() => app.close());

  /** GET /health on the agent's connection; whether it went on a connection used before. */
  const health = (agent: Agent) =>
    new Promise<boolean>((resolve, reject) => {
      const sent = request({ host: url.hostname, port: url.port, path: '/health', agent }, (response) => {
        response.resume();
        response.on('end', () => resolve(sent.reusedSocket));
      });
      sent.on('error', reject);
      sent.end();
    });

  it("are kept as long as Fastify's own servers keep them", () => {
    expect(app.server.keepAliveTimeout).toBe(KEEP_ALIVE_TIMEOUT_MS);
  });

  it("stay open past Node's default: a request after 7 s idle goes on the same connection", async () => {
    const agent = new Agent({ keepAlive: true });
    try {
      expect(await health(agent)).toBe(false);
      await new Promise((resolve) => setTimeout(resolve, 7000));
      expect(await health(agent)).toBe(true);
    } finally {
      agent.destroy();
    }
  }, 20_000);
});
