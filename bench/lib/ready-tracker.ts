import { Cache, type Client } from '@kubeloop/runtime';
import { isReady, Tuple, type TupleObject } from './math.ts';

/**
 * Watches the Tuples of one namespace (one list + one watch: negligible load, unlike polling
 * lists of 1,000 objects) and resolves when `expected` of them are Ready for their current
 * generation, recording when that happened.
 */
export class ReadyTracker {
  private readonly abort = new AbortController();
  private readonly cache: Cache;
  private readonly ready = new Set<string>();
  private waiter?: { n: number; resolve: (t: number) => void };
  readonly lastReadyAt = new Map<string, number>();

  constructor(client: Client, namespace: string) {
    this.cache = new Cache(client, { namespace });
    const see = (t: TupleObject) => {
      const name = t.metadata.name!;
      if (isReady(t)) {
        if (!this.ready.has(name)) {
          this.ready.add(name);
          this.lastReadyAt.set(name, performance.now());
        }
      } else this.ready.delete(name);
      if (this.waiter && this.ready.size >= this.waiter.n) {
        this.waiter.resolve(performance.now());
        this.waiter = undefined;
      }
    };
    this.cache
      .informerFor(Tuple)
      .addHandler({ add: see, update: (_old, t) => see(t), delete: (t) => this.ready.delete(t.metadata.name!) });
  }

  async start(): Promise<void> {
    await this.cache.start(this.abort.signal);
    await this.cache.waitForSync(this.abort.signal);
  }

  get readyCount(): number {
    return this.ready.size;
  }

  /** performance.now() when `n` Tuples were first all Ready; rejects after `timeoutMs`. */
  waitForReady(n: number, timeoutMs: number): Promise<number> {
    if (this.ready.size >= n) return Promise.resolve(performance.now());
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`only ${this.ready.size} of ${n} Tuples Ready after ${timeoutMs} ms`)),
        timeoutMs,
      );
      this.waiter = {
        n,
        resolve: (t) => {
          clearTimeout(timer);
          resolve(t);
        },
      };
    });
  }

  async stop(): Promise<void> {
    this.abort.abort();
    await this.cache.stopped();
  }
}
