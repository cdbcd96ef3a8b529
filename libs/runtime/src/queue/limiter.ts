/**
 * A counting semaphore shared by every controller of a process: with many controllers at
 * concurrency n each, the per-process limit keeps the total of reconciles in flight (and the
 * load on the API server) bounded. Waiters are served first come, first served.
 */
export class ConcurrencyLimiter {
  private active = 0;
  private readonly waiters: (() => void)[] = [];

  constructor(readonly max: number) {
    if (!Number.isInteger(max) || max < 1)
      throw new RangeError(`ConcurrencyLimiter: max must be a positive integer, got ${max}`);
  }

  /** Waits for a slot; the returned function gives it back (call it exactly once). */
  async acquire(): Promise<() => void> {
    if (this.active < this.max) {
      this.active++;
    } else {
      await new Promise<void>((r) => this.waiters.push(r));
    }
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiters.shift();
      // Hand the slot straight to the next waiter so `active` never drops below a waiter's need.
      if (next) next();
      else this.active--;
    };
  }

  inUse(): number {
    return this.active;
  }
}
