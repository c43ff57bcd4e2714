/**
 * Group commit: items added while a write is under way are written together by the next one, so
 * one write (a transaction, a request) serves many callers as the load rises, and each caller's
 * promise settles only when its own item is written (or its write failed).
 */
export class GroupCommit<T> {
  private readonly queue: { item: T; done(error?: unknown): void }[] = [];
  private writing: Promise<void> | null = null;

  constructor(
    private readonly write: (items: T[]) => Promise<void>,
    private readonly maxBatch = 500,
  ) {}

  add(item: T): Promise<void> {
    return new Promise((resolve, reject) => {
      this.queue.push({ item, done: (error) => (error === undefined ? resolve() : reject(error)) });
      this.writing ??= this.drain();
    });
  }

  private async drain(): Promise<void> {
    // Let the items added in the same turn (a batch received at once) join the first write.
    await Promise.resolve();
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, this.maxBatch);
      try {
        await this.write(batch.map((pending) => pending.item));
        for (const pending of batch) pending.done();
      } catch (error) {
        for (const pending of batch) pending.done(error ?? new Error('write failed'));
      }
    }
    this.writing = null;
  }
}
