import { realClock, type Clock, type TimerHandle } from './clock.ts';
import { ParkedKeys } from './parked-keys.ts';
import { ExponentialBackoff } from './rate-limiter.ts';

/**
 * `high` for real changes, `low` for items from an informer's initial list, a relist or a
 * resync: a new object must not wait behind ten thousand unchanged ones after a restart.
 */
export type Priority = 'high' | 'low';

/** Hooks the queue calls so metrics stay outside it; see metrics/ for the Prometheus ones. */
export interface QueueMetrics {
  add(): void;
  depth(n: number): void;
  /** Seconds a key waited between being queued and being handed to a worker. */
  queued(seconds: number): void;
  /** Seconds a worker held a key. */
  worked(seconds: number): void;
  retry(): void;
}

export interface WorkQueueOptions {
  name?: string;
  clock?: Clock;
  backoff?: ExponentialBackoff;
  metrics?: QueueMetrics;
}

class Fifo {
  private items: string[] = [];
  private head = 0;

  push(key: string): void {
    this.items.push(key);
  }

  shift(): string | undefined {
    if (this.head >= this.items.length) return undefined;
    const key = this.items[this.head++];
    // Compact once the consumed prefix dominates, so a long-lived queue does not grow forever.
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return key;
  }

  get length(): number {
    return this.items.length - this.head;
  }
}

/**
 * The work queue of client-go, with controller-runtime's priorities:
 * - a key is handed to at most one worker at a time (`processing`);
 * - adding a key that is already waiting does nothing (coalescing: 100 updates while it waits
 *   become one reconcile);
 * - adding a key while a worker holds it marks it dirty; `done` puts it back, so the change
 *   is seen by one more reconcile and never lost;
 * - `addAfter` parks a key until its time (the earliest request wins), `addRateLimited` parks
 *   it for its per-key backoff, `forget` resets that backoff.
 *
 * Keys are strings (`namespace/name`, or `name` for cluster-scoped objects).
 */
export class WorkQueue {
  readonly name: string;
  private readonly clock: Clock;
  private readonly backoff: ExponentialBackoff;
  private readonly metrics?: QueueMetrics;

  private readonly high = new Fifo();
  private readonly low = new Fifo();
  /** Keys waiting for a worker (or dirtied while processing), with the priority they wait at. */
  private readonly dirty = new Map<string, Priority>();
  /** Keys whose live entry is in a FIFO (entries not matching this map are stale and skipped). */
  private readonly queued = new Map<string, Priority>();
  private readonly processing = new Map<string, number>();
  private readonly addedAt = new Map<string, number>();
  /** When a worker last released a key (construction counts): how inLine tells a moving queue from a stuck one. */
  private lastDoneAt: number;

  private readonly waitingUntil = new ParkedKeys();
  private timer?: { handle: TimerHandle; at: number };

  private readonly getters: ((key: string | undefined) => void)[] = [];
  private shuttingDown = false;
  private drainWaiters: (() => void)[] = [];

  constructor(opts: WorkQueueOptions = {}) {
    this.name = opts.name ?? 'queue';
    this.clock = opts.clock ?? realClock;
    this.backoff = opts.backoff ?? new ExponentialBackoff();
    this.metrics = opts.metrics;
    this.lastDoneAt = this.clock.now();
  }

  add(key: string, priority: Priority = 'high'): void {
    if (this.shuttingDown) return;
    const current = this.dirty.get(key);
    if (current !== undefined) {
      // Already waiting: coalesce, but a real change lifts a low-priority entry to the front line.
      if (current === 'low' && priority === 'high') {
        this.dirty.set(key, 'high');
        if (this.queued.get(key) === 'low') this.enqueue(key, 'high');
      }
      return;
    }
    this.metrics?.add();
    this.dirty.set(key, priority);
    if (!this.addedAt.has(key)) this.addedAt.set(key, this.clock.now());
    if (this.processing.has(key)) return; // re-queued by done()
    this.enqueue(key, priority);
  }

  private enqueue(key: string, priority: Priority): void {
    this.queued.set(key, priority);
    (priority === 'high' ? this.high : this.low).push(key);
    this.metrics?.depth(this.queued.size);
    this.wake();
  }

  private wake(): void {
    while (this.getters.length > 0 && this.queued.size > 0) {
      const key = this.take();
      if (key === undefined) break;
      this.getters.shift()!(key);
    }
  }

  private take(): string | undefined {
    for (const [fifo, priority] of [
      [this.high, 'high'],
      [this.low, 'low'],
    ] as const) {
      while (fifo.length > 0) {
        const key = fifo.shift()!;
        if (this.queued.get(key) !== priority) continue; // stale entry (moved or already taken)
        this.queued.delete(key);
        this.dirty.delete(key);
        const now = this.clock.now();
        this.processing.set(key, now);
        const added = this.addedAt.get(key);
        this.addedAt.delete(key);
        if (added !== undefined) this.metrics?.queued((now - added) / 1000);
        this.metrics?.depth(this.queued.size);
        return key;
      }
    }
    return undefined;
  }

