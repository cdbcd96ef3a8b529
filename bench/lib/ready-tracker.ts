import { Cache, type Client, type Kind, type KubeObject } from '@kubeloop/runtime';
import { isReady, Tuple } from './math.ts';

type Reporting = KubeObject & Parameters<typeof isReady>[0];

/**
 * Watches the objects of one kind (Tuples by default) in one namespace (one list + one watch:
 * negligible load, unlike polling lists of 1,000 objects) and resolves when `expected` of them
 * are Ready for their current generation, recording when that happened.
 */
export class ReadyTracker<T extends Reporting = Reporting> {
  private readonly abort = new AbortController();
  private readonly cache: Cache;
  private readonly ready = new Set<string>();
  private waiter?: { n: number; resolve: (t: number) => void };
  readonly lastReadyAt = new Map<string, number>();
  private readonly kind: string;

  constructor(client: Client, namespace: string, kind: Kind<T> = Tuple as unknown as Kind<T>) {
    this.cache = new Cache(client, { namespace });
    this.kind = kind.kind;
    const see = (t: T) => {
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
      .informerFor(kind)
      .addHandler({ add: see, update: (_old, t) => see(t), delete: (t) => this.ready.delete(t.metadata.name!) });
  }

  async start(): Promise<void> {
    await this.cache.start(this.abort.signal);
    await this.cache.waitForSync(this.abort.signal);
  }

  get readyCount(): number {
    return this.ready.size;
  }

  /** performance.now() when `n` objects were first all Ready; rejects after `timeoutMs`. */
  waitForReady(n: number, timeoutMs: number): Promise<number> {
    if (this.ready.size >= n) return Promise.resolve(performance.now());
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`only ${this.ready.size} of ${n} ${this.kind}s Ready after ${timeoutMs} ms`)),
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
