import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { readWorkloads, requireData, startBenchRegistries } from './bench-registries';
import { startOurGateway } from './environments';
import { gatherInputs, readEveryInput, untilAnswering, type Endpoint } from './gateways.bench';
import { openLoad } from './open-load';
import { gcBucketsOf, pausesBetween } from './gateway-gc';
import { freePort, stopAll } from './processes';
import { percentile, type WorkloadKey } from './report';
import { distinctRequests, workloadRequest } from './workloads';

/**
 * Where a slow answer's time goes. Our gateway and the four registries as the benchmark starts them,
 * every process exporting its spans (OTLP/JSON) to a collector in this process; the workload's warm
 * inputs read twice, then sent at a fixed rate (the open model of `npm run bench`'s fixed rates), each
 * request opening a sampled trace of its own (`traceparent`), so that its spans are known. Prints the
 * latencies' percentiles and, for the median request and the slowest, every span of its trace with the
 * service, its start after the request's and its duration: whether a tail is the gateway's, a
 * registry's, the audit log's, or time in no span at all (queues, a paused process).
 *
 *   npx ts-node --transpile-only bench/tail.ts --data <copy of data/bench-100000> --persons 100000 \
 *     --workload document --rate 168 --seconds 20 --slowest 5
 *
 * Spans cost the processes something; the latencies here are for comparing requests of one run, not
 * with the benchmark's. The data folder is written to (the audit log): point it at a copy.
 */
export interface TailOptions {
  data: string;
  persons: number;
  workload: WorkloadKey;
  rate: number;
  seconds: number;
  slowest: number;
  connections: number;
}

export function parseTailArgs(argv: readonly string[]): TailOptions {
  const options: Partial<TailOptions> = { persons: 2000, workload: 'document', rate: 50, seconds: 20, slowest: 5, connections: 50 };
  const positive = (flag: string, value: string | undefined) => {
    const parsed = Number(value);
    if (!(parsed > 0)) throw new Error(`${flag} must be a number above 0`);
    return parsed;
  };
  for (let index = 0; index < argv.length; index += 2) {
    const [flag, value] = [argv[index], argv[index + 1]];
    if (flag === '--data' && value) options.data = path.resolve(value);
    else if (flag === '--workload') {
      const workloads = readWorkloads(flag, value);
      if (workloads.length !== 1) throw new Error('--workload takes one workload');
      [options.workload] = workloads;
    }
    else if (flag === '--persons' || flag === '--slowest' || flag === '--connections') {
      const parsed = positive(flag, value);
      if (!Number.isInteger(parsed)) throw new Error(`${flag} must be a whole number`);
      options[flag.slice(2) as 'persons' | 'slowest' | 'connections'] = parsed;
    } else if (flag === '--rate' || flag === '--seconds') options[flag.slice(2) as 'rate' | 'seconds'] = positive(flag, value);
    else throw new Error(`unknown option ${flag}; known: --data --persons --workload picture|page|document --rate --seconds --slowest --connections`);
  }
  return requireData(options) as TailOptions;
}

/** One span as the collector keeps it: times in milliseconds of the machine's clock. */
export interface CollectedSpan {
  traceId: string;
  spanId: string;
  parentSpanId: string | null;
  name: string;
  service: string;
  startMs: number;
  endMs: number;
}

type OtlpValue = { stringValue?: string };
type OtlpJson = {
  resourceSpans?: {
    resource?: { attributes?: { key: string; value: OtlpValue }[] };
    scopeSpans?: { spans?: { traceId: string; spanId: string; parentSpanId?: string; name: string; startTimeUnixNano: string | number; endTimeUnixNano: string | number }[] }[];
  }[];
};

