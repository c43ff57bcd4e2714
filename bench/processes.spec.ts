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
  const turn = (requests: number, gc: { allMs: number; majorMs: number; collectedMs: number } | null) => ({ whole: { requests, registryGcMs: gc } }) as unknown as Slice;

  it('prints what the turns collected a request sent, the full collections after them apart', () => {
    // 300 ms over 200 requests, 100 of it the two end-of-turn collections; of the 200 in the turns, 60 full.
    expect(describeRegistryGc([turn(100, { allMs: 180, majorMs: 90, collectedMs: 50 }), turn(100, { allMs: 120, majorMs: 70, collectedMs: 50 })])).toBe('1 (full 0.3), at the end 0.5');
  });

  it('says so when nothing was read', () => {
    expect(describeRegistryGc([turn(100, null)])).toBe('not read');
    expect(describeRegistryGc([turn(0, { allMs: 1, majorMs: 1, collectedMs: 1 })])).toBe('not read');
  });
});
