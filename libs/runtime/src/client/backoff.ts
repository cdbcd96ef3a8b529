import { realClock, type Clock } from '../queue/clock.ts';

/**
 * Waits `ms` on the given clock; resolves early (never rejects) when `signal` aborts, so loops
 * written as `await sleep(...); if (signal.aborted) break;` stop promptly.
 */
export function sleep(clock: Clock, ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise<void>((resolve) => {
    if (signal?.aborted) return resolve();
    const onAbort = () => {
      clock.clearTimeout(handle);
      resolve();
    };
    const handle = clock.setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export interface BackoffOptions {
  initialMs: number;
  maxMs: number;
  factor?: number; // default 2
  jitter?: number; // default 1.0: each delay is d + random()*d*jitter (as client-go), capped at maxMs
  /** A failure arriving this long after the previous one starts again from `initialMs`. */
  resetAfterMs?: number;
  clock?: Clock;
  random?: () => number;
}

/**
 * Jittered exponential backoff with client-go's semantics (wait.NewExponentialBackoffManager):
 * the base doubles per failure up to the cap; a stretch of health longer than `resetAfterMs`
 * forgets the history, so one failure after hours of health is retried quickly.
 */
export class Backoff {
  private base: number;
  private lastFailure: number | undefined;
  private readonly opts: Required<Omit<BackoffOptions, 'clock' | 'random'>>;
  private readonly clock: Clock;
  private readonly random: () => number;

  constructor(opts: BackoffOptions) {
    this.opts = { factor: 2, jitter: 1, resetAfterMs: Number.POSITIVE_INFINITY, ...opts };
    this.clock = opts.clock ?? realClock;
    this.random = opts.random ?? Math.random;
    this.base = this.opts.initialMs;
  }

  /** Delay before the next attempt, and advance the sequence. */
  next(): number {
    const now = this.clock.now();
    if (this.lastFailure !== undefined && now - this.lastFailure >= this.opts.resetAfterMs) {
      this.base = this.opts.initialMs;
    }
    this.lastFailure = now;
    const d = this.base;
    this.base = Math.min(this.base * this.opts.factor, this.opts.maxMs);
    return Math.round(Math.min(d + this.random() * d * this.opts.jitter, this.opts.maxMs));
  }

  reset(): void {
    this.base = this.opts.initialMs;
    this.lastFailure = undefined;
  }
}
