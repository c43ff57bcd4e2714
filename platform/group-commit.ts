export interface GroupCommitOptions<T> {
  /** The most items one write takes (default 500). */
  maxBatch?: number;
  /**
   * The most one write takes by `sizeOf` (say, bytes): items are taken while they fit, and an item
   * larger than this alone is written alone. Default: no bound.
   */
  maxSize?: number;
  sizeOf?: (item: T) => number;
  /**
   * Under load, how long a write waits for more items before it starts (default 0: at once). Load is
   * read from the writes before: items that came in while a write was under way, or a last write that
   * carried more than one, mean callers are arriving faster than writes finish. At rest a write never
   * waits, so a lone caller pays nothing; under load each caller may wait up to this long, and each
   * write carries more items.
   */
  lingerMs?: number;
}

/**
 * Group commit: items added in the same turn of the event loop, or while a write is under way, are
 * written together by one write, so one write (a transaction, a request) serves many callers as the
 * load rises, and each caller's promise settles only when its own item is written (or its write
 * failed).
 */
export class GroupCommit<T> {
  private readonly queue: { item: T; done(error?: unknown): void }[] = [];
  private writing: Promise<void> | null = null;
  private readonly maxBatch: number;
  private readonly lingerMs: number;
  private readonly maxSize: number;
  private readonly sizeOf: (item: T) => number;
  /** Items in the last write. */
  private lastBatch = 0;

  constructor(
    private readonly write: (items: T[]) => Promise<void>,
    options: GroupCommitOptions<T> = {},
  ) {
    this.maxBatch = options.maxBatch ?? 500;
    this.lingerMs = options.lingerMs ?? 0;
    this.maxSize = options.maxSize ?? Infinity;
    this.sizeOf = options.sizeOf ?? (() => 0);
  }

  add(item: T): Promise<void> {
    return new Promise((resolve, reject) => {
      this.queue.push({ item, done: (error) => (error === undefined ? resolve() : reject(error)) });
      this.writing ??= this.drain();
    });
  }

  private async drain(): Promise<void> {
    // Items waiting after a write of this drain came in while it was under way.
    let busy = false;
    while (this.queue.length > 0) {
      // Before each write, let the event loop read what has arrived: the items of requests already
      // received join this write. A write that holds the thread (PGlite runs in it) would otherwise
      // see one request's items per write however many wait in the sockets.
      await new Promise((resolve) => setImmediate(resolve));
      if (this.lingerMs > 0 && (busy || this.lastBatch > 1) && this.queue.length < this.maxBatch) {
        await new Promise((resolve) => setTimeout(resolve, this.lingerMs));
      }
      const batch = this.queue.splice(0, this.fitting());
      this.lastBatch = batch.length;
      busy = true;
      try {
        await this.write(batch.map((pending) => pending.item));
        for (const pending of batch) pending.done();
      } catch (error) {
        for (const pending of batch) pending.done(error ?? new Error('write failed'));
      }
    }
    this.writing = null;
  }

  /** How many of the queue's first items one write takes: at most maxBatch, and maxSize unless the first alone is larger. */
  private fitting(): number {
    let count = 0;
    let size = 0;
    while (count < this.queue.length && count < this.maxBatch) {
      size += this.sizeOf(this.queue[count]!.item);
      if (count > 0 && size > this.maxSize) break;
      count += 1;
    }
    return count;
  }
}
