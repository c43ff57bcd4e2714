import type { Server } from 'node:http';
import { constants, PerformanceObserver } from 'node:perf_hooks';
import { z } from 'zod';
import { decodeClaims } from '../../protocol/claims';
import { STATE_PATH } from '../../protocol/registry-state';
import type { ListeningSubgraph } from '../../platform/server/run-subgraph';
import { createSubgraphApp } from '../../platform/server/subgraph-app';
import type { GcTime } from '../report';

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

/** Adds up the process's time collecting garbage as V8 reports it (perf_hooks' `gc` entries, delivered after the collection). */
function observeGc(): GcTime {
  const time: GcTime = { allMs: 0, majorMs: 0 };
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      time.allMs += entry.duration;
      if ((entry as { detail?: { kind?: number } }).detail?.kind === constants.NODE_PERFORMANCE_GC_MAJOR) time.majorMs += entry.duration;
    }
  }).observe({ entryTypes: ['gc'] });
  return time;
}

/**
 * The registry's unsigned twin, for gateways that cannot sign (stock Apollo, Hive): the same schema,
 * database and resolvers on 127.0.0.1, without the signature check, its own routes (the audit intake
 * would be a second, unsigned writer of the chain) or background work. GET /bench/stats answers the
 * statements the database has run, the requests both apps have served and the time spent collecting
 * garbage. POST /bench/gc collects the process's garbage now (a full collection, where the process runs
 * with `--expose-gc`): the benchmark collects before each gateway's turn, so that no turn pays for
 * collecting what the work before it left.
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
  const gc = observeGc();
  twin.get('/bench/stats', async () => ({
    total: stats.total,
    byName: Object.fromEntries(stats.byName),
    graphqlRequests: counts.graphql,
    stateRequests: counts.state,
    gcMs: { ...gc },
  }));
  twin.post('/bench/gc', async (_request, reply) => {
    if (typeof global.gc !== 'function') return reply.code(501).send({ error: 'started without --expose-gc: nothing to collect with' });
    const started = performance.now();
    global.gc();
    return { ms: performance.now() - started };
  });
  countRequests(app.server, counts);
  countRequests(twin.server, counts);
  const address = await twin.listen({ port: env.DMX_BENCH_PORT, host: '127.0.0.1' });
  app.log.warn(`${definition.name}: benchmark port ${address}/graphql accepts unsigned requests (DMX_BENCH_PORT)`);
  return twin;
}
