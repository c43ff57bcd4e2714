import 'reflect-metadata';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { DEFAULT_GRAPHQL_JIT } from '../platform/config';
import { openDatabase, type Database } from '../platform/db/database';
import type { GraphClient } from '../platform/graph-client';
import { createSubgraphApp } from '../platform/server/subgraph-app';
import type { SubgraphDefinition } from '../platform/server/subgraph-definition';
import { AGENCIES } from '../gateway/features/authorization/agencies';
import { forwarded } from '../protocol/claims';
import { applicationsSubgraph } from '../subgraphs/applications/app';
import { permitsSubgraph } from '../subgraphs/permits/app';
import { personsSubgraph } from '../subgraphs/persons/app';

/**
 * What the permits registry spends on the pages of workload 2 (issue 24), alone and in process: the
 * two fetches a gateway's plan sends it for a page of fifty full pictures (the persons' stay periods,
 * legal status and permits; the applications' permits), with the representations the persons and
 * applications registries give for that page. Per page: the permits registry's CPU (this process,
 * only while it serves them, the in-process client's own work included), its SQL statements and its
 * calls to other registries; one page at a time and several at once, after a warm-up on other pages.
 * GRAPHQL_JIT, as the registries read it (the default when unset), sets mercurius's JIT; `bench/page-jit.ts`
 * compares the four registries with it and without, side by side.
 *
 *   npx ts-node --transpile-only bench/permits-page.ts --data data/bench-2000 --pages 30 --concurrency 4 [--rounds 4] [--profile out.cpuprofile]
 *
 * With --rounds, each measured page is served that many times: the registry keeps nothing between
 * requests (its loaders are per request), so a page served again costs what it cost the first time
 * but for the database's buffer cache.
 * The data folder (seeded, as page-cost.ts leaves it) is copied first and never written.
 */
interface Options {
  data: string;
  pages: number;
  warmup: number;
  concurrency: number;
  /** Times each measured page is served (the registry keeps nothing between requests, so each is served afresh). */
  rounds: number;
  profile?: string;
}

function parseOptions(argv: string[]): Options {
  const options: Options = { data: 'data/bench-2000', pages: 30, warmup: 10, concurrency: 4, rounds: 1 };
  for (let i = 0; i < argv.length; i += 2) {
    const [flag, value] = [argv[i], argv[i + 1]];
    if (flag === '--data') options.data = value;
    else if (flag === '--pages') options.pages = Number(value);
    else if (flag === '--warmup') options.warmup = Number(value);
    else if (flag === '--concurrency') options.concurrency = Number(value);
    else if (flag === '--rounds') options.rounds = Number(value);
    else if (flag === '--profile') options.profile = path.resolve(value);
    else throw new Error(`unknown option ${flag}; known: --data --pages --warmup --concurrency --rounds --profile`);
  }
  return options;
}

/** The permits registry's two fetches of a page, as @apollo/gateway plans workload 2 (bench/workloads.ts). */
const PERSONS_FETCH = `query($representations: [_Any!]!) { _entities(representations: $representations) { ... on Person {
  stayPeriods { entryDate exitDate days open outcome unlawfulDays bases }
  legalStatus { outcome basis lawfulUntil overstayDays totalOverstayDays registration { required dueOn overdue } reasons { ruleId citation message { az en } } }
  permits { kind number validFrom validUntil status application { __typename id } } } } }`;
const APPLICATIONS_FETCH = `query($representations: [_Any!]!) { _entities(representations: $representations) { ... on Application { permit { number } } } }`;

const CLAIMS = forwarded({ agency: 'administrator', subject: 'bench-operator', scopes: [...AGENCIES.administrator.scopes] });

/** Calls to other registries, counted; the legal answers need none (the crossings come through `@requires`). */
function countingGraph(): GraphClient & { calls: number } {
  const graph = {
    calls: 0,
    async query<Data>(): Promise<Data> {
      graph.calls += 1;
      throw new Error('no other registry in this harness');
    },
  };
  return graph;
}

async function appOf<S>(definition: SubgraphDefinition<S>, db: Database, graph?: GraphClient, jit?: number): Promise<FastifyInstance> {
  const app = await createSubgraphApp(definition, { db, logLevel: 'silent', graph, backgroundWork: false, ownRoutes: false, signingKey: null, assumedCaller: CLAIMS, jit });
  await app.ready();
  return app;
}

async function post(app: FastifyInstance, query: string, variables: Record<string, unknown>): Promise<{ data?: any; errors?: unknown[]; text: string }> {
  const response = await app.inject({ method: 'POST', url: '/graphql', payload: { query, variables } });
  return { ...(response.json() as { data?: unknown; errors?: unknown[] }), text: response.body };
}

/** The answer's text alone: parsing it would be the caller's work, not the registry's. */
async function postText(app: FastifyInstance, query: string, variables: Record<string, unknown>): Promise<string> {
  return (await app.inject({ method: 'POST', url: '/graphql', payload: { query, variables } })).body;
}

function cpuMicros(): number {
  const { user, system } = process.cpuUsage();
  return user + system;
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const copy = mkdtempSync(path.join(os.tmpdir(), 'dmx-permits-page-'));
  try {
    await measure(options, copy);
  } finally {
    rmSync(copy, { recursive: true, force: true });
  }
}

