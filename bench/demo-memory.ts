import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { existingDevelopmentKey, mintToken } from '../gateway/features/authentication/tokens';
import { SUBGRAPH_NAMES } from '../protocol/registries';
import { freePort } from '../platform/testing/free-port';
import { WORKLOAD_QUERIES } from './workloads';

/**
 * The demo's memory (issue 24, "a lighter demo"): `npm start` as a user runs it (dist/scripts/start.js)
 * on a fresh data folder, resident memory of every process of its tree once the gateway is ready,
 * and again after person-picture requests through the gateway. Linux only (/proc).
 *
 *   npx ts-node --transpile-only bench/demo-memory.ts [--persons 3000] [--requests 200] [--compile]
 */

const root = path.resolve(__dirname, '..');
const MiB = 1024 * 1024;

/** Where a process's resident memory is, in MiB. */
export interface ProcessMemory {
  pid: number;
  /** start.js, registries, gateway (or a registry's name in a layout of one process each). */
  name: string;
  rssMiB: number;
  /** Its share of pages shared with other processes (the binary's code), counted once over all. */
  pssMiB: number;
  /** PGlite's WebAssembly memories (each a read-write mapping in front of its guard reservation). */
  wasmMiB: number;
  /** Mapped files: node's own code and data, libraries. */
  filesMiB: number;
  /** The rest: V8's heap, malloc's, compiled code, buffers. */
  otherMiB: number;
}

export interface DemoMemorySnapshot {
  processes: ProcessMemory[];
  rssMiB: number;
  pssMiB: number;
}

export interface DemoMemory {
  persons: number;
  requests: number;
  /** From spawning `npm start`'s script to the gateway answering /health, seeding included. */
  startSeconds: number;
  afterStart: DemoMemorySnapshot;
  afterLoad: DemoMemorySnapshot;
  /** Picture requests answered with the person asked for. */
  answered: number;
}

interface Mapping {
  size: number;
  writable: boolean;
  inaccessible: boolean;
  file: boolean;
  rssKiB: number;
  pssKiB: number;
}

function mappingsOf(pid: number): Mapping[] {
  const mappings: Mapping[] = [];
  let current: Mapping | undefined;
  for (const line of readFileSync(`/proc/${pid}/smaps`, 'utf8').split('\n')) {
    const header = /^([0-9a-f]+)-([0-9a-f]+) (\S{4}) \S+ \S+ (\d+)/.exec(line);
    if (header) {
      current = {
        size: parseInt(header[2], 16) - parseInt(header[1], 16),
        writable: header[3].startsWith('rw'),
        inaccessible: header[3].startsWith('---'),
        file: header[4] !== '0',
        rssKiB: 0,
        pssKiB: 0,
      };
      mappings.push(current);
    } else if (current && line.startsWith('Rss:')) current.rssKiB = Number(line.split(/\s+/)[1]);
    else if (current && line.startsWith('Pss:')) current.pssKiB = Number(line.split(/\s+/)[1]);
  }
  return mappings;
}

/** V8 reserves several GiB behind each WebAssembly memory, so that bounds checks are free. */
const WASM_GUARD_BYTES = 4 * 1024 * MiB;

export function processMemory(pid: number, name: string): ProcessMemory {
  const mappings = mappingsOf(pid);
  let rss = 0;
  let pss = 0;
  let wasm = 0;
  let files = 0;
  mappings.forEach((mapping, index) => {
    rss += mapping.rssKiB;
    pss += mapping.pssKiB;
    const next = mappings[index + 1];
    if (mapping.file) files += mapping.rssKiB;
    else if (mapping.writable && next?.inaccessible && !next.file && next.size >= WASM_GUARD_BYTES) wasm += mapping.rssKiB;
  });
  const mib = (kib: number) => Math.round(kib / 1024);
  // The rest by difference, so that the parts add up to the whole once rounded.
  return { pid, name, rssMiB: mib(rss), pssMiB: mib(pss), wasmMiB: mib(wasm), filesMiB: mib(files), otherMiB: mib(rss) - mib(wasm) - mib(files) };
}