/** The spans of one OTLP/JSON trace export (ids in hex, as the JSON encoding has them). */
export function spansOfExport(body: OtlpJson): CollectedSpan[] {
  const spans: CollectedSpan[] = [];
  const ms = (nanos: string | number) => Number(BigInt(nanos) / 1000n) / 1000;
  for (const resourceSpans of body.resourceSpans ?? []) {
    const service = resourceSpans.resource?.attributes?.find((attribute) => attribute.key === 'service.name')?.value.stringValue ?? '?';
    for (const scope of resourceSpans.scopeSpans ?? []) {
      for (const span of scope.spans ?? []) {
        spans.push({ traceId: span.traceId, spanId: span.spanId, parentSpanId: span.parentSpanId || null, name: span.name, service, startMs: ms(span.startTimeUnixNano), endMs: ms(span.endTimeUnixNano) });
      }
    }
  }
  return spans;
}

/** A collector of OTLP/JSON trace exports on 127.0.0.1, keeping every span by trace. */
export async function startSpanCollector(): Promise<{ url: string; spans: Map<string, CollectedSpan[]>; close(): Promise<void> }> {
  const spans = new Map<string, CollectedSpan[]>();
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      if (request.method === 'POST' && request.url === '/v1/traces') {
        for (const span of spansOfExport(JSON.parse(Buffer.concat(chunks).toString('utf8')) as OtlpJson)) {
          const trace = spans.get(span.traceId) ?? [];
          trace.push(span);
          spans.set(span.traceId, trace);
        }
      }
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, spans, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/**
 * A trace's spans as lines, parents before children, each indented under its parent: start after
 * `fromMs` and duration in ms, service, name.
 */
export function describeTrace(spans: readonly CollectedSpan[], fromMs: number): string[] {
  const children = new Map<string | null, CollectedSpan[]>();
  const ids = new Set(spans.map((span) => span.spanId));
  for (const span of [...spans].sort((a, b) => a.startMs - b.startMs)) {
    // A span whose parent is not here (the client's own, which no process exported) is a root.
    const parent = span.parentSpanId && ids.has(span.parentSpanId) ? span.parentSpanId : null;
    children.set(parent, [...(children.get(parent) ?? []), span]);
  }
  const lines: string[] = [];
  const walk = (parent: string | null, depth: number) => {
    for (const span of children.get(parent) ?? []) {
      const at = (span.startMs - fromMs).toFixed(1).padStart(7);
      const took = (span.endMs - span.startMs).toFixed(1).padStart(7);
      lines.push(`${at} +${took} ms  ${'  '.repeat(depth)}${span.service}: ${span.name}`);
      walk(span.spanId, depth + 1);
    }
  };
  walk(null, 0);
  return lines;
}

const root = path.resolve(__dirname, '..');

async function run(options: TailOptions): Promise<void> {
  const collector = await startSpanCollector();
  // Every process exports each span within a fifth of a second of its end.
  const tracing = { OTEL_EXPORTER_OTLP_ENDPOINT: collector.url, OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json', OTEL_BSP_SCHEDULE_DELAY: '200', OTEL_TRACES_SAMPLER: 'parentbased_always_off' };
  const housePort = await freePort();
  const port = await freePort();
  const opsPort = await freePort();
  const registries = await startBenchRegistries({ root, data: options.data, persons: options.persons, officers: 20, gatewayUrl: `http://127.0.0.1:${housePort}/`, env: tracing });
  const { credentials, headers } = registries;
  const launch = (name: string, listenOn: number, env: Record<string, string>): Endpoint => ({
    url: `http://127.0.0.1:${listenOn}/`,
    server: startOurGateway(name, registries.gateway, listenOn, { env }),
  });
  // The registries' own reads go through a gateway of their own, untraced, as in `npm run bench`.
  const house = launch("gateway for the registries' own reads", housePort, {});
  const gateway = launch('gateway', port, { ...tracing, OPS_PORT: String(opsPort) });
  const scrape = async () => (await fetch(`http://127.0.0.1:${opsPort}/metrics`)).text();
  await untilAnswering(house, headers);
  await untilAnswering(gateway, headers);
  const { inputs } = await gatherInputs(gateway.url, options.persons, headers);
  const plan = (n: number) => workloadRequest(options.workload, inputs, n);
  const distinct = distinctRequests(options.workload, inputs);
  console.log(`reading the ${distinct} inputs of ${options.workload} twice, then ${options.rate} requests/s for ${options.seconds} s...`);
  for (let pass = 0; pass < 2; pass += 1) await readEveryInput(gateway.url, { headers, tokens: credentials.tokens, plan, connections: Math.min(options.connections, distinct) }, distinct);

  // Each request opens a sampled trace of its own: the processes' parent-based sampler records it, and no other.
  const answers: { traceId: string; latencyMs: number; sentAtMs: number; status: number }[] = [];
  const origin = performance.timeOrigin;
  // Read once before, so that the event-loop delay's largest is the load's (the gauge starts afresh at each scrape).
  const gcBefore = gcBucketsOf(await scrape());
  const loadStartMs = origin + performance.now();
  const result = await openLoad(
    {
      url: gateway.url,
      rate: options.rate,
      duration: options.seconds,
      connections: options.connections,
      request: (n) => {
        const traceId = randomBytes(16).toString('hex');
        const token = credentials.tokens[n % credentials.tokens.length];
        return { traceId, sentAtMs: origin + performance.now(), headers: { ...headers, authorization: `Bearer ${token}`, 'content-type': 'application/json', traceparent: `00-${traceId}-${randomBytes(8).toString('hex')}-01` }, body: plan(n).body };
      },
    },
    (answer) => answers.push({ traceId: answer.sent.traceId, latencyMs: answer.latencyMs, sentAtMs: answer.sent.sentAtMs, status: answer.status }),
  );
  const metricsAfter = await scrape();
  await new Promise((resolve) => setTimeout(resolve, 2000));
  if (answers.length === 0) throw new Error(`no answers (${result.errors} errors, ${result.timeouts} timeouts)`);
  const sorted = [...answers].sort((a, b) => a.latencyMs - b.latencyMs);
  const latencies = sorted.map((answer) => answer.latencyMs);
  const at = (share: number) => percentile(latencies, share)?.toFixed(1);
  console.log(`${answers.length} answers (${answers.filter((answer) => answer.status !== 200).length} not 200, ${result.errors} errors, ${result.timeouts} timeouts): p50 ${at(0.5)} ms, p90 ${at(0.9)}, p99 ${at(0.99)}, max ${at(1)}`);
  const loopMax = /^nodejs_eventloop_delay_max\{[^}]*\} ([\d.e+-]+)/m.exec(metricsAfter)?.[1];
  console.log(`the gateway over the load: event-loop delay at most ${loopMax === undefined ? '?' : (Number(loopMax) * 1000).toFixed(1)} ms; garbage collections ${pausesBetween(gcBefore, gcBucketsOf(metricsAfter), [10, 25, 50, 100]).map(({ type, count, over }) => `${type} ${count} (over 10/25/50/100 ms: ${Object.values(over).join('/')})`).join(', ')}`);
  const show = (title: string, answer: (typeof sorted)[number]) => {
    const spans = collector.spans.get(answer.traceId) ?? [];
    console.log(`\n${title}: ${answer.latencyMs.toFixed(1)} ms, sent ${((answer.sentAtMs - loadStartMs) / 1000).toFixed(2)} s into the load, ${spans.length} spans`);
    for (const line of describeTrace(spans, answer.sentAtMs)) console.log(`  ${line}`);
  };
  show('the median request', sorted[Math.floor(sorted.length / 2)]);
  for (const [index, answer] of sorted.slice(-options.slowest).reverse().entries()) show(`slowest ${index + 1}`, answer);
  await collector.close();
}

if (require.main === module) {
  run(parseTailArgs(process.argv.slice(2)))
    .catch((error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    })
    .finally(() => void stopAll());
}
