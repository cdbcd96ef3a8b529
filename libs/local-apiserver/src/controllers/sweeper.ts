import type { InProcessController } from '../types.ts';

/**
 * Runs an async pass soon after something changed, never two at once, and once more if
 * changes arrived while a pass was running. The in-process controllers are level-based: a pass
 * looks at the whole current state, so coalescing triggers loses nothing.
 */
export class Sweeper {
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  private dirty = false;
  private stopped = false;
  private idleWaiters: (() => void)[] = [];

  constructor(
    private readonly pass: () => Promise<void>,
    private readonly onError: (e: unknown) => void,
    private readonly delayMs = 2,
  ) {}

  trigger(): void {
    if (this.stopped) return;
    if (this.running) {
      this.dirty = true;
      return;
    }
    if (!this.timer) this.timer = setTimeout(() => void this.run(), this.delayMs);
  }

  /** Resolves when no pass is running or scheduled (tests and synchronous GC requests). */
  idle(): Promise<void> {
    if (!this.running && !this.timer) return Promise.resolve();
    return new Promise((r) => this.idleWaiters.push(r));
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.flushIdle();
  }

  private flushIdle(): void {
    const w = this.idleWaiters;
    this.idleWaiters = [];
    for (const f of w) f();
  }

  private async run(): Promise<void> {
    this.timer = undefined;
    if (this.stopped) return;
    this.running = true;
    this.dirty = false;
    try {
      await this.pass();
    } catch (e) {
      this.onError(e);
    } finally {
      this.running = false;
    }
    if (this.dirty && !this.stopped) this.trigger();
    else this.flushIdle();
  }
}

/** An in-process controller driven by a Sweeper; idle() lets tests and GC requests wait for quiet. */
export type SweepingController = InProcessController & { idle(): Promise<void> };

/**
 * Starts a level-based controller: `watch` subscribes to the changes that matter, calling
 * `trigger` for them, and returns its unsubscribe functions. A first pass runs regardless,
 * because the state the controller must act on may predate its subscription.
 */
export function startSweeping(
  pass: () => Promise<void>,
  onError: (e: unknown) => void,
  delayMs: number,
  watch: (trigger: () => void) => (() => void)[],
): SweepingController {
  const sweeper = new Sweeper(pass, onError, delayMs);
  const unsubscribes = watch(() => sweeper.trigger());
  sweeper.trigger();
  return {
    stop() {
      for (const unsubscribe of unsubscribes) unsubscribe();
      sweeper.stop();
    },
    idle: () => sweeper.idle(),
  };
}
