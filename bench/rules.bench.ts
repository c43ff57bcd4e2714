import 'reflect-metadata';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { demoRules } from '../demo/demo-rules';
import { demoHistory, type DemoHistory } from '../demo/world';
import { lawfulBasisOf } from '../domain/facts/permit-facts';
import { evaluateLegalStatus, type StayFacts } from '../domain/rules';
import { REFERENCE_DATE, startGraph, TODAY } from '../test/harness';
import { undeterminedShares, undeterminedTable } from './rule-answers';

/**
 * The rules' cost (issue 3): the legal status of many persons evaluated from in-memory facts, and the
 * rules' share of the CPU of a legalStatus request through the gateway, both measured in this run.
 * Then the rules' reach (issue 20): the share of UNDETERMINED answers per decision over the same demo
 * population, through the permits registry's LegalService (rule-answers.ts); zero is the target for
 * every decision whose facts the demo records.
 *
 *   npm run bench -- --persons 100000 --requests 300
 */
function option(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  const value = index >= 0 ? Number(process.argv[index + 1]) : fallback;
  if (!Number.isInteger(value) || value <= 0) throw new Error(`--${name} must be a positive whole number`);
  return value;
}

function stayFacts(history: DemoHistory): StayFacts {
  return {
    citizenships: history.person.citizenship ? [history.person.citizenship] : [],
    crossings: history.crossings,
    lawfulBases: history.permits.map(lawfulBasisOf),
    registrations: history.permits
      .filter((permit) => permit.kind === 'REGISTRATION_BY_PLACE_OF_STAY')
      .map((permit) => ({ registeredOn: permit.validFrom, validUntil: permit.validUntil })),
  };
}

/** CPU microseconds (user + system) spent by this process while `work` runs. */
async function cpuOf(work: () => Promise<void> | void): Promise<{ cpuMicros: number; wallMs: number }> {
  const startCpu = process.cpuUsage();
  const startWall = performance.now();
  await work();
  const cpu = process.cpuUsage(startCpu);
  return { cpuMicros: cpu.user + cpu.system, wallMs: performance.now() - startWall };
}

async function main(): Promise<void> {
  const persons = option('persons', 100_000);
  const requests = option('requests', 300);
  const seed = 'dmx-demo-1';

  console.log(`generating ${persons} demo histories in memory...`);
  const histories: DemoHistory[] = [];
  for (let index = 0; index < persons; index += 1) histories.push(demoHistory(seed, index, REFERENCE_DATE, demoRules));
  const facts = histories.map(stayFacts);

  // Warm the rules up, then evaluate everyone once.
  for (const fact of facts.slice(0, 2000)) evaluateLegalStatus(fact, TODAY);
  const outcomes: Record<string, number> = {};
  const bulk = await cpuOf(() => {
    for (const fact of facts) {
      const outcome = evaluateLegalStatus(fact, TODAY).outcome;
      outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
    }
  });

  // The rules' reach: how often each decision cannot be reached from what the demo records.
  console.log(`answering every decision about ${persons} persons through the permits registry's services...`);
  const undetermined = await undeterminedShares(histories, TODAY);
  const unreached = undetermined.filter((share) => share.factsRecorded && share.undetermined > 0);
  histories.length = 0;

  // One process holds the gateway and the four subgraphs, so process CPU is the whole request's CPU.
  console.log(`starting the graph in process and sending ${requests} legalStatus requests...`);
  const sample = Math.min(requests, 1000);
  const graph = await startGraph({ persons: sample, seed });
  try {
    const page = await graph.query<{ persons: { nodes: { id: string }[] } }>(`{ persons(first: ${sample}) { nodes { id } } }`);
    const ids = page.body.data!.persons.nodes.map((node) => node.id);
    const query = `query($id: ID!) { person(id: $id) { legalStatus { outcome basis lawfulUntil overstayDays registration { required dueOn } reasons { ruleId } } } }`;
    for (const id of ids.slice(0, 50)) await graph.query(query, { id });
    const byRequest = await cpuOf(async () => {
      for (let i = 0; i < requests; i += 1) await graph.query(query, { id: ids[i % ids.length] });
    });
    // The same persons' facts through the same rule, as the permits subgraph evaluates them per request.
    const sameFacts = facts.slice(0, sample);
    const byRules = await cpuOf(() => {
      for (let i = 0; i < requests; i += 1) evaluateLegalStatus(sameFacts[i % sameFacts.length], TODAY);
    });

    const result = {
      date: new Date().toISOString(),
      machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model, memoryGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version },
      bulk: {
        persons,
        wallMs: Math.round(bulk.wallMs),
        cpuMs: Math.round(bulk.cpuMicros / 1000),
        microsPerPerson: +(bulk.cpuMicros / persons).toFixed(2),
        personsPerSecond: Math.round(persons / (bulk.cpuMicros / 1e6)),
        outcomes,
      },
      request: {
        requests,
        cpuMicrosPerRequest: Math.round(byRequest.cpuMicros / requests),
        rulesCpuMicrosPerRequest: +(byRules.cpuMicros / requests).toFixed(1),
        rulesShareOfRequestCpu: +(byRules.cpuMicros / byRequest.cpuMicros).toFixed(4),
      },
      undetermined: undetermined.map(({ key, factsRecorded, answers, undetermined: count, share, outcomes }) => ({
        decision: key,
        factsRecorded,
        answers,
        undetermined: count,
        share: +share.toFixed(6),
        outcomes,
      })),
    };
    const stamp = result.date.slice(0, 10);
    mkdirSync(path.join(__dirname, 'results'), { recursive: true });
    writeFileSync(path.join(__dirname, 'results', `${stamp}-rules.json`), `${JSON.stringify(result, null, 2)}\n`);
    console.log(
      [
        '',
        `| measure | value |`,
        `| --- | --- |`,
        `| legal status of ${persons.toLocaleString('en')} persons (in memory) | ${result.bulk.cpuMs} ms CPU, ${result.bulk.microsPerPerson} µs per person, ${result.bulk.personsPerSecond.toLocaleString('en')} persons/s |`,
        `| CPU of one legalStatus request (gateway + subgraphs, in process) | ${result.request.cpuMicrosPerRequest} µs |`,
        `| of which the rules | ${result.request.rulesCpuMicrosPerRequest} µs (${(result.request.rulesShareOfRequestCpu * 100).toFixed(2)} %) |`,
        '',
        `outcomes: ${JSON.stringify(outcomes)}`,
        '',
        `UNDETERMINED answers over the ${persons.toLocaleString('en')} demo persons (target: 0 for every decision whose facts the demo records):`,
        '',
        undeterminedTable(undetermined),
        '',
        unreached.length === 0
          ? 'target met: no decision whose facts the demo records answers UNDETERMINED'
          : `target NOT met: ${unreached.map((share) => `${share.key} ${(share.share * 100).toFixed(2)} %`).join(', ')}`,
        `written bench/results/${stamp}-rules.json`,
      ].join('\n'),
    );
  } finally {
    await graph.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
