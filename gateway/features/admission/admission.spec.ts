import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { GraphQLError } from 'graphql';
import { Admission, BUSY, SPARE } from './admission';

const turn = () => new Promise((resolve) => setImmediate(resolve));

describe('Admission', () => {
  it('lets `concurrency` requests work at once and starts the others in order of arrival as turns end', async () => {
    const admission = new Admission({ concurrency: 2, queueLimit: 10 });
    const started: number[] = [];
    const ends: (() => void)[] = [];
    const entering = [0, 1, 2, 3, 4].map((n) =>
      admission.enter().then((end) => {
        started.push(n);
        ends[n] = end;
      }),
    );
    await turn();
    expect(started).toEqual([0, 1]);
    expect(admission.stats).toEqual({ limit: 2, running: 2, waiting: 3, refused: 0, left: 0 });
    ends[1]();
    await turn();
    expect(started).toEqual([0, 1, 2]);
    ends[0]();
    ends[2]();
    await turn();
    expect(started).toEqual([0, 1, 2, 3, 4]);
    ends[3]();
    ends[4]();
    await Promise.all(entering);
    expect(admission.stats).toMatchObject({ running: 0, waiting: 0, refused: 0, left: 0 });
  });

  it('refuses at once, with 503 SERVER_BUSY and Retry-After, when the queue is full', async () => {
    const admission = new Admission({ concurrency: 1, queueLimit: 1 });
    const end = await admission.enter();
    const waiting = admission.enter();
    const refusal = await admission.enter().catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(GraphQLError);
    const { extensions } = refusal as GraphQLError;
    expect(extensions.code).toBe('SERVER_BUSY');
    const http = extensions.http as unknown as { status: number; headers: Map<string, string> };
    expect(http.status).toBe(503);
    expect(http.headers.get('retry-after')).toBe('1');
    expect(admission.stats).toMatchObject({ running: 1, waiting: 1, refused: 1 });
    end();
    (await waiting)();
    expect(admission.stats).toMatchObject({ running: 0, waiting: 0 });
  });

  it('refuses every request that would wait when the queue holds none', async () => {
    const admission = new Admission({ concurrency: 1, queueLimit: 0 });
    const end = await admission.enter();
    await expect(admission.enter()).rejects.toMatchObject({ extensions: { code: 'SERVER_BUSY' } });
    end();
    (await admission.enter())();
  });

  it('skips a request whose caller left while it waited, and frees its place in the queue at once', async () => {
    const admission = new Admission({ concurrency: 1, queueLimit: 1 });
    const end = await admission.enter();
    const gone = new AbortController();
    const leaving = admission.enter(gone.signal);
    gone.abort(new Error('caller gone'));
    await expect(leaving).rejects.toThrow('caller gone');
    expect(admission.stats).toMatchObject({ running: 1, waiting: 0, refused: 0, left: 1 });
    const next = admission.enter();
    end();
    const endNext = await next;
    expect(admission.stats).toMatchObject({ running: 1, waiting: 0 });
    endNext();
    expect(admission.stats).toMatchObject({ running: 0, waiting: 0 });
  });

  it('refuses a request whose caller is already gone, and does not let an abort after the start matter', async () => {
    const admission = new Admission({ concurrency: 1, queueLimit: 1 });
    const gone = new AbortController();
    gone.abort(new Error('already gone'));
    await expect(admission.enter(gone.signal)).rejects.toThrow('already gone');
    const later = new AbortController();
    const end = await admission.enter(later.signal);
    later.abort();
    expect(admission.stats).toMatchObject({ running: 1, left: 0 });
    end();
    expect(admission.stats).toMatchObject({ running: 0 });
  });

  it('releases a slot once, however often it is released', async () => {
    const admission = new Admission({ concurrency: 1, queueLimit: 5 });
    const end = await admission.enter();
    const second = admission.enter();
    const third = admission.enter();
    end();
    end();
    await second;
    expect(admission.stats).toMatchObject({ running: 1, waiting: 1 });
    (await second)();
    (await third)();
    expect(admission.stats).toMatchObject({ running: 0, waiting: 0 });
  });

  it('keeps the order of arrival through a long queue, with many callers leaving it', async () => {
    const admission = new Admission({ concurrency: 1, queueLimit: 5000 });
    const first = await admission.enter();
    const started: number[] = [];
    const controllers: AbortController[] = [];
    const entering = Array.from({ length: 3000 }, (_, n) => {
      controllers[n] = new AbortController();
      return admission.enter(controllers[n].signal).then(
        (end) => {
          started.push(n);
          end();
        },
        () => undefined,
      );
    });
    for (let n = 0; n < 3000; n += 3) controllers[n].abort();
    first();
    await Promise.all(entering);
    const expected = Array.from({ length: 3000 }, (_, n) => n).filter((n) => n % 3 !== 0);
    expect(started).toEqual(expected);
    expect(admission.stats).toMatchObject({ running: 0, waiting: 0, refused: 0, left: 1000 });
  });

  describe('the limit follows how busy the gateway is', () => {
    /** An admission whose busy share the test sets, with `waiters` requests waiting behind `concurrency` at work. */
    const loaded = async (options: { concurrency: number; floor: number }, waiters: number) => {
      let share = 0;
      const admission = new Admission({ ...options, queueLimit: 1000, utilization: () => share });
      const ends: (() => void)[] = [];
      const entering = Array.from({ length: options.concurrency + waiters }, () => admission.enter().then((end) => void ends.push(end)));
      await turn();
      return { admission, ends, entering, busy: (value: number) => (share = value) };
    };

    it('lowers the limit by a fifth per adjustment while the loop is saturated and requests wait, down to the floor', async () => {
      const { admission, ends, busy } = await loaded({ concurrency: 20, floor: 4 }, 30);
      busy(BUSY + 0.01);
      admission.adjust();
      expect(admission.stats.limit).toBe(16);
      for (let i = 0; i < 10; i += 1) admission.adjust();
      expect(admission.stats.limit).toBe(4);
      // Turns that end above the limit are not handed on: the number at work falls to the limit.
      for (const end of ends.splice(0, 16)) end();
      await turn();
      expect(admission.stats).toMatchObject({ running: 4, waiting: 30 });
    });

    it('raises it by a fifth while the loop has time to spare and requests wait, starting waiters at once, up to the ceiling', async () => {
      const { admission, ends, busy } = await loaded({ concurrency: 20, floor: 4 }, 30);
      busy(1);
      for (let i = 0; i < 10; i += 1) admission.adjust();
      for (const end of ends.splice(0)) end();
      await turn();
      expect(admission.stats).toMatchObject({ limit: 4, running: 4, waiting: 26 });
      busy(SPARE - 0.01);
      admission.adjust();
      await turn();
      expect(admission.stats).toMatchObject({ limit: 5, running: 5, waiting: 25 });
      for (let i = 0; i < 20; i += 1) admission.adjust();
      await turn();
      expect(admission.stats).toMatchObject({ limit: 20, running: 20, waiting: 10 });
    });

    it('lowers it from the number at work when that is below the limit, whether or not requests wait', async () => {
      // 10 at work of 64 allowed: the next limit is a fifth below 10.
      const sparse = new Admission({ concurrency: 64, floor: 4, queueLimit: 10, utilization: () => 1 });
      const ends = await Promise.all(Array.from({ length: 10 }, () => sparse.enter()));
      sparse.adjust();
      expect(sparse.stats).toMatchObject({ limit: 8, running: 10, waiting: 0 });
      for (const end of ends) end();
      expect(sparse.stats.running).toBe(0);
    });

    it('keeps the limit between the two shares, and does not raise it when no request waited', async () => {
      const { admission, ends, busy } = await loaded({ concurrency: 10, floor: 2 }, 1);
      busy((BUSY + SPARE) / 2);
      admission.adjust();
      expect(admission.stats.limit).toBe(10);
      busy(1);
      admission.adjust();
      expect(admission.stats.limit).toBe(8);
      for (const end of ends.splice(0)) end();
      await turn();
      for (const end of ends.splice(0)) end();
      expect(admission.stats).toMatchObject({ running: 0, waiting: 0 });
      // Nobody waited since: a loop with time to spare does not raise it.
      busy(0);
      admission.adjust();
      expect(admission.stats.limit).toBe(8);
    });

    it('adjusts on a timer that keeps no process alive', async () => {
      let calls = 0;
      const admission = new Admission({ concurrency: 8, floor: 2, queueLimit: 10, utilization: () => ((calls += 1), 1) });
      const stop = admission.watch(5);
      await new Promise((resolve) => setTimeout(resolve, 60));
      stop();
      const seen = calls;
      expect(seen).toBeGreaterThan(0);
      await new Promise((resolve) => setTimeout(resolve, 30));
      expect(calls).toBe(seen);
    });
  });

  it('keeps no trace of callers that came and went while no turn ended', async () => {
    const admission = new Admission({ concurrency: 1, queueLimit: 10 });
    const end = await admission.enter();
    const staying = admission.enter();
    for (let n = 0; n < 5000; n += 1) {
      const gone = new AbortController();
      const entering = admission.enter(gone.signal).catch(() => undefined);
      gone.abort();
      await entering;
    }
    expect((admission as unknown as { queue: unknown[]; head: number }).queue.length).toBeLessThan(2000);
    expect(admission.stats).toMatchObject({ running: 1, waiting: 1, left: 5000 });
    end();
    (await staying)();
    expect(admission.stats).toMatchObject({ running: 0, waiting: 0 });
  });

  it('holds no request that has started: the queue lets go of each waiter as its turn comes', async () => {
    const admission = new Admission({ concurrency: 1, queueLimit: 10 });
    const end = await admission.enter();
    const signals: WeakRef<AbortSignal>[] = [];
    const waiting: Promise<() => void>[] = [];
    // Each waiter keeps its caller's signal (it stops listening when it starts): a live signal means a kept waiter.
    // Made in a function of their own, so that no variable of this test holds the last one.
    const enter = () => {
      const signal = new AbortController().signal;
      signals.push(new WeakRef(signal));
      waiting.push(admission.enter(signal));
    };
    for (let n = 0; n < 5; n += 1) enter();
    end();
    for (const entering of waiting.splice(0)) (await entering)();
    await new Promise((resolve) => setImmediate(resolve));
    collectGarbage();
    expect(signals.filter((signal) => signal.deref() !== undefined)).toHaveLength(0);
    expect(admission.stats).toMatchObject({ running: 0, waiting: 0 });
  });

  it.each([
    [0, 1],
    [1.5, 1],
    [1, -1],
  ])('refuses concurrency %p with a queue of %p', (concurrency, queueLimit) => {
    expect(() => new Admission({ concurrency, queueLimit })).toThrow(RangeError);
  });

  it('refuses a floor above the ceiling', () => {
    expect(() => new Admission({ concurrency: 4, floor: 5, queueLimit: 1 })).toThrow(RangeError);
  });
});

/** A full garbage collection, as `node --expose-gc` offers it, asked for from inside the test. */
function collectGarbage(): void {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}
