import type { GraphQLError } from 'graphql';
import { performance } from 'node:perf_hooks';
import { retryLater } from '../feature';

/** A request waiting for an admission slot: resolved when it may start, or left when its caller went away. */
interface Waiter {
  start: () => void;
  left: boolean;
}

export interface AdmissionStats {
  /** How many requests may be at work now (adjusted between the floor and the ceiling). */
  limit: number;
  /** Requests being worked on now. */
  running: number;
  /** Requests waiting for an admission slot now. */
  waiting: number;
  /** Requests refused because the queue was full, since start. */
  refused: number;
  /** Requests that left the queue before their slot came (their caller closed the connection), since start. */
  left: number;
}

export interface AdmissionOptions {
  /** Requests at work at most (the ceiling of the limit). */
  concurrency: number;
  /** Requests at work at least, however busy the gateway (the floor of the limit); `concurrency` when absent: a fixed limit. */
  floor?: number;
  /** Requests waiting at most; beyond, refused. */
  queueLimit: number;
  /** The share of time the process was busy since the last call, 0 to 1 (the event loop's utilization when absent). */
  utilization?: () => number;
}

/**
 * The floor of the gateway's limit: requests at work however busy it is. Fewer cost more per request:
 * each waits for a state probe and an audit write of its own instead of sharing them, and its reads
 * join fewer others (README, Levers, admission).
 */
export const ADMISSION_FLOOR = 16;

/** Above this share of busy time the gateway is past what it can do: fewer at work. */
export const BUSY = 0.97;
/** Below it, with requests waiting, the processor has time to spare: more at work. */
export const SPARE = 0.93;

/** The share of time the event loop was busy since the last call (perf_hooks' event loop utilization). */
export function eventLoopUtilization(): () => number {
  let last = performance.eventLoopUtilization();
  return () => {
    const now = performance.eventLoopUtilization();
    const { utilization } = performance.eventLoopUtilization(now, last);
    last = now;
    return utilization;
  };
}

/**
 * Admission of requests to the gateway's work: a limited number at once, the others waiting in order
 * of arrival, at most `queueLimit` of them, and the rest refused at once (503 SERVER_BUSY,
 * Retry-After).
 *
 * Why: a gateway past what its processor can do would otherwise start every request it is sent and
 * share the processor among all of them. Each then takes as long as all of them together, in no fair
 * order (a request's later steps wait behind the first steps of every request that came after it),
 * and all their intermediate answers are held at once. With a bounded number at work, a request
 * waits for a slot, then runs nearly alone: latency in order of arrival, and memory bounded by the
 * number at work.
 *
 * How many: enough to keep the processor busy while some wait on the registries, and no more. That
 * number depends on the requests (a page of fifty pictures is forty times the work of a status
 * check, for the same waits), so the limit follows the event loop (`adjust`, every 100 milliseconds under
 * `watch`), between `floor` and `concurrency`: a loop busy nearly all the time has more at work than
 * it needs; one with time to spare while requests wait has fewer.
 */
export class Admission {
  private limit: number;
  private readonly floor: number;
  private readonly concurrency: number;
  private readonly queueLimit: number;
  private readonly utilization: () => number;
  private running = 0;
  /**
   * Waiters in order of arrival, from `head` on; those that left are skipped when their slot comes.
   * A started waiter's place is emptied, so that the array holds no request that has begun.
   */
  private queue: (Waiter | undefined)[] = [];
  private head = 0;
  private waiting = 0;
  /** Whether a request waited since the last adjustment. */
  private pressed = false;
  private refused = 0;
  private left = 0;

  constructor(options: AdmissionOptions) {
    const { concurrency, queueLimit, floor = concurrency } = options;
    if (!Number.isInteger(concurrency) || concurrency < 1) throw new RangeError(`concurrency must be a positive integer, not ${concurrency}`);
    if (!Number.isInteger(floor) || floor < 1 || floor > concurrency) throw new RangeError(`floor must be an integer from 1 to ${concurrency}, not ${floor}`);
    if (!Number.isInteger(queueLimit) || queueLimit < 0) throw new RangeError(`queueLimit must be a non-negative integer, not ${queueLimit}`);
    this.concurrency = concurrency;
    this.floor = floor;
    this.queueLimit = queueLimit;
    this.limit = concurrency;
    this.utilization = options.utilization ?? eventLoopUtilization();
  }