  /**
   * The next key to process, waiting for one if none is ready; `undefined` once the queue is
   * shut down (or `signal` aborts). The caller owns the key until it calls `done(key)`.
   */
  get(signal?: AbortSignal): Promise<string | undefined> {
    if (this.shuttingDown || signal?.aborted) return Promise.resolve(undefined);
    const key = this.take();
    if (key !== undefined) return Promise.resolve(key);
    return new Promise((resolve) => {
      const getter = (k: string | undefined) => {
        signal?.removeEventListener('abort', onAbort);
        resolve(k);
      };
      const onAbort = () => {
        const i = this.getters.indexOf(getter);
        if (i >= 0) this.getters.splice(i, 1);
        resolve(undefined);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.getters.push(getter);
    });
  }

  /** Releases a key taken with `get`; if it was added meanwhile it goes back in line now. */
  done(key: string): void {
    const started = this.processing.get(key);
    if (started === undefined) return;
    this.processing.delete(key);
    this.lastDoneAt = this.clock.now();
    this.metrics?.worked((this.lastDoneAt - started) / 1000);
    const priority = this.dirty.get(key);
    if (priority !== undefined && !this.shuttingDown) this.enqueue(key, priority);
    if (this.processing.size === 0) {
      for (const w of this.drainWaiters.splice(0)) w();
    }
  }

  /** Queues the key once `ms` have passed; a key already parked keeps the earlier time. */
  addAfter(key: string, ms: number, priority: Priority = 'high'): void {
    if (this.shuttingDown) return;
    if (ms <= 0) {
      this.add(key, priority);
      return;
    }
    const at = this.clock.now() + ms;
    const existing = this.waitingUntil.get(key);
    if (existing !== undefined && existing <= at) return;
    this.waitingUntil.park(key, at);
    this.schedule();
  }

  /** Queues the key after its per-key backoff and counts a retry. */
  addRateLimited(key: string): void {
    this.metrics?.retry();
    this.addAfter(key, this.backoff.when(key));
  }

  forget(key: string): void {
    this.backoff.forget(key);
  }

  numRequeues(key: string): number {
    return this.backoff.numRequeues(key);
  }

  private schedule(): void {
    const earliest = this.waitingUntil.earliest() ?? Infinity;
    if (earliest === Infinity) {
      if (this.timer) this.clock.clearTimeout(this.timer.handle);
      this.timer = undefined;
      return;
    }
    if (this.timer && this.timer.at <= earliest) return;
    if (this.timer) this.clock.clearTimeout(this.timer.handle);
    const at = earliest;
    this.timer = { at, handle: this.clock.setTimeout(() => this.fire(), at - this.clock.now()) };
  }

  private fire(): void {
    this.timer = undefined;
    for (const key of this.waitingUntil.takeDue(this.clock.now())) this.add(key);
    this.schedule();
  }

  /**
   * Whether the key's turn is coming in a queue that moves: it waits for a worker (or was added
   * again while one holds it) or a worker took it less than `withinMs` ago — and a worker
   * released some key within the last `withinMs`, so a queue whose workers all hang never
   * answers yes. A parked key (requeueAfter, a failure's backoff) is not in line: it had its
   * turn, and one that polls forever must not count as about to report. What a parent asks
   * before it says "my children have not reported" (reconcile's reportStatus).
   */
  inLine(key: string, withinMs: number): boolean {
    const now = this.clock.now();
    if (now - this.lastDoneAt > withinMs) return false;
    if (this.dirty.has(key)) return true;
    const started = this.processing.get(key);
    return started !== undefined && now - started <= withinMs;
  }

  /** Keys waiting for a worker (not counting parked or in-flight ones). */
  len(): number {
    return this.queued.size;
  }

  /** Keys parked by addAfter/addRateLimited. */
  parked(): number {
    return this.waitingUntil.size;
  }

  inFlight(): number {
    return this.processing.size;
  }

  /** Start times (clock ms) of the keys being processed, for the unfinished-work metrics. */
  processingStarts(): number[] {
    return [...this.processing.values()];
  }

  isShuttingDown(): boolean {
    return this.shuttingDown;
  }

  /**
   * Stops handing out keys: waiting `get`s resolve `undefined`, adds are ignored, parked keys
   * are dropped. Keys already taken may still call `done`.
   */
  shutDown(): void {
    if (this.shuttingDown) return;
    this.shuttingDown = true;
    if (this.timer) this.clock.clearTimeout(this.timer.handle);
    this.timer = undefined;
    this.waitingUntil.clear();
    for (const g of this.getters.splice(0)) g(undefined);
  }

  /** Resolves once no key is in flight (use after shutDown to drain). */
  drained(): Promise<void> {
    if (this.processing.size === 0) return Promise.resolve();
    return new Promise((r) => this.drainWaiters.push(r));
  }
}
