/** A pass repeated in the background until stopped (an outbox relay, a status refresher). */
export interface RepeatedPass {
  /** True once `stop` was called: a long pass checks it between its steps. */
  readonly stopped: boolean;
  /** Stops the repetition and waits for the pass under way. */
  stop(): Promise<void>;
}

/**
 * Runs `pass` once `first` is done, then again `intervalMs` after each pass ends (never two at once); a
 * pass that fails is handed to `failed` and the next one tries again.
 */
export function repeatPass(pass: () => Promise<unknown>, options: { intervalMs: number; failed: (error: unknown) => void; first?: Promise<unknown> }): RepeatedPass {
  const first = options.first ?? Promise.resolve();
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> = Promise.resolve();
  const tick = () => {
    running = first
      .then(pass)
      .catch(options.failed)
      .finally(() => {
        if (!stopped) timer = setTimeout(tick, options.intervalMs);
      });
  };
  timer = setTimeout(tick, 0);
  return {
    get stopped() {
      return stopped;
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
