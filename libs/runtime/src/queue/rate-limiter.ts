/**
 * Per-key exponential backoff, as client-go's ItemExponentialFailureRateLimiter: the n-th
 * consecutive failure of a key waits base·2ⁿ⁻¹ (5 ms, 10 ms, 20 ms … capped at 1000 s). A
 * success must call `forget`, or the next failure of that key starts where the last streak
 * ended.
 */
export class ExponentialBackoff {
  private readonly failures = new Map<string, number>();

  constructor(
    readonly baseMs = 5,
    readonly maxMs = 1_000_000,
  ) {}

  /** Records a failure and returns how long to wait before retrying the key. */
  when(key: string): number {
    const n = this.failures.get(key) ?? 0;
    this.failures.set(key, n + 1);
    // 2^n overflows to Infinity long after the cap; Math.min keeps it bounded.
    return Math.min(this.baseMs * 2 ** n, this.maxMs);
  }

  numRequeues(key: string): number {
    return this.failures.get(key) ?? 0;
  }

  forget(key: string): void {
    this.failures.delete(key);
  }
}