  get stats(): AdmissionStats {
    return { limit: this.limit, running: this.running, waiting: this.waiting, refused: this.refused, left: this.left };
  }

  /**
   * Waits for an admission slot. Resolves to the function that frees the slot (call it once, when its
   * answer is sent or its caller has gone). Rejects with SERVER_BUSY when the queue is full, and with
   * the signal's reason when `signal` aborts while the request waits (its caller went away).
   */
  enter(signal?: AbortSignal): Promise<() => void> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (this.running < this.limit && this.waiting === 0) {
      this.running += 1;
      return Promise.resolve(this.exit());
    }
    if (this.waiting >= this.queueLimit) {
      this.refused += 1;
      return Promise.reject(busy(this.limit, this.queueLimit));
    }
    this.pressed = true;
    return new Promise((resolve, reject) => {
      const onAbort = () => {
        waiter.left = true;
        this.waiting -= 1;
        this.left += 1;
        // Callers that come and go while no slot is freed would otherwise grow the array without bound.
        if (this.queue.length - this.head > 2 * (this.waiting + 512)) this.compact();
        reject(signal!.reason);
      };
      const waiter: Waiter = {
        left: false,
        start: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve(this.exit());
        },
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.queue.push(waiter);
      this.waiting += 1;
    });
  }

  /**
   * Moves the limit by how busy the process was since the last call: down by a fifth of the number at
   * work when busier than BUSY; up by a fifth when less busy than SPARE and requests waited meanwhile
   * (if none did, the limit held nobody back). Starts the waiters the new limit lets in.
   */
  adjust(): void {
    const busyShare = this.utilization();
    const pressed = this.pressed || this.waiting > 0;
    this.pressed = false;
    // Fewer than are at work now: while the limit is above that number, lowering it would change nothing.
    if (busyShare > BUSY) this.limit = Math.max(this.floor, Math.floor(Math.min(this.limit, this.running) * 0.8));
    else if (busyShare < SPARE && pressed) this.limit = Math.min(this.concurrency, this.limit + Math.max(1, Math.ceil(this.limit * 0.2)));
    this.startWaiters();
  }

  /** Adjusts the limit every `intervalMs` until the returned function is called; the timer keeps no process alive. */
  watch(intervalMs = 100): () => void {
    const timer = setInterval(() => this.adjust(), intervalMs);
    timer.unref();
    return () => clearInterval(timer);
  }

  /** Frees one slot: the next waiter still there starts, unless the limit was lowered below those at work. */
  private exit(): () => void {
    let ended = false;
    return () => {
      if (ended) return;
      ended = true;
      this.running -= 1;
      this.startWaiters();
    };
  }

  /** Starts waiters, in order of arrival, while fewer than the limit are at work. */
  private startWaiters(): void {
    while (this.running < this.limit) {
      const next = this.dequeue();
      if (!next) return;
      this.running += 1;
      next.start();
    }
  }

  /** Keeps only the waiters still there, in order. */
  private compact(): void {
    this.queue = this.queue.slice(this.head).filter((waiter) => waiter && !waiter.left);
    this.head = 0;
  }

  private dequeue(): Waiter | undefined {
    while (this.head < this.queue.length) {
      const waiter = this.queue[this.head]!;
      this.queue[this.head] = undefined;
      this.head += 1;
      // What is behind the head goes once it is most of the array, so that the array stays bounded.
      if (this.head > 1024 && this.head * 2 > this.queue.length) this.compact();
      if (waiter.left) continue;
      this.waiting -= 1;
      return waiter;
    }
    return undefined;
  }
}

/** Seconds a refused caller is told to wait before trying again. */
export const BUSY_RETRY_AFTER_SECONDS = 1;

function busy(atWork: number, queueLimit: number): GraphQLError {
  return retryLater('SERVER_BUSY', 503, `The gateway is at capacity (${atWork} requests at work, ${queueLimit} waiting); retry in ${BUSY_RETRY_AFTER_SECONDS} s.`, BUSY_RETRY_AFTER_SECONDS);
}
