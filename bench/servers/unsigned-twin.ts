import type { Server } from 'node:http';
import { z } from 'zod';
import { decodeClaims } from '../../protocol/claims';
import { STATE_PATH } from '../../protocol/registry-state';
import type { ListeningSubgraph } from '../../platform/server/run-subgraph';
import { createSubgraphApp } from '../../platform/server/subgraph-app';

const emptyAsUndefined = (value: unknown) => (value === '' ? undefined : value);

/** What bench/servers/registry.ts reads besides the registry's own environment. */
export const twinEnvironment = z
  .object({
    NODE_ENV: z.string().optional(),
    /** The twin's port on 127.0.0.1. */
    DMX_BENCH_PORT: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(0).max(65535)),
    /** The caller the twin assumes, as the gateway's claims header encodes it (what (a) forwards for the administrator). */
    DMX_BENCH_CLAIMS: z.preprocess(
      emptyAsUndefined,
      z
        .string()
        .transform((value, context) => {
          const claims = decodeClaims(value);
          if (!claims) context.addIssue({ code: 'custom', message: "is not a claims header (base64url JSON of the gateway's claims)" });
          return claims ?? z.NEVER;
        })
        .optional(),
    ),
  })
  // An unsigned port answers anyone on the machine as the administrator.
  .refine((env) => env.NODE_ENV !== 'production', { message: 'is for the benchmark only and is refused in production', path: ['DMX_BENCH_PORT'] });

export type TwinEnvironment = z.infer<typeof twinEnvironment>;

/** GraphQL requests and state probes (GET /state) served, by the registry's app and its twin together. */
interface RequestCounts {
  graphql: number;
  state: number;
}

/** Counted on the HTTP server, which takes listeners after the app listens (Fastify takes no hooks then). */
function countRequests(server: Server, counts: RequestCounts): void {
  server.on('request', (request) => {
    const path = (request.url ?? '/').split('?', 1)[0];
    if (path === '/graphql') counts.graphql += 1;
    else if (path === STATE_PATH) counts.state += 1;
  });
}

/**
 * The registry's unsigned twin, for gateways that cannot sign (stock Apollo, Hive): the same schema,
 * database and resolvers on 127.0.0.1, without the signature check, its own routes (the audit intake
 * would be a second, unsigned writer of the chain) or background work. GET /bench/stats answers the
 * statements the database has run and the requests both apps have served.
 */
export async function openUnsignedTwin<Services>({ definition, app, shared }: ListeningSubgraph<Services>, env: TwinEnvironment) {
  const counts: RequestCounts = { graphql: 0, state: 0 };
  const twin = await createSubgraphApp(definition, {
    ...shared,
    backgroundWork: false,
    ownRoutes: false,
    signingKey: null,
    assumedCaller: env.DMX_BENCH_CLAIMS ?? null,
  });
  const { stats } = shared.db;
  twin.get('/bench/stats', async () => ({
    total: stats.total,
    byName: Object.fromEntries(stats.byName),
    graphqlRequests: counts.graphql,
    stateRequests: counts.state,
  }));
  countRequests(app.server, counts);
  countRequests(twin.server, counts);
  const address = await twin.listen({ port: env.DMX_BENCH_PORT, host: '127.0.0.1' });
  app.log.warn(`${definition.name}: benchmark port ${address}/graphql accepts unsigned requests (DMX_BENCH_PORT)`);
  return twin;
}
