import { ByOperationText } from './by-operation-text';

describe('ByOperationText', () => {
  it('keeps values under a text and the rest, and counts them', () => {
    const kept = new ByOperationText<number>();
    kept.set('query A { a }', 'x', 1);
    kept.set('query A { a }', 'y', 2);
    kept.set('query B { b }', 'x', 3);
    kept.set('query A { a }', 'x', 4);
    expect(kept.size).toBe(3);
    expect(kept.get('query A { a }', 'x')).toBe(4);
    // The same text made afresh finds what was kept under it.
    expect(kept.get(['query A', '{ a }'].join(' '), 'y')).toBe(2);
    expect(kept.get('query B { b }', 'y')).toBeUndefined();
    expect([...kept.values()]).toEqual([4, 2, 3]);
  });

  it('forgets a value deleted, a text with none left, and everything when cleared', () => {
    const kept = new ByOperationText<string>();
    kept.set('t', 'a', 'one');
    kept.set('t', 'b', 'two');
    kept.delete('t', 'a');
    kept.delete('t', 'missing');
    kept.delete('other', 'a');
    expect(kept.size).toBe(1);
    kept.delete('t', 'b');
    expect([kept.size, [...kept.values()]]).toEqual([0, []]);
    kept.set('t', 'a', 'again');
    kept.clear();
    expect([kept.size, kept.get('t', 'a')]).toEqual([0, undefined]);
  });
});
