import { nextWait, repeatPass } from './repeated-pass';
import { steppedTimer } from '../testing/stepped-timer';

type Logged = [level: string, message: string, detail: Record<string, unknown> | undefined];

/** A pass that answers from a script: 'work', 'idle', or an error to throw. */
function scripted(script: ('work' | 'idle' | Error)[]) {
  let index = 0;
  return async () => {
    const next = script[index++] ?? 'idle';
    if (next instanceof Error) throw next;
    return { evaluated: next === 'work' ? 1 : 0 };
  };
}

const idle = (result: { evaluated: number }) => result.evaluated === 0;

describe('a repeated pass', () => {
  it('waits longer and longer while passes find nothing, up to the cap, and goes back to the interval when one finds work', async () => {
    const stepped = steppedTimer();
    const passes = repeatPass(scripted(['idle', 'idle', 'idle', 'idle', 'idle', 'work', 'idle', 'work']), {
      name: 'refresher', intervalMs: 1000, maxIntervalMs: 10_000, idle, log: () => undefined, timer: stepped.timer,
    });
    for (let n = 0; n < 8; n += 1) await stepped.step();
    // The first pass at once; then 2, 4, 8 s, capped at 10 s; work brings back 1 s.
    expect(stepped.waits).toEqual([0, 2000, 4000, 8000, 10_000, 10_000, 1000, 2000, 1000]);
    await passes.stop();
    expect(stepped.pending).toBe(false);
  });

  it('keeps the interval when it is not told what an idle pass is, or has no cap above it', async () => {
    for (const options of [{ maxIntervalMs: 10_000 }, { idle }]) {
      const stepped = steppedTimer();
      const passes = repeatPass(scripted(['idle', 'idle', 'idle']), { name: 'relay', intervalMs: 250, log: () => undefined, timer: stepped.timer, ...options });
      for (let n = 0; n < 3; n += 1) await stepped.step();
      expect(stepped.waits).toEqual([0, 250, 250, 250]);
      await passes.stop();
    }
  });

  it('logs the first failure of a run as a warning, the same failure repeated at debug level, and the recovery once with the count', async () => {
    const stepped = steppedTimer();
    const logged: Logged[] = [];
    const down = new Error('fetch failed');
    const passes = repeatPass(scripted([down, down, down, new Error('bad gateway'), 'idle', 'work', down, 'idle']), {
      name: 'presence refresher',
      intervalMs: 1000,
      maxIntervalMs: 10_000,
      idle,
      log: (message, detail, level = 'warn') => logged.push([level, message, detail]),
      timer: stepped.timer,
    });
    for (let n = 0; n < 8; n += 1) await stepped.step();
    expect(logged).toEqual([
      ['warn', 'presence refresher failed; will retry', { error: 'Error: fetch failed' }],
      ['debug', 'presence refresher failed again; will retry', { error: 'Error: fetch failed', failedPasses: 2 }],
      ['debug', 'presence refresher failed again; will retry', { error: 'Error: fetch failed', failedPasses: 3 }],
      // Another error is news: a warning again.
      ['warn', 'presence refresher failed; will retry', { error: 'Error: bad gateway' }],
      ['info', 'presence refresher recovered after 4 failed passes', { failedPasses: 4 }],
      // A new run of failures starts with a warning.
      ['warn', 'presence refresher failed; will retry', { error: 'Error: fetch failed' }],
      ['info', 'presence refresher recovered after 1 failed pass', { failedPasses: 1 }],
    ]);
    // Retries wait longer too, up to the cap; the idle pass after them goes on from there.
    expect(stepped.waits).toEqual([0, 2000, 4000, 8000, 10_000, 10_000, 1000, 2000, 4000]);
    await passes.stop();
  });

  it('notes the failures of a start before its first pass that worked, and warns at startupFailures', async () => {
    const run = async (script: ('work' | 'idle' | Error)[]) => {
      const stepped = steppedTimer();
      const logged: Logged[] = [];
      const passes = repeatPass(scripted(script), {
        name: 'presence refresher', intervalMs: 1000, maxIntervalMs: 10_000, idle, startupFailures: 3, timer: stepped.timer,
        log: (message, detail, level = 'warn') => logged.push([level, message, detail]),
      });
      for (let n = 0; n < script.length; n += 1) await stepped.step();
      await passes.stop();
      return logged;
    };
    const down = new Error('fetch failed');
    // The gateway up by the third pass: no warning. Once a pass has worked, a failure is a warning at once.
    expect(await run([down, down, 'work', down, 'idle'])).toEqual([
      ['info', 'presence refresher not running yet at start-up; will retry', { error: 'Error: fetch failed', failedPasses: 1 }],
      ['info', 'presence refresher not running yet at start-up; will retry', { error: 'Error: fetch failed', failedPasses: 2 }],
      ['info', 'presence refresher running after 2 failed passes at start-up', { failedPasses: 2 }],
      ['warn', 'presence refresher failed; will retry', { error: 'Error: fetch failed' }],
      ['info', 'presence refresher recovered after 1 failed pass', { failedPasses: 1 }],
    ]);
    // Still failing at the third: a warning, then as any run of failures.
    expect(await run([down, down, down, down, 'idle'])).toEqual([
      ['info', 'presence refresher not running yet at start-up; will retry', { error: 'Error: fetch failed', failedPasses: 1 }],
      ['info', 'presence refresher not running yet at start-up; will retry', { error: 'Error: fetch failed', failedPasses: 2 }],
      ['warn', 'presence refresher failed; will retry', { error: 'Error: fetch failed' }],
      ['debug', 'presence refresher failed again; will retry', { error: 'Error: fetch failed', failedPasses: 4 }],
      ['info', 'presence refresher recovered after 4 failed passes', { failedPasses: 4 }],
    ]);
  });

  it('is woken out of an idle wait back to the interval, but not out of a wait after a failure', async () => {
    const stepped = steppedTimer();
    const passes = repeatPass(scripted(['idle', 'idle', new Error('down'), 'idle']), {
      name: 'refresher', intervalMs: 1000, maxIntervalMs: 10_000, idle, log: () => undefined, timer: stepped.timer,
    });
    await stepped.step();
    await stepped.step();
    expect(stepped.waits).toEqual([0, 2000, 4000]);
    passes.wake();
    // The 4 s wait is replaced by the interval; a second wake changes nothing more.
    passes.wake();
    expect(stepped.waits).toEqual([0, 2000, 4000, 1000]);
    await stepped.step();
    expect(stepped.waits).toEqual([0, 2000, 4000, 1000, 2000]);
    passes.wake();
    expect(stepped.waits).toEqual([0, 2000, 4000, 1000, 2000]);
    await passes.stop();
  });

  it('takes a wake during a pass as work for that pass: the write may have come after it looked', async () => {
    const stepped = steppedTimer();
    let passes: ReturnType<typeof repeatPass> | undefined;
    let wakeDuringPass = false;
    passes = repeatPass(
      async () => {
        if (wakeDuringPass) passes!.wake();
        return { evaluated: 0 };
      },
      { name: 'refresher', intervalMs: 1000, maxIntervalMs: 10_000, idle, log: () => undefined, timer: stepped.timer },
    );
    await stepped.step();
    await stepped.step();
    wakeDuringPass = true;
    await stepped.step();
    expect(stepped.waits).toEqual([0, 2000, 4000, 1000]);
    await passes.stop();
  });

  it('schedules nothing once stopped, and waits for the pass under way', async () => {
    const stepped = steppedTimer();
    let finish: () => void = () => undefined;
    let started: () => void = () => undefined;
    const passStarted = new Promise<void>((resolve) => (started = resolve));
    let finished = false;
    const passes = repeatPass(
      () =>
        new Promise<void>((resolve) => {
          finish = () => {
            finished = true;
            resolve();
          };
          started();
        }),
      { name: 'refresher', intervalMs: 1000, log: () => undefined, timer: stepped.timer },
    );
    // The pass never ends by itself, so the next one is never scheduled: step() is not awaited.
    void stepped.step();
    await passStarted;
    const stopping = passes.stop();
    expect(passes.stopped).toBe(true);
    finish();
    await stopping;
    expect(finished).toBe(true);
    expect(stepped.pending).toBe(false);
    expect(stepped.waits).toEqual([0]);
  });
});

describe('nextWait', () => {
  it.each([
    [1000, 'work', 1000],
    [8000, 'work', 1000],
    [1000, 'idle', 2000],
    [6000, 'idle', 10_000],
    [10_000, 'failed', 10_000],
    [0, 'failed', 2000],
  ] as const)('after a wait of %i ms and a pass that came to %s: %i ms', (last, outcome, expected) => {
    expect(nextWait(last, outcome, 1000, 10_000)).toBe(expected);
  });
});
