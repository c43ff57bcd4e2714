import { Kind, parse, print, valueFromASTUntyped, type OperationDefinitionNode } from 'graphql';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { defaultRange, type Range } from '../dashboard/range';
import { encodeKey, newSigningKeyPair } from '../protocol/request-signing';
import { percentile, round } from './report';

/**
 * The dashboard page at benchmark scale (issue 23): the permits registry fills its presence status for
 * every person of the benchmark's world; then each request the page sends (its views' `Dashboard*`
 * operations, with the variables of its default range) is timed through our gateway one at a time,
 * and the page's requests all at once, as the page sends them. Run by the gateway benchmark
 * (gateways.bench.ts) on its registries and data, once its gateways are up and before it measures
 * them, so that the fill does not load their measurements.
 */

/** The committed operations the page's views send. */
export const OPERATIONS_PATH = path.resolve(__dirname, '../test/operations/dashboard.graphql');

/** One request of the page: its operation's text, name and variables. */
export interface PageRequest {
  operationName: string;
  query: string;
  variables: Record<string, unknown>;
}

/** Times of one request, or of the page's requests together, in milliseconds. */
export interface Timing {
  name: string;
  requests: number;
  p50Ms: number | null;
  p99Ms: number | null;
  maxMs: number;
}

export interface DashboardMeasurement {
  persons: number;
  /** Seconds from the gateways being ready to the status being filled (near 0 on a reused data folder). */
  fillSeconds: number;
  present: number | null;
  overstaying: number | null;
  registrationOverdue: number | null;
  range: Range;
  /** Each operation one request at a time, in the page's order. */
  operations: Timing[];
  /** The page's requests sent together: until the last answer. */
  page: Timing;
}

/**
 * The page's requests from the committed operations: those named Dashboard<View> (the `Dashboard` of
 * old, one request to three registries, is not the page's), with the range's from, to and bucket, and
 * each other variable at its declared default (what the page sends). A variable of neither kind is
 * refused, so that a new one is given its value here.
 */
export function pageRequests(source: string, range: Range): PageRequest[] {
  const operations = parse(source).definitions.filter(
    (definition): definition is OperationDefinitionNode => definition.kind === Kind.OPERATION_DEFINITION && /^Dashboard[A-Z]/.test(definition.name?.value ?? ''),
  );
  return operations.map((operation) => {
    const operationName = operation.name!.value;
    const variables: Record<string, unknown> = {};
    for (const definition of operation.variableDefinitions ?? []) {
      const name = definition.variable.name.value;
      if (name === 'from' || name === 'to' || name === 'bucket') variables[name] = range[name];
      else if (definition.defaultValue) variables[name] = valueFromASTUntyped(definition.defaultValue);
      else throw new Error(`${operationName}: the page's value of $${name} is not known to the benchmark`);
    }
    return { operationName, query: print(operation), variables };
  });
}

/** The permits registry calls the graph as itself (its feed and facts reads), so it needs a key pair the gateway trusts. */
export function dashboardBench() {
  const permitsKeys = newSigningKeyPair();
  return {
    /** What a registry's process adds to its environment. */
    registryEnv: (name: string): Record<string, string> => (name === 'permits' ? { REGISTRY_PRIVATE_KEY: encodeKey(permitsKeys.privateKey) } : {}),
    /** What our gateway adds to its environment. */
    gatewayEnv: { PERMITS_PUBLIC_KEY: encodeKey(permitsKeys.publicKey) } as Record<string, string>,
    measure: measureDashboard,
  };
}

/** Sends one request; an answer with errors or without data is refused (an error would look fast). */
async function send<Data>(url: string, headers: Record<string, string>, request: PageRequest): Promise<Data> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(request) });
  const json = (await response.json()) as { data?: Data; errors?: unknown };
  if (!json.data || json.errors) throw new Error(`${request.operationName} answered ${response.status}: ${JSON.stringify(json).slice(0, 400)}`);
  return json.data;
}

