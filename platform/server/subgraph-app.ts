import Fastify, { LogController, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { GraphQLError, Kind, valueFromASTUntyped, type DocumentNode, type GraphQLSchema, type OperationDefinitionNode } from 'graphql';
import mercurius from 'mercurius';
import { randomUUID, type KeyObject } from 'node:crypto';
import { CLAIMS_HEADER, SUBGRAPH_REQUEST_ID } from '../../protocol/headers';
import { dateInBaku, type RequestContext } from '../context';
import { decodeClaims, type ForwardedClaims } from '../../protocol/claims';
import { createServer } from 'node:http';
import { instrumentDatabase } from '../telemetry/database-telemetry';
import { annotateRequest, tracedListener } from '../telemetry/http-server';
import { traceIds } from '../telemetry/spans';
import { telemetry } from '../telemetry/telemetry';
import type { Database } from '../db/database';
import { AggregateDisclosure, DEFAULT_AGGREGATE_MIN_COUNT } from '../aggregates';
import { maskError } from '../errors';
import { CursorCodec, ephemeralCursorCodec } from '../pagination';
import { buildFederatedSchema } from '../federation/build-subgraph-schema';
import { NO_GRAPH, type GraphClient } from '../graph-client';
import { registryState, STATE_HEADER, STATE_PATH } from '../../protocol/registry-state';
import { checkSignatureHeader, SIGNATURE_HEADER, verifyRequest, type SignatureCheck } from '../../protocol/request-signing';
import { replayGuardFor, type ReplayGuard } from './replay-guard';
import type { SubgraphDefinition, SubgraphSecrets } from './subgraph-definition';

export interface SubgraphAppOptions {
  db: Database;
  /** Development mode shows internal error details; never in production. */
  exposeErrors?: boolean;
  /** Source of "now"; tests fix it so that derived answers do not drift with the calendar. */
  clock?: () => Date;
  logLevel?: string;
  /** Where log lines go (tests read them); standard output when absent. */
  logStream?: { write(line: string): void };
  /** A schema built earlier (tests build it once per file). */
  schema?: GraphQLSchema;
  /** The federated graph, for reads of other registries; absent means none is reachable. */
  graph?: GraphClient;
  /** Start the subgraph's background work (outbox delivery) when it has a graph; on by default. */
  backgroundWork?: boolean;
  /** The pause between rounds of background work; each kind's default when absent (tests make it short). */
  backgroundIntervalMs?: number;
  /**
   * Serve the subgraph's own routes besides /graphql (the audit intake); on by default. The
   * benchmark's unsigned twin leaves them out: unsigned, and a second writer of the audit chain.
   */
  ownRoutes?: boolean;
  /**
   * The gateway's public key: requests it did not sign for this subgraph, or signed for another
   * request, or sent before, are refused. null turns the check off: only for tests that drive one
   * subgraph in process, and the benchmark's unsigned twin.
   */
  signingKey: KeyObject | null;
  /** Secrets besides the signing key (the audit subgraph's chain key). */
  secrets?: SubgraphSecrets;
  /** mercurius's graphql-jit: compile an operation after this many runs; 0 or absent: never. */
  jit?: number;
  /**
   * With signingKey null, the caller a request that forwards no claims is taken to come from: tests
   * that drive one subgraph in process, and the benchmark's unsigned twin (gateways that cannot sign
   * cannot forward claims either).
   */
  assumedCaller?: ForwardedClaims | null;
  /**
   * What keeps individuals out of answers to callers who may only count (AGGREGATE_MIN_COUNT) and
   * the secret cursors are sealed with (CURSOR_KEY). Absent (tests): the default threshold and a
   * random secret for the life of the app.
   */
  privacy?: SubgraphPrivacy;
}

/** A registry's settings for aggregates and cursors (platform/aggregates.ts, pagination.ts). */
export interface SubgraphPrivacy {
  aggregateMinCount: number;
  cursorSecret: string;
}

/** Today's date in Baku from a clock (the requests' default evaluation date). */
export function todayFrom(clock: () => Date): () => string {
  return () => dateInBaku(clock());
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** Why a request's signature was refused, found while its body was read (before the body was parsed). */
const refusedWhileReading = new WeakMap<object, string>();

/** A valid signature found while the body was read; its nonce is taken in preValidation. */
const checkedWhileReading = new WeakMap<object, Extract<SignatureCheck, { valid: true }>>();

/** A check of a request's signature against its body as sent, or without one (verifyRequest's). */
type SignatureCheckOf = (request: FastifyRequest, body: string | undefined) => SignatureCheck;

/**
 * JSON bodies read as text first. With `checkSignature` the signature is checked on the body as sent,
 * byte for byte, before it is parsed: a forged request costs a hash and a signature check, never the
 * parsing of up to the route's body limit (16 MiB at the audit intake).
 */
function parseJsonBodies(app: FastifyInstance, checkSignature?: SignatureCheckOf): void {
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    if (checkSignature && !OPEN_ROUTES.has(request.routeOptions.url ?? '')) {
      const check = checkSignature(request, body as string);
      if (!check.valid) {
        // Refused in preValidation with the same answer as any other forged request.
        refusedWhileReading.set(request, check.reason);
        done(null, undefined);
        return;
      }
      checkedWhileReading.set(request, check);
    }
    try {
      done(null, JSON.parse(body as string));
    } catch {
      done(Object.assign(new Error('The body is not valid JSON'), { statusCode: 400 }), undefined);
    }
  });
}

