import 'reflect-metadata';
import { cpuUsage } from 'node:process';
import { computeCompiledResponse, type ComputeResponseArguments } from '../gateway/execution/compiled-response';
import { startGraph } from '../test/harness';
import { WORKLOAD_QUERIES } from './workloads';

/**
 * The gateway's result shaping on a real page (issue 24): the graph started in process (the test
 * harness, `--persons` demo persons), one page of `--first` full pictures read through the gateway,
 * and what @apollo/gateway's executor handed its result shaping for it kept; then Apollo's
 * `computeResponse` and the compiled one (gateway/execution/compiled-response.ts) shape that same
 * input in turns, `--rounds` turns of `--calls` each, CPU time per call. Both answers must be the
 * same text. Also timed: the executor's `operationFromDocument` for the page, which the gateway now
 * does once per document.
 *
 *   npx ts-node --transpile-only bench/result-shaping.ts [--persons 120] [--first 50] [--calls 300] [--rounds 3]
 */
interface Options {
  persons: number;
  first: number;
  calls: number;
  rounds: number;
}

function parseOptions(argv: string[]): Options {
  const options: Options = { persons: 120, first: 50, calls: 300, rounds: 3 };
  for (let i = 0; i < argv.length; i += 2) {
    const [flag, value] = [argv[i], Number(argv[i + 1])];
    if (!(flag.slice(2) in options) || !Number.isInteger(value) || value < 1) throw new Error(`unknown option or bad value: ${flag} ${argv[i + 1]}; known: --persons --first --calls --rounds`);
    options[flag.slice(2) as keyof Options] = value;
  }
  return options;
}

/** CPU ms per call of `work`, after a few unmeasured calls. */
function cpuPerCall(calls: number, work: () => unknown): number {
  for (let i = 0; i < 20; i += 1) work();
  const start = cpuUsage();
  for (let i = 0; i < calls; i += 1) work();
  const used = cpuUsage(start);
  return (used.user + used.system) / calls / 1000;
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  // Apollo's two functions, kept before the harness puts the gateway's in their place.
  const shaping = require('@apollo/gateway/dist/resultShaping') as { computeResponse: (args: ComputeResponseArguments) => unknown };
  const operations = require('@apollo/federation-internals/dist/operations') as { operationFromDocument: (...args: unknown[]) => unknown };
  const apolloShaping = shaping.computeResponse;
  const apolloOperationFromDocument = operations.operationFromDocument;

  const graph = await startGraph({ persons: options.persons, readCacheBytes: 0, batchFetches: false });
  let shaped: ComputeResponseArguments | undefined;
  let built: unknown[] | undefined;
  const compiledShaping = shaping.computeResponse;
  const compiledOperationFromDocument = operations.operationFromDocument;
  shaping.computeResponse = (args) => {
    if (args.operation.name === 'BenchPersonsPage') shaped = args;
    return compiledShaping(args);
  };
  operations.operationFromDocument = (...args: unknown[]) => {
    if ((args[1] as any).definitions[0]?.name?.value === 'BenchPersonsPage' && (args[2] as any)?.validate === false) built = args;
    return compiledOperationFromDocument(...args);
  };
  try {
    const answer = await graph.query(WORKLOAD_QUERIES.page, { first: options.first });
    if (answer.body.errors || !shaped || !built) throw new Error(`the page was not read: ${JSON.stringify(answer.body.errors ?? 'no shaping seen')}`);
    const input = shaped;
    const same = JSON.stringify(apolloShaping(input)) === JSON.stringify(computeCompiledResponse(input));
    if (!same) throw new Error('Apollo and the compiled shaping answered the page differently');
    console.log(`page of ${options.first}: the registries' answers ${JSON.stringify(input.input).length} bytes, the answer ${JSON.stringify(answer.body).length} bytes; both shapings the same text`);
    const apollo: number[] = [];
    const compiled: number[] = [];
    for (let round = 0; round < options.rounds; round += 1) {
      apollo.push(cpuPerCall(options.calls, () => apolloShaping(input)));
      compiled.push(cpuPerCall(options.calls, () => computeCompiledResponse(input)));
    }
    const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
    const ratios = apollo.map((value, index) => compiled[index] / value);
    console.log(`Apollo's computeResponse: ${apollo.map((v) => v.toFixed(3)).join(', ')} ms CPU a call (median ${median(apollo).toFixed(3)})`);
    console.log(`compiled:                 ${compiled.map((v) => v.toFixed(3)).join(', ')} ms CPU a call (median ${median(compiled).toFixed(3)})`);
    console.log(`compiled / Apollo, paired by round: median ${median(ratios).toFixed(3)}`);
    console.log(`operationFromDocument for the page: ${cpuPerCall(options.calls, () => apolloOperationFromDocument(...built!)).toFixed(3)} ms CPU a call`);
  } finally {
    shaping.computeResponse = compiledShaping;
    operations.operationFromDocument = compiledOperationFromDocument;
    await graph.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
