import 'reflect-metadata';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { GraphQLSchema } from 'graphql';
import { DEFAULT_AGGREGATE_MIN_COUNT } from '../platform/aggregates';
import { openDatabase } from '../platform/db/database';
import { buildFederatedSchema } from '../platform/federation/build-subgraph-schema';
import { createSubgraphApp } from '../platform/server/subgraph-app';
import { getMetadataStorage } from 'type-graphql';
import type { SubgraphDefinition } from '../platform/server/subgraph-definition';
import { AGENCIES } from '../gateway/features/authorization/agencies';
import { forwarded } from '../protocol/claims';
import { applicationsSubgraph } from '../subgraphs/applications/app';
import { paymentsSubgraph } from '../subgraphs/payments/app';
import { permitsSubgraph } from '../subgraphs/permits/app';
import { personsSubgraph } from '../subgraphs/persons/app';

/**
 * The four registries' part of a page (issue 24), in process, side by side: each registry once per
 * side (its own copy of the data), the six fetches a gateway's plan sends for a page of `--first`
 * full pictures (workload 2 at 50, about workload 1 at 1) served by every side, the sides taking
 * turns page by page, each fetch's CPU counted while it is served. A side is `off` (the registries as
 * built, mercurius's JIT off), `jit` (JIT on), `resolvers` (every plain field through type-graphql's
 * resolver, as before) or `resolvers+jit`. Every side's answer to each fetch must be the first side's
 * text, byte for byte.
 *
 *   npx ts-node --transpile-only bench/page-jit.ts --data data/bench-2000 [--first 50] [--pages 30] [--warmup 10] [--rounds 1] [--sides resolvers,resolvers+jit,off,jit]
 *
 * The data folder (seeded, as page-cost.ts leaves it) is copied first and never written.
 */
/**
 * One side of the comparison: mercurius's JIT (compile after this many runs; 0: never), and whether
 * every plain field goes through type-graphql's resolver (as before build-subgraph-schema.ts read them
 * as properties).
 */
interface Side {
  label: string;
  jit: number;
  resolvers: boolean;
}

interface Options {
  data: string;
  first: number;
  pages: number;
  warmup: number;
  rounds: number;
  /** The sides, the first the baseline: `off`, `jit`, `resolvers`, `resolvers+jit`. */
  sides: Side[];
}

function side(label: string): Side {
  const parts = label.split('+');
  for (const part of parts) if (!['off', 'jit', 'resolvers'].includes(part)) throw new Error(`unknown side ${label}: off, jit, resolvers, resolvers+jit`);
  return { label, jit: parts.includes('jit') ? 1 : 0, resolvers: parts.includes('resolvers') };
}

function parseOptions(argv: string[]): Options {
  const options: Options = { data: 'data/bench-2000', first: 50, pages: 30, warmup: 10, rounds: 1, sides: [side('off'), side('jit')] };
  for (let i = 0; i < argv.length; i += 2) {
    const [flag, value] = [argv[i], argv[i + 1]];
    if (flag === '--data') options.data = value;
    else if (flag === '--first') options.first = Number(value);
    else if (flag === '--pages') options.pages = Number(value);
    else if (flag === '--warmup') options.warmup = Number(value);
    else if (flag === '--rounds') options.rounds = Number(value);
    else if (flag === '--sides') options.sides = value.split(',').map(side);
    else throw new Error(`unknown option ${flag}; known: --data --first --pages --warmup --rounds --sides`);
  }
  return options;
}

/** One cursor secret for every side: a page's cursor is the same to each. */
const PRIVACY = { aggregateMinCount: DEFAULT_AGGREGATE_MIN_COUNT, cursorSecret: 'page-jit bench: one secret for every side of the comparison' };
const CLAIMS = forwarded({ agency: 'administrator', subject: 'bench-operator', scopes: [...AGENCIES.administrator.scopes] });

