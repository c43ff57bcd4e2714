import { describeRegistryGc, describeThreads } from './gateways.bench';
import { threadCpuMs } from './processes';
import type { Slice } from './report';

describe("a process's CPU by thread", () => {
  it('names the main thread main and adds up the others by name', () => {
    const start = threadCpuMs(process.pid)!;
    const until = Date.now() + 120;
    while (Date.now() < until); // busy on the main thread
    const after = threadCpuMs(process.pid)!;
    expect(Object.keys(after)).toContain('main');
    expect(after.main - start.main).toBeGreaterThanOrEqual(50);
    expect(Object.values(after).every((ms) => Number.isFinite(ms) && ms >= 0)).toBe(true);
  });

  it('is null for a process that is not there', () => {
    expect(threadCpuMs(2 ** 30)).toBeNull();
  });

  it("prints the turns' CPU by thread a request sent, the dearest first", () => {
    const turn = (requests: number, threads: Record<string, number> | null) => ({ whole: { requests, serverThreadsCpuMs: threads } }) as unknown as Slice;
    expect(describeThreads([turn(100, { main: 120, 'V8 DefaultWorke': 30 }), turn(100, { main: 80, 'V8 DefaultWorke': 50, 'libuv-worker': 2 })])).toBe('main 1, V8 DefaultWorke 0.4, libuv-worker 0.01');
    expect(describeThreads([turn(100, null)])).toBe('not read');
  });
});

describe("the registries' garbage collection over turns", () => {
  const turn = (requests: number, gc: { allMs: number; majorMs: number } | null) => ({ whole: { requests, registryGcMs: gc } }) as unknown as Slice;

  it('prints what the turns collected a request sent, and the full collections among it', () => {
    expect(describeRegistryGc([turn(100, { allMs: 130, majorMs: 40 }), turn(100, { allMs: 70, majorMs: 20 }), turn(50, null)])).toBe('0.8 (full 0.24)');
  });

  it('says so when nothing was read', () => {
    expect(describeRegistryGc([turn(100, null)])).toBe('not read');
    expect(describeRegistryGc([turn(0, { allMs: 1, majorMs: 1 })])).toBe('not read');
  });
});