/** p50, p99 and max of a set of times. */
export function timing(name: string, times: readonly number[]): Timing {
  const ascending = [...times].sort((a, b) => a - b);
  const at = (share: number) => (ascending.length === 0 ? null : round(percentile(ascending, share)!, 1));
  return { name, requests: ascending.length, p50Ms: at(0.5), p99Ms: at(0.99), maxMs: round(ascending.at(-1) ?? 0, 1) };
}

export interface DashboardOptions {
  /** Requests per operation one at a time, and times the page's requests are sent together. */
  requests?: number;
  fillTimeoutMs?: number;
  /** Today as the page's clock has it (the range's end). */
  now?: Date;
  /** The committed operations' text (test/operations/dashboard.graphql). */
  source?: string;
}

interface PresenceAnswer {
  presenceStatistics: { present: number | null; overstaying: number | null; registrationOverdue: number | null; statusAsOf: string };
}

/**
 * Waits for the status to be filled (taken in up to a moment after the start); then, after one request
 * of each not counted (the first plans the operation), times `requests` of each operation one after
 * another, and `requests` times the page's requests sent together.
 */
export async function measureDashboard(url: string, headers: Record<string, string>, persons: number, options: DashboardOptions = {}): Promise<DashboardMeasurement> {
  const { requests = 200, fillTimeoutMs = 30 * 60_000 } = options;
  const range = defaultRange(options.now ?? new Date());
  const page = pageRequests(options.source ?? readFileSync(OPERATIONS_PATH, 'utf8'), range);
  const presenceRequest = page.find((request) => request.operationName === 'DashboardPresence');
  if (!presenceRequest) throw new Error('the page sends no DashboardPresence');

  const started = Date.now();
  let answer = (await send<PresenceAnswer>(url, headers, presenceRequest)).presenceStatistics;
  while (new Date(answer.statusAsOf).getTime() < started) {
    if (Date.now() - started > fillTimeoutMs) throw new Error('the presence status was not filled in time');
    await new Promise((resolve) => setTimeout(resolve, 1000));
    answer = (await send<PresenceAnswer>(url, headers, presenceRequest)).presenceStatistics;
  }
  const fillSeconds = round((Date.now() - started) / 1000, 1);

  const operations: Timing[] = [];
  for (const request of page) {
    await send(url, headers, request);
    const times: number[] = [];
    for (let n = 0; n < requests; n += 1) {
      const before = performance.now();
      await send(url, headers, request);
      times.push(performance.now() - before);
    }
    operations.push(timing(request.operationName, times));
  }
  const together: number[] = [];
  for (let n = 0; n < requests; n += 1) {
    const before = performance.now();
    await Promise.all(page.map((request) => send(url, headers, request)));
    together.push(performance.now() - before);
  }
  return {
    persons,
    fillSeconds,
    present: answer.present,
    overstaying: answer.overstaying,
    registrationOverdue: answer.registrationOverdue,
    range,
    operations,
    page: timing(`the page (${page.length} requests at once)`, together),
  };
}

export function dashboardMarkdown(result: DashboardMeasurement): string {
  const row = (timed: Timing, label: string) => `| ${label} | ${timed.requests} | ${timed.p50Ms ?? '–'} | ${timed.p99Ms ?? '–'} | ${timed.maxMs} |`;
  return [
    '## The dashboard page (issue 23)',
    '',
    `The page's requests through our gateway, over the presence status the permits registry keeps for ${result.persons.toLocaleString('en')} persons ` +
      `(${result.present ?? 'withheld'} present, ${result.overstaying ?? 'withheld'} overstaying, ${result.registrationOverdue ?? 'withheld'} overdue for registration), ` +
      `filled ${result.fillSeconds} s after the gateways were up. Its default range: ${result.range.from} to ${result.range.to} by ${result.range.bucket.toLowerCase()}. ` +
      'Each operation one request at a time, then the page\'s requests sent together as the page sends them (until the last answer).',
    '',
    '| request | requests | p50 ms | p99 ms | max ms |',
    '| --- | --- | --- | --- | --- |',
    ...result.operations.map((timed) => row(timed, `\`${timed.name}\``)),
    row(result.page, result.page.name),
  ].join('\n');
}