/** The process and its descendants, parents first. */
export function processTree(rootPid: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // The command may hold spaces and parentheses: the fields after its closing one.
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(parent, [...(children.get(parent) ?? []), Number(entry)]);
    } catch {
      // gone meanwhile
    }
  }
  const tree: number[] = [];
  const visit = (pid: number) => {
    tree.push(pid);
    for (const child of children.get(pid) ?? []) visit(child);
  };
  visit(rootPid);
  return tree;
}

/** A short name from the process's command line: the script it runs. */
function nameOf(pid: number): string {
  const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
  const script = args.find((arg) => arg.endsWith('.js')) ?? args[0] ?? String(pid);
  const parts = script.split(path.sep);
  const file = parts.at(-1)!.replace(/\.js$/, '');
  if (file === 'main') return parts.at(-2) ?? file;
  return file === 'demo-registries' ? 'registries' : file;
}

export function snapshot(rootPid: number): DemoMemorySnapshot {
  const processes = processTree(rootPid).flatMap((pid) => {
    try {
      return [processMemory(pid, nameOf(pid))];
    } catch {
      return [];
    }
  });
  return {
    processes,
    rssMiB: processes.reduce((sum, process) => sum + process.rssMiB, 0),
    pssMiB: processes.reduce((sum, process) => sum + process.pssMiB, 0),
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function postGraphql(url: string, token: string, query: string, variables: Record<string, unknown>): Promise<any> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'x-dmx-purpose': 'OVERSIGHT' },
    body: JSON.stringify({ query, variables }),
  });
  return response.json();
}

/** The ids of the first `count` persons, read through the gateway a page at a time. */
async function personIds(url: string, token: string, count: number): Promise<string[]> {
  const ids: string[] = [];
  let after: string | null = null;
  while (ids.length < count) {
    const answer = await postGraphql(url, token, `query($after: String) { persons(first: 50, after: $after) { pageInfo { endCursor hasNextPage } nodes { id } } }`, { after });
    const connection = answer?.data?.persons;
    if (!connection) throw new Error(`could not list the demo's persons: ${JSON.stringify(answer).slice(0, 300)}`);
    ids.push(...(connection.nodes as { id: string }[]).map((node) => node.id));
    if (!connection.pageInfo.hasNextPage) break;
    after = connection.pageInfo.endCursor;
  }
  return ids.slice(0, count);
}

/**
 * Starts the demo as `npm start` does (it must be compiled: dist/scripts/start.js), on a new data
 * folder and free ports, and measures it; stops it and removes the folder whatever happens.
 */
