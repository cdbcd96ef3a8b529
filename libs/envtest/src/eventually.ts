import { EventuallyTimeoutError } from './errors.ts';

export interface EventuallyOptions {
  /** Total time budget in ms (default 10 000). */
  timeout?: number;
  /** Pause between attempts in ms (default 50). */
  interval?: number;
}

/**
 * Retries `fn` until it returns without throwing, and returns its value. Assertions are just
 * throws, so `await eventually(() => expect(x).toBe(1))` waits for a controller to converge.
 *
 * This is the only way tests should wait: a fixed sleep is either too short on a loaded CI
 * machine or wastes time everywhere else. On timeout the last error is kept as `cause` and its
 * message is repeated, so the report shows what was still wrong, not just "timed out".
 */
export async function eventually<T>(fn: () => T | Promise<T>, opts: EventuallyOptions = {}): Promise<T> {
  const timeout = opts.timeout ?? 10_000;
  const interval = opts.interval ?? 50;
  const deadline = Date.now() + timeout;
  let attempts = 0;
  let lastError: unknown;
  for (;;) {
    attempts++;
    try {
      return await fn();
    } catch (err) {
      lastError = err;
    }
    const left = deadline - Date.now();
    if (left <= 0) break;
    await new Promise((resolve) => setTimeout(resolve, Math.min(interval, left)));
  }
  const last = lastError instanceof Error ? lastError.message : String(lastError);
  throw new EventuallyTimeoutError(
    `eventually: still failing after ${timeout} ms (${attempts} attempts); last error: ${last}`,
    {
      cause: lastError,
    },
  );
}
