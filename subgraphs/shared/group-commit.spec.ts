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
    const commits = new GroupCommit<number>(async (items) => void sizes.push(items.length), 4);
    await Promise.all(Array.from({ length: 10 }, (_, i) => commits.add(i)));
    expect(sizes).toEqual([4, 4, 2]);
  });
});
