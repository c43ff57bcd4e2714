import type { PassTimer } from '../server/repeated-pass';

/** A timer the test steps through: it records each wait asked for and runs the pass when told to. */
export function steppedTimer() {
  const waits: number[] = [];
  let pending: (() => void) | null = null;
  let scheduled: () => void = () => undefined;
  const timer: PassTimer = {
    set(run, ms) {
      waits.push(ms);
      pending = run;
      scheduled();
      return run;
    },
    clear(handle) {
      if (pending === handle) pending = null;
    },
  };
  return {
    waits,
    timer,
    get pending() {
      return pending !== null;
    },
    /** Runs the scheduled pass and waits until the next one is scheduled. */
    async step(): Promise<void> {
      if (!pending) throw new Error('no pass is scheduled');
      const run = pending;
      pending = null;
      const next = new Promise<void>((resolve) => (scheduled = resolve));
      run();
      await next;
    },
  };
}
