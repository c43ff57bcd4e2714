import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';

/**
 * The benchmark's child processes: each server runs as its own process on 127.0.0.1, so its memory is
 * its own and the load generator is outside it. Every child is stopped when the benchmark ends,
 * however it ends.
 */
export interface Server {
  name: string;
  child: ChildProcess;
  /** The last lines it printed, for the error message when it dies. */
  output: string[];
}

const running = new Set<Server>();

export function startServer(name: string, args: string[], options: { env: NodeJS.ProcessEnv; cwd?: string; quiet?: boolean }): Server {
  const child = spawn(process.execPath, args, { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
  const server: Server = { name, child, output: [] };
  const keep = (chunk: Buffer) => {
    for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) {
      server.output.push(line);
      if (server.output.length > 40) server.output.shift();
      if (!options.quiet) console.log(`  [${name}] ${line.slice(0, 300)}`);
    }
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  child.on('exit', () => running.delete(server));
  running.add(server);
  return server;
}

export async function stopServer(server: Server): Promise<void> {
  if (server.child.exitCode !== null || server.child.signalCode !== null) return;
  const exited = new Promise((resolve) => server.child.once('exit', resolve));
  server.child.kill('SIGTERM');
  const timer = setTimeout(() => server.child.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(timer);
}

export async function stopAll(): Promise<void> {
  await Promise.all([...running].map(stopServer));
}

// Whatever happens, no server outlives the benchmark.
process.on('exit', () => {
  for (const server of running) server.child.kill('SIGKILL');
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    console.error(`${signal}: stopping the benchmark's servers`);
    void stopAll().finally(() => process.exit(130));
  });
}

/** Polls until `ready` answers true; fails when the server dies or the time runs out. */
export async function waitUntil(server: Server, ready: () => Promise<boolean>, timeoutMs: number, intervalMs = 250): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (server.child.exitCode !== null || server.child.signalCode !== null) {
      throw new Error(`${server.name} stopped (${server.child.signalCode ?? `exit code ${server.child.exitCode}`}):\n${server.output.join('\n')}`);
    }
    if (await ready().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`${server.name} was not ready in ${timeoutMs / 1000} s:\n${server.output.join('\n')}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

export { freePort } from '../platform/testing/free-port';

/**
 * Peak resident memory of a process (VmHWM, MiB) since it started or since the last resetPeakMemory.
 * Linux only; null elsewhere.
 */
export function peakMemoryMiB(pid: number): number | null {
  try {
    const match = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Math.round(Number(match[1]) / 1024) : null;
  } catch {
    return null;
  }
}

/** Starts a new peak for peakMemoryMiB (writing 5 to clear_refs resets VmHWM to the current RSS). */
export function resetPeakMemory(pid: number): boolean {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
    return true;
  } catch {
    return false;
  }
}

/**
 * CPU time (user + system, ms) a process's threads have used so far: its main thread (`main`), and the
 * others by their name, those of one name added up. Node 20 names none of its own, so V8's helpers
 * (the concurrent and parallel parts of garbage collection, compiling) and libuv's workers all come
 * under the process's name (`node`). Null when it cannot be read (not Linux); a thread ended
 * meanwhile is no longer counted.
 */
export function threadCpuMs(pid: number): Record<string, number> | null {
  try {
    const byName: Record<string, number> = {};
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
      const name = Number(tid) === pid ? 'main' : stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      byName[name] = (byName[name] ?? 0) + ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
    }
    return byName;
  } catch {
    return null;
  }
}

/** CPU time (user + system, ms) a process has used so far; null when it cannot be read (not Linux). */
export function cpuMs(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The fields after the command name (which may hold spaces), from field 3 on: utime is 14, stime 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticksPerSecond = 100; // USER_HZ, 100 on Linux
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / ticksPerSecond;
  } catch {
    return null;
  }
}

/** CPU time (ms) the whole machine has spent busy so far, all cores together (/proc/stat); null elsewhere. */
export function machineBusyMs(): number | null {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n')[0];
    const [user, nice, system, , , irq, softirq, steal] = line.trim().split(/\s+/).slice(1).map(Number);
    return ((user + nice + system + irq + softirq + steal) * 1000) / 100;
  } catch {
    return null;
  }
}
