/**
 * A counting semaphore: at most `limit` holders at once, FIFO. The floor client models each
 * controller's worker count with one of these, so its writes run at the manager's concurrency.
 */
export class Semaphore {
  private held = 0;
  private readonly waiters: (() => void)[] = [];
  constructor(readonly limit: number) {
    if (!Number.isInteger(limit) || limit < 1)
      throw new RangeError(`semaphore limit must be a positive integer, got ${limit}`);
  }
  async run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.held >= this.limit) await new Promise<void>((r) => this.waiters.push(r));
    else this.held++;
    try {
      return await fn();
    } finally {
      const next = this.waiters.shift();
      if (next) next();
      else this.held--;
    }
  }
}