export async function measureDemoMemory(options: { persons: number; requests: number; log?: (line: string) => void }): Promise<DemoMemory> {
  const log = options.log ?? (() => undefined);
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'dmx-demo-memory-'));
  const ports: Record<string, string> = { PORT: String(await freePort()), OPS_PORT: String(await freePort()) };
  for (const name of SUBGRAPH_NAMES) {
    ports[`${name.toUpperCase()}_PORT`] = String(await freePort());
    ports[`${name.toUpperCase()}_OPS_PORT`] = String(await freePort());
  }
  const started = Date.now();
  const demo = spawn(process.execPath, [path.join(root, 'dist/scripts/start.js')], {
    cwd: root,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, TMPDIR: process.env.TMPDIR, ...ports, DATA_DIR: dataDir, DEMO_PERSONS: String(options.persons), LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  const keep = (chunk: Buffer) => {
    output.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    output.splice(0, Math.max(0, output.length - 30));
  };
  demo.stdout!.on('data', keep);
  demo.stderr!.on('data', keep);
  const exited = new Promise((resolve) => demo.once('exit', resolve));
  const gateway = `http://127.0.0.1:${ports.PORT}/`;
  try {
    log(`starting the demo (${options.persons.toLocaleString('en')} persons, fresh data folder)...`);
    for (;;) {
      if (demo.exitCode !== null) throw new Error(`the demo stopped (exit code ${demo.exitCode}):\n${output.join('\n')}`);
      if (Date.now() - started > 10 * 60_000) throw new Error(`the demo was not ready in 10 minutes:\n${output.join('\n')}`);
      const healthy = await fetch(`${gateway}health`).then((response) => response.ok, () => false);
      if (healthy) break;
      await sleep(250);
    }
    const startSeconds = Math.round((Date.now() - started) / 100) / 10;
    const afterStart = snapshot(demo.pid!);
    log(`ready in ${startSeconds} s: ${afterStart.rssMiB} MiB resident`);

    const token = await mintToken(await existingDevelopmentKey(dataDir), { agency: 'administrator', subject: 'demo-memory', ttlSeconds: 600 });
    const ids = await personIds(gateway, token, Math.min(options.requests, options.persons));
    let answered = 0;
    // A few at a time, as a handful of users would.
    const queue = Array.from({ length: options.requests }, (_, n) => ids[n % ids.length]);
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        for (let id = queue.shift(); id !== undefined; id = queue.shift()) {
          const answer = await postGraphql(gateway, token, WORKLOAD_QUERIES.picture, { id });
          if (answer?.data?.person?.id === id && !answer.errors) answered += 1;
        }
      }),
    );
    const afterLoad = snapshot(demo.pid!);
    log(`after ${options.requests} picture requests (${answered} answered right): ${afterLoad.rssMiB} MiB resident`);
    return { persons: options.persons, requests: options.requests, startSeconds, afterStart, afterLoad, answered };
  } finally {
    if (demo.exitCode === null) demo.kill('SIGTERM');
    const timer = setTimeout(() => demo.kill('SIGKILL'), 15_000);
    await exited;
    clearTimeout(timer);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** The per-process table, Markdown. */
export function demoMemoryTable(memory: DemoMemory): string {
  const rows = memory.afterStart.processes.map((process) => {
    const loaded = memory.afterLoad.processes.find((other) => other.pid === process.pid);
    return `| ${process.name} | ${process.rssMiB} | ${process.wasmMiB} | ${process.otherMiB} | ${process.filesMiB} | ${loaded?.rssMiB ?? '–'} |`;
  });
  return [
    `| process | resident after start MiB | of which PGlite (WASM) | V8 heap, malloc, code | mapped files | resident after ${memory.requests} requests MiB |`,
    '| --- | --- | --- | --- | --- | --- |',
    ...rows,
    `| **total** (proportional set: ${memory.afterStart.pssMiB} / ${memory.afterLoad.pssMiB}) | **${memory.afterStart.rssMiB}** | ${sum(memory.afterStart, 'wasmMiB')} | ${sum(memory.afterStart, 'otherMiB')} | ${sum(memory.afterStart, 'filesMiB')} | **${memory.afterLoad.rssMiB}** |`,
  ].join('\n');
}

function sum(snapshot: DemoMemorySnapshot, field: 'wasmMiB' | 'otherMiB' | 'filesMiB'): number {
  return snapshot.processes.reduce((total, process) => total + process[field], 0);
}

/** The demo's memory target of issue 24: `npm start` at 3,000 persons in at most 1 GiB resident. */
export const DEMO_MEMORY_TARGET_MIB = 1024;

/**
 * The benchmark's start-up phase (bench/gateways.bench.ts): the demo at 3,000 persons measured and
 * printed; dist/ is compiled by then. Returns the measurement for the report; Linux only.
 */
export async function printDemoMemory(persons = 3000, requests = 200): Promise<DemoMemory | null> {
  if (process.platform !== 'linux') {
    console.log('demo memory: not measured (reads /proc, Linux only)');
    return null;
  }
  console.log(`\ndemo memory (npm start at ${persons.toLocaleString('en')} persons, target ${DEMO_MEMORY_TARGET_MIB} MiB resident in total)...`);
  const memory = await measureDemoMemory({ persons, requests, log: (line) => console.log(`  ${line}`) });
  console.log(demoMemoryTable(memory));
  const worst = Math.max(memory.afterStart.rssMiB, memory.afterLoad.rssMiB);
  console.log(`  target ${worst <= DEMO_MEMORY_TARGET_MIB ? 'met' : 'NOT met'}: ${worst} MiB at most, ${DEMO_MEMORY_TARGET_MIB} MiB allowed\n`);
  return memory;
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { persons: { type: 'string', default: '3000' }, requests: { type: 'string', default: '200' }, compile: { type: 'boolean', default: false } } });
  if (values.compile) {
    const build = spawnSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', path.join(root, 'tsconfig.build.json')], { stdio: 'inherit' });
    if (build.status !== 0) throw new Error('the build failed');
  }
  await printDemoMemory(Number(values.persons), Number(values.requests));
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
