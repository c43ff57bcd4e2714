import { spawn } from 'node:child_process';
import { openDatabase } from '../platform/db/database';
import { processMemory, processTree } from './demo-memory';

/** The demo's memory as the benchmark reads it from /proc (Linux only). */
const onLinux = process.platform === 'linux' ? describe : describe.skip;

onLinux('demo memory', () => {
  it('finds a process and its children', async () => {
    const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 20000)'], { stdio: 'ignore' });
    try {
      await new Promise((resolve) => child.once('spawn', resolve));
      expect(processTree(process.pid)).toEqual(expect.arrayContaining([process.pid, child.pid]));
      expect(processTree(child.pid!)).toEqual([child.pid]);
    } finally {
      child.kill();
    }
  });

  it("splits a process's resident memory, PGlite's WebAssembly memory apart", async () => {
    const db = await openDatabase({});
    try {
      const after = processMemory(process.pid, 'jest');
      expect(after.rssMiB).toBeGreaterThan(0);
      expect(after.wasmMiB + after.filesMiB + after.otherMiB).toBe(after.rssMiB);
      // An open PGlite database has touched pages of its WebAssembly memory. (Not compared with before it
      // opened: in a jest worker, other suites' databases are closed and collected meanwhile.)
      expect(after.wasmMiB).toBeGreaterThan(0);
      expect(after.filesMiB).toBeGreaterThan(0);
    } finally {
      await db.close();
    }
  });
});
