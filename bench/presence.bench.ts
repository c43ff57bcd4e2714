import { Kind, parse, print } from 'graphql';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { encodeKey, newSigningKeyPair } from '../protocol/request-signing';
import { percentile, round } from './report';

/**
 * The presence statistics at benchmark scale (issue 23): the permits registry fills its presence status
 * for every person of the benchmark's world, then the dashboard's `DashboardPresence` is timed through
 * our gateway. Run by the gateway benchmark (gateways.bench.ts) on its registries and data, once its
 * gateways are up and before it measures them, so that the fill does not load their measurements.
 */
export interface PresenceMeasurement {
  persons: number;
  /** Seconds from the gateways being ready to the status being filled (near 0 on a reused data folder). */
  fillSeconds: number;
  present: number | null;
  overstaying: number | null;
  registrationOverdue: number | null;
  requests: number;
  p50Ms: number | null;
  p99Ms: number | null;
  maxMs: number;
}

/** The dashboard's committed operation, as the page sends it. */
const QUERY = print(
  parse(readFileSync(path.resolve(__dirname, '../test/operations/dashboard.graphql'), 'utf8')).definitions.find(
    (definition) => definition.kind === Kind.OPERATION_DEFINITION && definition.name?.value === 'DashboardPresence',
  )!,
);

/** The permits registry calls the graph as itself (its feed and facts reads), so it needs a key pair the gateway trusts. */
export function presenceBench() {
  const permitsKeys = newSigningKeyPair();
  return {
    /** What a registry's process adds to its environment. */
    registryEnv: (name: string): Record<string, string> => (name === 'permits' ? { REGISTRY_PRIVATE_KEY: encodeKey(permitsKeys.privateKey) } : {}),
    /** What our gateway adds to its environment. */
    gatewayEnv: { PERMITS_PUBLIC_KEY: encodeKey(permitsKeys.publicKey) } as Record<string, string>,
    measure: measurePresence,
  };
}

async function ask(url: string, headers: Record<string, string>) {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ query: QUERY }) });
  const json = (await response.json()) as { data?: { presenceStatistics: { present: number | null; overstaying: number | null; registrationOverdue: number | null; statusAsOf: string } }; errors?: unknown };
  if (!json.data) throw new Error(`presenceStatistics answered ${response.status}: ${JSON.stringify(json).slice(0, 400)}`);
  return json.data.presenceStatistics;
}

/** Waits for the status to be filled (taken in up to a moment after the start), then times `requests` requests one after another. */
export async function measurePresence(url: string, headers: Record<string, string>, persons: number, requests = 200, fillTimeoutMs = 30 * 60_000): Promise<PresenceMeasurement> {
  const started = Date.now();
  let answer = await ask(url, headers);
  while (new Date(answer.statusAsOf).getTime() < started) {
    if (Date.now() - started > fillTimeoutMs) throw new Error('the presence status was not filled in time');
    await new Promise((resolve) => setTimeout(resolve, 1000));
    answer = await ask(url, headers);
  }
  const fillSeconds = round((Date.now() - started) / 1000, 1);
  const times: number[] = [];
  for (let n = 0; n < requests; n += 1) {
    const before = performance.now();
    await ask(url, headers);
    times.push(performance.now() - before);
  }
  times.sort((a, b) => a - b);
  return {
    persons,
    fillSeconds,
    present: answer.present,
    overstaying: answer.overstaying,
    registrationOverdue: answer.registrationOverdue,
    requests,
    p50Ms: percentile(times, 0.5) === null ? null : round(percentile(times, 0.5)!, 1),
    p99Ms: percentile(times, 0.99) === null ? null : round(percentile(times, 0.99)!, 1),
    maxMs: round(times.at(-1) ?? 0, 1),
  };
}

export function presenceMarkdown(result: PresenceMeasurement): string {
  return [
    '## Presence statistics (issue 23)',
    '',
    `\`DashboardPresence\` through our gateway, one request at a time, over the presence status the permits registry keeps for ${result.persons.toLocaleString('en')} persons ` +
      `(${result.present ?? 'withheld'} present, ${result.overstaying ?? 'withheld'} overstaying, ${result.registrationOverdue ?? 'withheld'} overdue for registration).`,
    '',
    '| status filled after | requests | p50 ms | p99 ms | max ms |',
    '| --- | --- | --- | --- | --- |',
    `| ${result.fillSeconds} s | ${result.requests} | ${result.p50Ms} | ${result.p99Ms} | ${result.maxMs} |`,
  ].join('\n');
}