/** The page's fetches, as @apollo/gateway plans workload 2 (bench/workloads.ts). */
const PERSON_FIELDS = 'id givenName surname citizenship stateless travelDocuments { kind number issuingCountry expiresOn } borderCrossings { direction date }';
const FETCHES = {
  personsPage: `query BenchPersonsPage__persons__0($first: Int!, $after: String) { persons(first: $first, after: $after) { pageInfo { endCursor hasNextPage } nodes { __typename ${PERSON_FIELDS} } } }`,
  applicationsOfPersons: `query BenchPersonsPage__applications__1($representations: [_Any!]!) { _entities(representations: $representations) { ... on Person { applications { __typename id number type status dueOn } } } }`,
  permitOfApplications: `query BenchPersonsPage__permits__2($representations: [_Any!]!) { _entities(representations: $representations) { ... on Application { permit { number } } } }`,
  paymentsOfApplications: `query BenchPersonsPage__payments__3($representations: [_Any!]!) { _entities(representations: $representations) { ... on Application { payments { code status } } } }`,
  finesOfPersons: `query BenchPersonsPage__payments__4($representations: [_Any!]!) { _entities(representations: $representations) { ... on Person { outstandingFines { offence amount { amount currency } paymentCode outstanding } } } }`,
  picturesOfPersons: `query BenchPersonsPage__permits__5($representations: [_Any!]!) { _entities(representations: $representations) { ... on Person {
  stayPeriods { entryDate exitDate days open outcome unlawfulDays bases }
  legalStatus { outcome basis lawfulUntil overstayDays totalOverstayDays registration { required dueOn overdue } reasons { ruleId citation message { az en } } }
  permits { kind number validFrom validUntil status application { id } } } } }`,
};
type FetchName = keyof typeof FETCHES;
const REGISTRY_OF: Record<FetchName, RegistryName> = {
  personsPage: 'persons',
  applicationsOfPersons: 'applications',
  permitOfApplications: 'permits',
  paymentsOfApplications: 'payments',
  finesOfPersons: 'payments',
  picturesOfPersons: 'permits',
};
type RegistryName = 'persons' | 'applications' | 'payments' | 'permits';
const DEFINITIONS: Record<RegistryName, SubgraphDefinition<any>> = {
  persons: personsSubgraph,
  applications: applicationsSubgraph,
  payments: paymentsSubgraph,
  permits: permitsSubgraph,
};
const REGISTRIES = Object.keys(DEFINITIONS) as RegistryName[];

async function post(app: FastifyInstance, query: string, variables: Record<string, unknown>): Promise<string> {
  return (await app.inject({ method: 'POST', url: '/graphql', payload: { query, variables } })).body;
}

function cpuMicros(): number {
  const { user, system } = process.cpuUsage();
  return user + system;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1];

/**
 * The registries' schemas as built, and, when a side asks for it, built with type-graphql's resolver
 * on every plain field (every object type's `simpleResolvers` set false, which the build keeps).
 */
async function schemasFor(sides: Side[]): Promise<Record<'plain' | 'resolvers', Partial<Record<RegistryName, GraphQLSchema>>>> {
  const schemas: Record<'plain' | 'resolvers', Partial<Record<RegistryName, GraphQLSchema>>> = { plain: {}, resolvers: {} };
  if (sides.some(({ resolvers }) => resolvers)) {
    const objectTypes = getMetadataStorage().objectTypes;
    const before = objectTypes.map(({ simpleResolvers }) => simpleResolvers);
    for (const objectType of objectTypes) objectType.simpleResolvers = false;
    for (const name of REGISTRIES) schemas.resolvers[name] = await buildFederatedSchema(DEFINITIONS[name]);
    objectTypes.forEach((objectType, index) => (objectType.simpleResolvers = before[index]));
  }
  for (const name of REGISTRIES) schemas.plain[name] = await buildFederatedSchema(DEFINITIONS[name]);
  return schemas;
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const copy = mkdtempSync(path.join(os.tmpdir(), 'dmx-page-jit-'));
  try {
    await measure(options, copy);
  } finally {
    rmSync(copy, { recursive: true, force: true });
  }
}

