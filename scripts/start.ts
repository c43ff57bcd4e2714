import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { GATEWAY_NODE_FLAGS } from '../gateway/node-flags';
import { DEFAULT_SUBGRAPH_PORTS, SUBGRAPH_NAMES } from '../protocol/registries';
import { nodeVersionProblem } from './node-version';

/**
 * `npm start`: the registries and the audit log in one process (scripts/demo-registries.ts: each its own
 * database, port and configuration, the embedded PGlite databases under DATA_DIR, demo data on first
 * start), then the gateway in its own. Ctrl+C stops both; if one of them dies, the other is stopped
 * too, so nothing is left half-running.
 */
/** Compiled to dist/scripts/start.js: dist/ holds the entry points, its parent is the repository root. */
const distDir = path.resolve(__dirname, '..');
const root = path.resolve(distDir, '..');
const children: ChildProcess[] = [];

/** The registries' process may ask for one full collection once they are all started (demo-registries.ts). */
const DEMO_REGISTRIES_NODE_FLAGS: readonly string[] = ['--expose-gc'];

/**
 * glibc gives each thread that allocates an arena of its own, up to eight per core, and keeps what
 * they free; Node's and V8's helper threads fill several. Two suffice for a process whose work runs on
 * one thread (other C libraries ignore the variable). The user's own value wins.
 */
const DEMO_REGISTRIES_ENV: NodeJS.ProcessEnv = { MALLOC_ARENA_MAX: process.env.MALLOC_ARENA_MAX ?? '2' };
let stopping = false;

function run(name: string, script: string, env: NodeJS.ProcessEnv, flags: readonly string[] = []): ChildProcess {
  const child = spawn(process.execPath, ['--enable-source-maps', ...flags, path.join(distDir, script)], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  child.on('exit', (code, signal) => {
    if (stopping) return;
    console.error(`${name} stopped (${signal ?? `exit code ${code}`}); stopping the others.`);
    void stopAll(1);
  });
  children.push(child);
  return child;
}

async function stopAll(exitCode: number): Promise<never> {
  stopping = true;
  for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
  await Promise.all(children.map((child) => (child.exitCode === null ? new Promise((r) => child.once('exit', r)) : null)));
  process.exit(exitCode);
}

async function waitForHealth(url: string, child: ChildProcess): Promise<void> {
  // First start seeds the demo data, which takes a while for large DEMO_PERSONS.
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${url} never became healthy`);
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

async function main(): Promise<void> {
  const unsupported = nodeVersionProblem();
  if (unsupported) throw new Error(unsupported);
  process.once('SIGINT', () => void stopAll(0));
  process.once('SIGTERM', () => void stopAll(0));
  const host = process.env.HOST ?? '127.0.0.1';
  const local = host === '0.0.0.0' ? '127.0.0.1' : host;
  const gatewayUrl = `http://${local}:${process.env.PORT ?? 4000}/`;
  const subgraphUrls: Record<string, string> = {};
  const registries = run('registries', 'scripts/demo-registries.js', { ...DEMO_REGISTRIES_ENV, GATEWAY_URL: gatewayUrl }, DEMO_REGISTRIES_NODE_FLAGS);
  for (const name of SUBGRAPH_NAMES) {
    const port = Number(process.env[`${name.toUpperCase()}_PORT`] ?? DEFAULT_SUBGRAPH_PORTS[name]);
    subgraphUrls[`${name.toUpperCase()}_URL`] = `http://${local}:${port}/graphql`;
    await waitForHealth(`http://${local}:${port}/health`, registries);
  }
  run('gateway', 'gateway/main.js', subgraphUrls, GATEWAY_NODE_FLAGS);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  void stopAll(1);
});
