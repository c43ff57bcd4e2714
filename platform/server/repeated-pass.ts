import type { BackgroundLog } from './subgraph-definition';

/** A pass repeated in the background until stopped (an outbox relay, a status refresher). */
export interface RepeatedPass {
  /** True once `stop` was called: a long pass checks it between its steps. */
  readonly stopped: boolean;
  /**
   * Something to do has come up in this process (a local write): a wait grown longer while passes
   * found nothing is cut back to `intervalMs`. A wait after a failure is left as it is.
   */
  wake(): void;
  /** Stops the repetition and waits for the pass under way. */
  stop(): Promise<void>;
}

/** Where the next pass is scheduled: setTimeout, unless a test steps through the passes itself. */
export interface PassTimer {
  set(run: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

const realTimer: PassTimer = {
  set: (run, ms) => setTimeout(run, ms),
  clear: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

export interface RepeatPassOptions<Result> {
  /** What repeats, for its log lines ("presence refresher"). */
  name: string;
  /** The wait after a pass that found work. */
  intervalMs: number;
  /**
   * The longest wait: after passes in a row found nothing to do, or failed, the wait doubles from
   * `intervalMs` up to this. Absent: always `intervalMs`.
   */
  maxIntervalMs?: number;
  /** Whether a pass found nothing to do; absent, every pass is taken to have found work. */
  idle?: (result: Result) => boolean;
  log: BackgroundLog;
  /** Done before the first pass (claims left by a dead process released). */
  first?: Promise<unknown>;
  /**
   * Failures in a row before the first pass that worked which are expected at start-up (what the pass
   * calls may start after it, as the gateway does after the registries): logged at info level, and the
   * failure that makes this many a warning. Absent or 0: every run of failures starts with a warning.
   */
  startupFailures?: number;
  timer?: PassTimer;
}

/** What a pass came to, for the wait before the next one. */
export type PassOutcome = 'work' | 'idle' | 'failed';

/** The wait after a pass: `intervalMs` after work, else twice the last wait, at most `maxIntervalMs`. */
export function nextWait(lastWaitMs: number, outcome: PassOutcome, intervalMs: number, maxIntervalMs: number): number {
  if (outcome === 'work') return intervalMs;
  return Math.max(intervalMs, Math.min(Math.max(lastWaitMs, intervalMs) * 2, maxIntervalMs));
}

/**
 * Runs `pass` once `first` is done, then again after each pass ends (never two at once): `intervalMs`
 * after a pass that found work, longer and longer (up to `maxIntervalMs`) while passes find nothing or
 * fail. A run of failures is logged once as a warning (again only when the error changes; the repeats
 * at debug level), and the pass that ends it once at info level, with how many failed before it; before
 * the first pass that worked, `startupFailures` of them are only noted (info), as a start's.
 */
export function repeatPass<Result>(pass: () => Promise<Result>, options: RepeatPassOptions<Result>): RepeatedPass {
  const { name, intervalMs, log } = options;
  const maxIntervalMs = Math.max(options.maxIntervalMs ?? intervalMs, intervalMs);
  const timer = options.timer ?? realTimer;
  const first = options.first ?? Promise.resolve();
  let stopped = false;
  let handle: unknown;
  let running: Promise<unknown> = Promise.resolve();
  let wait = intervalMs;
  // The wait under way grew because passes found nothing: a wake may cut it short.
  let idleWait = false;
  // Woken while a pass was under way, which may have looked before the write: the next wait is the shortest.
  let woken = false;
  let failures = 0;
  let lastWarned: string | null = null;
  let worked = false;
  const startupFailures = options.startupFailures ?? 0;

  const outcomeOf = async (): Promise<PassOutcome> => {
    try {
      const result = await first.then(pass);
      const failed = `${failures} failed ${failures === 1 ? 'pass' : 'passes'}`;
      if (failures > 0) log(worked || lastWarned !== null ? `${name} recovered after ${failed}` : `${name} running after ${failed} at start-up`, { failedPasses: failures }, 'info');
      worked = true;
      failures = 0;
      lastWarned = null;
      return options.idle?.(result) ? 'idle' : 'work';
    } catch (error) {
      failures += 1;
      const text = String(error);
      if (!worked && failures < startupFailures) {
        log(`${name} not running yet at start-up; will retry`, { error: text, failedPasses: failures }, 'info');
      } else if (text !== lastWarned) {
        log(`${name} failed; will retry`, { error: text }, 'warn');
        lastWarned = text;
      } else {
        log(`${name} failed again; will retry`, { error: text, failedPasses: failures }, 'debug');
      }
      return 'failed';
    }
  };

  const schedule = (ms: number) => {
    handle = timer.set(tick, ms);
  };
  const tick = () => {
    handle = undefined;
    running = outcomeOf().then((found) => {
      const outcome = woken && found === 'idle' ? 'work' : found;
      woken = false;
      wait = nextWait(wait, outcome, intervalMs, maxIntervalMs);
      idleWait = outcome === 'idle' && wait > intervalMs;
      if (!stopped) schedule(wait);
    });
  };
  schedule(0);
  return {
    get stopped() {
      return stopped;
    },
    wake() {
      if (stopped) return;
      if (handle === undefined) {
        woken = true;
        return;
      }
      if (!idleWait) return;
      idleWait = false;
      wait = intervalMs;
      timer.clear(handle);
      schedule(intervalMs);
    },
    async stop() {
      stopped = true;
      if (handle !== undefined) timer.clear(handle);
      await running;
    },
  };
}