async function measure(options: Options, copy: string): Promise<void> {
  const { sides } = options;
  const schemas = await schemasFor(sides);
  const apps: Record<RegistryName, FastifyInstance>[] = [];
  for (const [index, { jit, resolvers }] of sides.entries()) {
    const own = {} as Record<RegistryName, FastifyInstance>;
    for (const name of REGISTRIES) {
      const dataDir = path.join(copy, String(index), name);
      cpSync(path.join(options.data, name), dataDir, { recursive: true });
      const db = await openDatabase({ dataDir });
      const schema = schemas[resolvers ? 'resolvers' : 'plain'][name];
      own[name] = await createSubgraphApp(DEFINITIONS[name], { db, schema, logLevel: 'silent', backgroundWork: false, ownRoutes: false, signingKey: null, assumedCaller: CLAIMS, jit, privacy: PRIVACY });
      await own[name].ready();
    }
    apps.push(own);
  }

  // Each page's fetches with their variables, from the answers of the first side's registries.
  const needed = options.warmup + options.pages;
  const pages: { name: FetchName; variables: Record<string, unknown> }[][] = [];
  let after: string | null = null;
  const parsed = async (name: FetchName, variables: Record<string, unknown>): Promise<any> => JSON.parse(await post(apps[0][REGISTRY_OF[name]], FETCHES[name], variables));
  while (pages.length < needed) {
    const root: Record<string, unknown> = { first: options.first, after };
    const page: { pageInfo: { endCursor: string; hasNextPage: boolean }; nodes: Record<string, unknown>[] } = (await parsed('personsPage', root)).data.persons;
    const people = page.nodes.map(({ id }) => ({ __typename: 'Person', id }));
    const crossings = page.nodes.map(({ id, citizenship, borderCrossings }: Record<string, unknown>) => ({ __typename: 'Person', id, citizenship, borderCrossings }));
    const applications = (await parsed('applicationsOfPersons', { representations: people })).data._entities.flatMap((person: { applications: { id: string }[] }) =>
      person.applications.map(({ id }) => ({ __typename: 'Application', id })),
    );
    pages.push([
      { name: 'personsPage', variables: root },
      { name: 'applicationsOfPersons', variables: { representations: people } },
      { name: 'permitOfApplications', variables: { representations: applications } },
      { name: 'paymentsOfApplications', variables: { representations: applications } },
      { name: 'finesOfPersons', variables: { representations: people } },
      { name: 'picturesOfPersons', variables: { representations: crossings } },
    ]);
    if (!page.pageInfo.hasNextPage) break;
    after = page.pageInfo.endCursor;
  }
  if (pages.length < needed) throw new Error(`${pages.length} pages in the population, ${needed} needed`);

  /** One page through one side: each registry's CPU (ms) for its fetches, and the answers. */
  const serve = async (index: number, fetches: (typeof pages)[number]) => {
    const cpu = Object.fromEntries(REGISTRIES.map((name) => [name, 0])) as Record<RegistryName, number>;
    const answers: string[] = [];
    for (const { name, variables } of fetches) {
      const before = cpuMicros();
      const text = await post(apps[index][REGISTRY_OF[name]], FETCHES[name], variables);
      cpu[REGISTRY_OF[name]] += (cpuMicros() - before) / 1000;
      if (text.includes('"errors":[')) throw new Error(`${sides[index].label} ${name} answered ${text.slice(0, 400)}`);
      answers.push(text);
    }
    return { cpu, answers };
  };
  for (const page of pages.slice(0, options.warmup)) for (const index of sides.keys()) await serve(index, page);

  const perPage = sides.map(() => ({ persons: [] as number[], applications: [] as number[], payments: [] as number[], permits: [] as number[], all: [] as number[] }));
  let different = 0;
  let n = 0;
  for (let round = 0; round < options.rounds; round += 1) {
    for (const page of pages.slice(options.warmup)) {
      // The sides take turns, each page starting with the next one.
      const order = sides.map((_, k) => (k + n) % sides.length);
      n += 1;
      const served: Awaited<ReturnType<typeof serve>>[] = [];
      for (const index of order) served[index] = await serve(index, page);
      for (const index of sides.keys()) {
        served[index].answers.forEach((text, k) => {
          if (text !== served[0].answers[k]) different += 1;
        });
        for (const name of REGISTRIES) perPage[index][name].push(served[index].cpu[name]);
        perPage[index].all.push(REGISTRIES.reduce((sum, name) => sum + served[index].cpu[name], 0));
      }
    }
  }
  console.log(`${n} pages of ${options.first} served by each side, in turns; answers that differ from ${sides[0].label}'s: ${different}`);
  console.log(`median CPU ms per page, and the median of the paired ratios to ${sides[0].label}:`);
  console.log(`registry      ${sides.map(({ label }) => label.padStart(22)).join('')}`);
  for (const name of [...REGISTRIES, 'all'] as const) {
    const cells = sides.map((_, index) => {
      const values = perPage[index][name];
      const ratio = median(values.map((value, k) => value / perPage[0][name][k]));
      return `${median(values).toFixed(2)}${index === 0 ? '' : ` (${ratio.toFixed(3)})`}`.padStart(22);
    });
    console.log(`${name.padEnd(12)}  ${cells.join('')}`);
  }
  for (const own of apps) for (const name of REGISTRIES) await own[name].close();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
