import { GroupCommit } from './group-commit';

describe('group commit', () => {
  it('writes the items added in one turn together, and those added during a write in the next', async () => {
    const writes: number[][] = [];
    let release: () => void = () => undefined;
    const commits = new GroupCommit<number>(async (items) => {
      writes.push(items);
      if (writes.length === 1) await new Promise<void>((resolve) => (release = resolve));
    });
    const first = [1, 2, 3].map((item) => commits.add(item));
    await new Promise((resolve) => setImmediate(resolve));
    const second = [4, 5].map((item) => commits.add(item));
    release();
    await Promise.all([...first, ...second]);
    expect(writes).toEqual([[1, 2, 3], [4, 5]]);
  });

  it('writes together the items of callers woken in one turn of the event loop (requests read at once), each from its own callback', async () => {
    const writes: number[][] = [];
    const commits = new GroupCommit<number>(async (items) => void writes.push(items));
    // As I/O callbacks run: one after the other, their promises settled in between.
    await Promise.all([1, 2, 3].map((item) => new Promise((resolve) => setImmediate(() => resolve(commits.add(item))))));
    expect(writes).toEqual([[1, 2, 3]]);
  });

  it('fails the callers of a failed write only, and goes on', async () => {
    let calls = 0;
    const commits = new GroupCommit<string>(async () => {
      calls += 1;
      if (calls === 1) throw new Error('disk full');
    });
    const failed = commits.add('a');
    await expect(failed).rejects.toThrow('disk full');
    await expect(commits.add('b')).resolves.toBeUndefined();
  });

  it('never writes more than its batch size at once', async () => {
    const sizes: number[] = [];
    const commits = new GroupCommit<number>(async (items) => void sizes.push(items.length), { maxBatch: 4 });
    await Promise.all(Array.from({ length: 10 }, (_, i) => commits.add(i)));
    expect(sizes).toEqual([4, 4, 2]);
  });

  it('keeps a write within its size, an item larger than it alone', async () => {
    const writes: number[][] = [];
    const commits = new GroupCommit<number>(async (items) => void writes.push(items), { maxSize: 10, sizeOf: (item) => item });
    await Promise.all([4, 5, 3, 12, 2, 9, 1].map((item) => commits.add(item)));
    expect(writes).toEqual([[4, 5], [3], [12], [2], [9, 1]]);
  });

  describe('lingering under load (lingerMs)', () => {
    it('at rest a write starts at once: a lone caller does not wait for the linger', async () => {
      const writes: number[][] = [];
      // An hour's linger: if a lone item waited for it, this test would time out.
      const commits = new GroupCommit<number>(async (items) => void writes.push(items), { lingerMs: 3_600_000 });
      await commits.add(1);
      await commits.add(2);
      expect(writes).toEqual([[1], [2]]);
    });

    it('after a write of several items, the next waits, and the items arriving meanwhile join it', async () => {
      const writes: number[][] = [];
      const commits = new GroupCommit<number>(async (items) => void writes.push(items), { lingerMs: 200 });
      await Promise.all([commits.add(1), commits.add(2)]);
      const third = commits.add(3);
      // Due before the linger ends, so it fires first however busy the machine is.
      await new Promise((resolve) => setTimeout(resolve, 20));
      await Promise.all([third, commits.add(4)]);
      expect(writes).toEqual([[1, 2], [3, 4]]);
      // That write carried two items too; once a write carries one, the next starts at once again.
      await commits.add(5);
      await commits.add(6);
      expect(writes).toEqual([[1, 2], [3, 4], [5], [6]]);
    });

    it('when items come in one at a time while each write is under way, the next write waits for more', async () => {
      const writes: number[][] = [];
      // Each write takes a while, as a POST to the audit log does.
      const commits = new GroupCommit<number>(async (items) => {
        writes.push(items);
        await new Promise((resolve) => setTimeout(resolve, 30));
      }, { lingerMs: 300 });
      const first = commits.add(1);
      // Arrives during the first write: the second write lingers, and the item after joins it.
      await new Promise((resolve) => setTimeout(resolve, 10));
      const second = commits.add(2);
      await new Promise((resolve) => setTimeout(resolve, 60));
      await Promise.all([first, second, commits.add(3)]);
      expect(writes).toEqual([[1], [2, 3]]);
    });

    it('without lingerMs, a write after a busy one starts at once', async () => {
      const writes: number[][] = [];
      const commits = new GroupCommit<number>(async (items) => void writes.push(items));
      await Promise.all([commits.add(1), commits.add(2)]);
      const third = commits.add(3);
      await new Promise((resolve) => setTimeout(resolve, 20));
      await Promise.all([third, commits.add(4)]);
      expect(writes).toEqual([[1, 2], [3], [4]]);
    });
  });
});
