/**
 * What a reconcile asks for next. Returning nothing (or `done()`) means "converged": the key's
 * backoff is forgotten and it runs again only when something it watches changes.
 */
export interface Result {
  /** Run again after this many ms, without backoff (polling something outside the cluster). */
  requeueAfter?: number;
  /** Run again after the key's backoff, as an error would, but without logging one. */
  requeue?: boolean;
}

export function done(): Result {
  return {};
}

export function requeueAfter(ms: number): Result {
  if (!Number.isFinite(ms) || ms < 0)
    throw new RangeError(`requeueAfter: ${ms} is not a non-negative number of milliseconds`);
  return { requeueAfter: ms };
}

export function requeue(): Result {
  return { requeue: true };
}

/**
 * An error retrying cannot fix (invalid spec that validation missed, a missing referenced
 * object the user must create). It is recorded (logged, counted) and the key is not retried
 * until the object or something it watches changes.
 */
export class TerminalError extends Error {
  readonly code = 'Terminal';
  override readonly cause: unknown;
  constructor(cause: unknown) {
    super(cause instanceof Error ? cause.message : String(cause));
    this.name = 'TerminalError';
    this.cause = cause;
  }
}

/** `throw terminal(err)` from a reconcile: recorded, never retried. */
export function terminal(err: unknown): TerminalError {
  return err instanceof TerminalError ? err : new TerminalError(err);
}

export function isTerminal(err: unknown): err is TerminalError {
  return err instanceof TerminalError;
}