async function measure(options: Options, copy: string): Promise<void> {
  for (const name of ['persons', 'applications', 'permits']) cpSync(path.join(options.data, name), path.join(copy, name), { recursive: true });
  const dbs = {
    persons: await openDatabase({ dataDir: path.join(copy, 'persons') }),
    applications: await openDatabase({ dataDir: path.join(copy, 'applications') }),
    permits: await openDatabase({ dataDir: path.join(copy, 'permits') }),
  };
  const graph = countingGraph();
  const persons = await appOf(personsSubgraph, dbs.persons);
  const applications = await appOf(applicationsSubgraph, dbs.applications);
  const permits = await appOf(permitsSubgraph, dbs.permits, graph, process.env.GRAPHQL_JIT ? Number(process.env.GRAPHQL_JIT) : DEFAULT_GRAPHQL_JIT);

  // The representations of each page, as the persons and applications registries answer them.
  const needed = options.warmup + options.pages;
  const pages: { persons: unknown[]; applications: unknown[] }[] = [];
  let after: string | null = null;
  while (pages.length < needed) {
    const answer = await post(persons, 'query($after: String) { persons(first: 50, after: $after) { pageInfo { endCursor hasNextPage } nodes { id citizenship borderCrossings { direction date } } } }', { after });
    const page = answer.data.persons;
    const people = page.nodes.map((node: Record<string, unknown>) => ({ __typename: 'Person', ...node }));
    const owned = await post(applications, 'query($representations: [_Any!]!) { _entities(representations: $representations) { ... on Person { applications { id } } } }', {
      representations: people.map(({ id }: { id: string }) => ({ __typename: 'Person', id })),
    });
    const applicationIds = owned.data._entities.flatMap((person: { applications: { id: string }[] }) => person.applications.map(({ id }) => ({ __typename: 'Application', id })));
    pages.push({ persons: people, applications: applicationIds });
    if (!page.pageInfo.hasNextPage) break;
    after = page.pageInfo.endCursor;
  }
  if (pages.length < needed) throw new Error(`${pages.length} pages in the population, ${needed} needed`);
  await persons.close();
  await applications.close();

  let answerBytes = 0;
  const servePage = async (page: (typeof pages)[number]) => {
    const answers = await Promise.all([postText(permits, PERSONS_FETCH, { representations: page.persons }), postText(permits, APPLICATIONS_FETCH, { representations: page.applications })]);
    for (const text of answers) {
      if (!text.startsWith('{"data":{"_entities":[') || text.includes('"errors":[')) throw new Error(`permits answered ${text.slice(0, 400)}`);
      answerBytes += Buffer.byteLength(text);
    }
  };
  for (const page of pages.slice(0, options.warmup)) await servePage(page);

  const session = new Session();
  if (options.profile) {
    session.connect();
    await new Promise<void>((resolve, reject) => session.post('Profiler.enable', () => session.post('Profiler.start', (error) => (error ? reject(error) : resolve()))));
  }
  const measured = pages.slice(options.warmup);
  const half = Math.ceil(measured.length / 2);
  const modes = [
    { name: 'one at a time', concurrency: 1, pages: Array.from({ length: options.rounds }, () => measured.slice(0, half)).flat() },
    { name: `${options.concurrency} at once`, concurrency: options.concurrency, pages: Array.from({ length: options.rounds }, () => measured.slice(half)).flat() },
  ];
  for (const mode of modes) {
    const statementsBefore = dbs.permits.stats.total;
    const byNameBefore = new Map(dbs.permits.stats.byName);
    const callsBefore = graph.calls;
    answerBytes = 0;
    const cpuBefore = cpuMicros();
    const started = performance.now();
    let next = 0;
    // One at a time, each page's own CPU too: its median is less moved by other work on the machine.
    const perPage: number[] = [];
    await Promise.all(
      Array.from({ length: mode.concurrency }, async () => {
        while (next < mode.pages.length) {
          const before = cpuMicros();
          await servePage(mode.pages[next++]);
          if (mode.concurrency === 1) perPage.push((cpuMicros() - before) / 1000);
        }
      }),
    );
    perPage.sort((a, b) => a - b);
    const wall = performance.now() - started;
    const cpu = (cpuMicros() - cpuBefore) / 1000;
    const n = mode.pages.length;
    const people = mode.pages.reduce((sum, page) => sum + page.persons.length, 0);
    const statements = [...dbs.permits.stats.byName].map(([name, count]) => [name, count - (byNameBefore.get(name) ?? 0)] as const).filter(([, count]) => count > 0);
    console.log(
      `${mode.name}, ${n} pages: permits CPU ${(cpu / n).toFixed(2)} ms/page${perPage.length ? ` (median ${perPage[perPage.length >> 1].toFixed(2)})` : ''}, ${((cpu / people) * 1000).toFixed(0)} µs/person, ` +
        `wall ${(wall / n).toFixed(2)} ms/page, SQL ${((dbs.permits.stats.total - statementsBefore) / n).toFixed(2)}/page ` +
        `(${statements.map(([name, count]) => `${name} ${(count / n).toFixed(2)}`).join(', ')}), calls to other registries ${((graph.calls - callsBefore) / n).toFixed(2)}/page, ` +
        `answer ${(answerBytes / n / 1024).toFixed(1)} KiB/page`,
    );
  }
  if (options.profile) {
    const profile = await new Promise<unknown>((resolve, reject) => session.post('Profiler.stop', (error, result) => (error ? reject(error) : resolve(result.profile))));
    writeFileSync(options.profile, JSON.stringify(profile));
    session.disconnect();
    console.log(`profile of the measured pages: ${options.profile}`);
  }
  await permits.close();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