/** Whether a request comes with a body (RFC 9112, 6.3), before it is read. */
function hasBody(request: FastifyRequest): boolean {
  const length = request.headers['content-length'];
  return request.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

/** The media type the gateway signs its bodies with; parameters (a charset) are the signature's business. */
function isJson(contentType: string | undefined): boolean {
  return contentType?.split(';')[0].trim().toLowerCase() === 'application/json';
}

/** How long an idle kept-alive connection stays open: Fastify's default, longer than callers' agents keep one. */
export const KEEP_ALIVE_TIMEOUT_MS = 72_000;

/** Routes anyone may call: health checks. */
const OPEN_ROUTES = new Set(['/health', '/ready']);

/** Fields of a log line that could carry personal data: a statement's parameters, a request's variables. */
const LOG_REDACTIONS = ['err.params', 'params', 'variables', '*.variables', 'req.headers.authorization'];

/** The routes a registry serves, as its request metrics name them (any other path is `other`). */
const KNOWN_ROUTES = ['/graphql', STATE_PATH, '/health', '/ready', '/audit/records'];

/**
 * Subgraph trust (request-signing.ts): every route but the open ones answers only a request the gateway
 * signed for this subgraph, as received (method, path and query, content type, traceparent, claims, body), within
 * the window, and once: `seen` remembers the nonces of every process of the registry on a server
 * (replay-guard.ts).
 */
function acceptOnlyTheGateway(app: FastifyInstance, audience: string, key: KeyObject, seen: ReplayGuard): SignatureCheckOf {
  app.addHook('onClose', async () => seen.close());
  const refusal = (request: FastifyRequest, reply: FastifyReply) => (reason: string) => {
    request.log.warn({ reason, ip: request.ip }, 'refused a request not signed by the gateway');
    return reply.code(401).send({ errors: [{ message: `Refused: ${reason}.`, extensions: { code: 'UNAUTHENTICATED' } }] });
  };
  const check: SignatureCheckOf = (request, body) =>
    verifyRequest(key, headerValue(request.headers[SIGNATURE_HEADER]), {
      audience,
      method: request.method,
      path: request.url,
      contentType: headerValue(request.headers['content-type']),
      claims: headerValue(request.headers[CLAIMS_HEADER]),
      body,
      traceparent: headerValue(request.headers.traceparent),
    });
  // Refused before the body is read, so that nobody else makes a registry read megabytes: no signature,
  // one malformed or out of its window, and a body of any type but JSON, which could not be checked.
  app.addHook('onRequest', async (request, reply) => {
    if (OPEN_ROUTES.has(request.routeOptions.url ?? '')) return;
    const header = checkSignatureHeader(headerValue(request.headers[SIGNATURE_HEADER]));
    if (!header.valid) return refusal(request, reply)(header.reason);
    if (hasBody(request) && !isJson(request.headers['content-type'])) return refusal(request, reply)('a body the gateway never sends');
  });
  // Before the body is validated against the route's schema: a forged body is never looked into.
  app.addHook('preValidation', async (request, reply) => {
    if (OPEN_ROUTES.has(request.routeOptions.url ?? '')) return;
    const refuse = refusal(request, reply);
    const refused = refusedWhileReading.get(request);
    if (refused !== undefined) return refuse(refused);
    let accepted = checkedWhileReading.get(request);
    if (!accepted) {
      // Only a JSON body is checked byte for byte; any other (an empty text/plain one) is refused, whatever the signature.
      if (request.body !== undefined && request.body !== null) return refuse('a body the gateway never sends');
      const bodiless = check(request, undefined);
      if (!bodiless.valid) return refuse(bodiless.reason);
      accepted = bodiless;
    }
    if (!(await seen.firstUse(accepted.time, accepted.nonce))) return refuse('replayed signature');
  });
  return check;
}

/**
 * The GraphQL operation's type on the request's span and metric, its name on the span alone (never the
 * document's values): the gateway names a registry's operations after its callers' (`Picture__persons__0`),
 * and a name a caller chose must not make a series of its own.
 */
function nameOperations(app: FastifyInstance): void {
  app.graphql.addHook('preExecution', async (_schema, document, context) => {
    const operation = document.definitions.find((definition) => definition.kind === Kind.OPERATION_DEFINITION);
    if (!operation) return;
    annotateRequest(context.reply.request.raw, { 'graphql.operation.type': operation.operation }, operation.name ? { 'graphql.operation.name': operation.name.value } : undefined);
  });
}

/**
 * graphql-jit refuses a non-null variable with a default that the request leaves out ("was not
 * provided"), where graphql-js takes the default; the gateway's fetches keep a client's defaults
 * (`$expiringWithinDays: Int! = 30`). With JIT on, the defaults of a one-operation document are put in
 * the variables before it runs (a variable sent, even as null, is left as sent).
 */
function fillVariableDefaults(app: FastifyInstance): void {
  // Per parsed document (mercurius keeps it in its cache): the variables that have a default, and their values.
  const defaultsOf = new WeakMap<DocumentNode, [name: string, value: unknown][]>();
  const defaultsIn = (document: DocumentNode): [string, unknown][] => {
    const operations = document.definitions.filter((definition): definition is OperationDefinitionNode => definition.kind === Kind.OPERATION_DEFINITION);
    const definitions = operations.length === 1 ? (operations[0].variableDefinitions ?? []) : [];
    return definitions.flatMap((definition) => (definition.defaultValue ? [[definition.variable.name.value, valueFromASTUntyped(definition.defaultValue)]] : []));
  };
  app.graphql.addHook('preExecution', async (_schema, document, _context, variables) => {
    let defaults = defaultsOf.get(document);
    if (!defaults) defaultsOf.set(document, (defaults = defaultsIn(document)));
    let filled: Record<string, unknown> | undefined;
    for (const [name, value] of defaults) {
      if (variables && Object.hasOwn(variables, name)) continue;
      filled ??= { ...variables };
      filled[name] = value;
    }
    return filled ? { variables: filled } : undefined;
  });
}

/**
 * Ready when the database answers and holds every migration this code knows: a registry whose
 * database is down or behind its code says so, and a load balancer sends it nothing meanwhile.
 */
async function registryReadiness(db: Database, definition: SubgraphDefinition<unknown>): Promise<{ ready: boolean; checks: Record<string, string> }> {
  const expected = Math.max(0, ...definition.migrations.map((migration) => migration.version));
  try {
    const [row] = await db.query<{ version: number | null }>('ready.migrations', 'select max(version)::int as version from schema_migrations');
    const version = row?.version ?? 0;
    if (version < expected) return { ready: false, checks: { database: 'up', migrations: `at ${version} of ${expected}` } };
    return { ready: true, checks: { database: 'up', migrations: `at ${version}` } };
  } catch (error) {
    return { ready: false, checks: { database: `down (${(error as { code?: string }).code ?? 'unreachable'})` } };
  }
}

/**
 * A write comes from one officer, whose name it is recorded under: the gateway joins only reads
 * across requests (gateway/subgraph-fetch/fetch-batching.ts), so claims naming several officers on a mutation are
 * refused, whoever signed them.
 */
function refuseJoinedWrites(app: FastifyInstance): void {
  app.graphql.addHook('preExecution', async (_schema, document, context) => {
    const { claims } = context as unknown as RequestContext;
    if (!claims || claims.subjects.length === 1) return;
    const writes = document.definitions.some((definition) => definition.kind === Kind.OPERATION_DEFINITION && definition.operation !== 'query');
    if (writes) throw new GraphQLError('Unauthenticated: a write must come from one officer, not from several.', { extensions: { code: 'UNAUTHENTICATED' } });
  });
}

/**
 * The registry's state for conditional reads (protocol/registry-state.ts): on a read that asks for it, read
 * before the read is executed (preHandler); and on GET /state. A state that cannot be read is not
 * given: the read is answered all the same, and the gateway keeps nothing of it.
 */
function answerState(app: FastifyInstance, state: () => Promise<string>): void {
  app.addHook('preHandler', async (request, reply) => {
    if (request.routeOptions.url !== '/graphql' || request.headers[STATE_HEADER] === undefined) return;
    try {
      reply.header(STATE_HEADER, await state());
    } catch (error) {
      request.log.error({ err: error }, 'could not read the registry state');
    }
  });
  app.get(STATE_PATH, async () => ({ state: await state() }));
}

/** Builds a subgraph's HTTP app; it does not listen (main.ts does, tests inject). */
export async function createSubgraphApp<Services>(
  definition: SubgraphDefinition<Services>,
  options: SubgraphAppOptions,
): Promise<FastifyInstance> {
  const schema = options.schema ?? (await buildFederatedSchema(definition));
  const today = todayFrom(options.clock ?? (() => new Date()));
  const aggregateMinCount = options.privacy?.aggregateMinCount ?? DEFAULT_AGGREGATE_MIN_COUNT;
  const cursors = options.privacy ? new CursorCodec(options.privacy.cursorSecret, definition.name) : ephemeralCursorCodec(definition.name);
  // Statements traced and timed (platform/telemetry), the same database for everything below.
  const db = instrumentDatabase(options.db, telemetry(), definition.name);
  const app = Fastify({
    // Each request a server span, continuing the gateway's trace (traceparent), and a duration observed.
    serverFactory: (handler) => {
      const server = createServer(tracedListener(handler, { routes: KNOWN_ROUTES }));
      // Fastify sets its keep-alive timeout only on a server it makes itself. With Node's default the
      // registry closes an idle connection as a caller that keeps its connections longer sends on
      // it, and that request fails with "socket hang up".
      server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
      return server;
    },
    // JSON lines (pino) with the request id and, inside a trace, its trace and span ids.
    // A database error carries its statement's parameters (db/database.ts), which can name a person: never logged.
    logger: {
      level: options.logLevel ?? 'info',
      base: { subgraph: definition.name },
      mixin: () => traceIds(),
      redact: { paths: LOG_REDACTIONS, censor: '[redacted]' },
      ...(options.logStream ? { stream: options.logStream } : {}),
    },
    genReqId: (request) => {
      const header = request.headers['x-request-id'];
      return typeof header === 'string' && SUBGRAPH_REQUEST_ID.test(header) ? header : randomUUID();
    },
    requestIdHeader: false,
    // One line per request from five processes drowns the useful lines; errors are still logged.
    logController: new LogController({ disableRequestLogging: true }),
  });

  // One debug line per request (the route, never the URL: a GET's query string is the operation's text).
  app.addHook('onResponse', async (request, reply) => {
    request.log.debug({ route: request.routeOptions.url ?? 'other', statusCode: reply.statusCode, ms: Math.round(reply.elapsedTime) }, 'request answered');
  });
  const signatureCheck = options.signingKey !== null ? acceptOnlyTheGateway(app, definition.name, options.signingKey, await replayGuardFor(db)) : undefined;
  parseJsonBodies(app, signatureCheck);
  answerState(app, async () => registryState(definition.name, await db.dataVersion(), today()));

  await app.register(mercurius, {
    schema,
    path: '/graphql',
    graphiql: false,
    ...(options.jit ? { jit: options.jit } : {}),
    context: (request, reply): RequestContext<Services> => {
      // Trusted because the gateway's signature covers them (checked before this runs).
      const claims = decodeClaims(headerValue(request.headers[CLAIMS_HEADER])) ?? (options.signingKey === null ? (options.assumedCaller ?? null) : null);
      const aggregates = new AggregateDisclosure(claims, aggregateMinCount);
      const answerNotKept = () => void reply.header('cache-control', 'no-store');
      const requestInfo = { requestId: String(request.id), today: today(), graph: options.graph ?? NO_GRAPH, claims, aggregates, cursors, answerNotKept };
      return {
        requestId: requestInfo.requestId,
        today: requestInfo.today,
        claims,
        aggregates,
        services: definition.createServices(db, requestInfo),
      };
    },
    // GraphQL errors are answered with 200 and a code: the gateway turns any non-2xx answer into an
    // opaque failure, and clients need the code, not the status.
    errorFormatter: (execution, context) => {
      const log = context.reply?.log ?? app.log;
      const errors = execution.errors
        .flatMap((error) => {
          const nested = (error.originalError as { errors?: GraphQLError[] } | undefined)?.errors;
          return Array.isArray(nested) ? nested : [error];
        })
        .map((error) => {
          const masked = maskError(error as GraphQLError, options.exposeErrors ?? false);
          if (masked.extensions.code === 'INTERNAL_SERVER_ERROR') log.error({ err: error }, 'resolver failed');
          return masked.toJSON();
        });
      return { statusCode: 200, response: { data: execution.data ?? null, errors } };
    },
  });

  refuseJoinedWrites(app);
  nameOperations(app);
  if (options.jit) fillVariableDefaults(app);

  app.get('/health', async () => ({ status: 'ok', subgraph: definition.name }));
  app.get('/ready', async (_request, reply) => {
    const readiness = await registryReadiness(db, definition);
    return reply.code(readiness.ready ? 200 : 503).send({ status: readiness.ready ? 'ready' : 'not ready', subgraph: definition.name, checks: readiness.checks });
  });
  if (options.ownRoutes !== false) definition.routes?.(app, { db, secrets: options.secrets ?? { auditKey: null } });

  let background: { stop(): Promise<void> } | undefined;
  if (definition.startBackgroundWork && options.graph && options.backgroundWork !== false) {
    const { graph } = options;
    app.addHook('onReady', async () => {
      background = definition.startBackgroundWork!({
        db,
        graph,
        today,
        ...(options.backgroundIntervalMs !== undefined ? { intervalMs: options.backgroundIntervalMs } : {}),
        log: (message, detail, level = 'warn') => app.log[level](detail ?? {}, message),
      });
    });
  }
  // One hook, so the order is certain: background work stops before the database closes.
  app.addHook('onClose', async () => {
    await background?.stop();
    await db.close();
  });
  return app;
}
