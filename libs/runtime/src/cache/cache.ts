import type { Client } from '../client/client.ts';
import { AlreadyStartedError } from '../client/errors.ts';
import type { Kind, KubeObject } from '../kinds/kind.ts';
import { silentLogger, type Logger } from '../logging.ts';
import { Informer, type InformerOptions, type InformerScope } from './informer.ts';
import type { Transform } from './transform.ts';

/** Reads from the cache: cheap, possibly slightly stale, and frozen (copy before changing). */
export interface Reader<T> {
  get(namespace: string | undefined, name: string): T | undefined;
  list(opts?: { namespace?: string; labelSelector?: string }): T[];
  byIndex(indexName: string, value: string): T[];
}

export interface CacheOptions {
  /** Default scope of every informer (a namespaced manager); undefined = all namespaces. */
  namespace?: string;
  logger?: Logger;
  /** Defaults applied to every informer (liveness window, backoff, clock...). */
  informerDefaults?: Omit<InformerOptions<KubeObject>, keyof InformerScope | 'transform'>;
}

export interface InformerForOptions<T> extends InformerScope {
  transform?: Transform<T>;
}

/**
 * One informer per (kind, scope) per process, shared by every controller and reader. Informers
 * asked for after start() are started at once, so a controller added late still gets events.
 */
export class Cache {
  private readonly informers = new Map<string, Informer<KubeObject>>();
  /** reader(kind) without a scope, by kind: the informer informerFor(kind) gives. */
  private readonly defaultReaders = new WeakMap<Kind<KubeObject>, Informer<KubeObject>>();
  private readonly loops: Promise<void>[] = [];
  private signal: AbortSignal | undefined;
  private readonly log: Logger;

  constructor(
    readonly client: Client,
    private readonly opts: CacheOptions = {},
  ) {
    this.log = opts.logger ?? silentLogger();
  }

  informerFor<T extends KubeObject>(kind: Kind<T>, opts: InformerForOptions<T> = {}): Informer<T> {
    const scope: InformerScope = {
      namespace: kind.namespaced ? (opts.namespace ?? this.opts.namespace) : undefined,
      labelSelector: opts.labelSelector,
      fieldSelector: opts.fieldSelector,
    };
    const key = `${kind.apiVersion}/${kind.plural}|${scope.namespace ?? ''}|${scope.labelSelector ?? ''}|${scope.fieldSelector ?? ''}`;
    let informer = this.informers.get(key) as Informer<T> | undefined;
    if (!informer) {
      informer = new Informer<T>(this.client.resource(kind), {
        ...(this.opts.informerDefaults as InformerOptions<T>),
        ...scope,
        transform: opts.transform,
        logger: this.log,
      });
      this.informers.set(key, informer as unknown as Informer<KubeObject>);
      if (this.signal) this.launch(informer as unknown as Informer<KubeObject>);
    }
    return informer;
  }

  reader<T extends KubeObject>(kind: Kind<T>, scope?: InformerForOptions<T>): Reader<T> {
    if (scope !== undefined) return this.informerFor(kind, scope);
    // The reconcile path asks this for every read: skip building the informer key each time.
    let informer = this.defaultReaders.get(kind) as Informer<T> | undefined;
    if (!informer) {
      informer = this.informerFor(kind);
      this.defaultReaders.set(kind, informer as unknown as Informer<KubeObject>);
    }
    return informer;
  }

  /**
   * Starts every informer (and any created later) and returns at once; they run until `signal`
   * aborts. Await `waitForSync` before trusting reads, and `stopped()` for a clean shutdown.
   */
  async start(signal: AbortSignal): Promise<void> {
    if (this.signal) throw new AlreadyStartedError('cache');
    this.signal = signal;
    for (const informer of this.informers.values()) this.launch(informer);
  }

  private launch(informer: Informer<KubeObject>): void {
    this.loops.push(informer.run(this.signal!));
  }

  /** Resolves true when every informer has synced; false if `signal` aborts first. */
  async waitForSync(signal?: AbortSignal): Promise<boolean> {
    for (;;) {
      const pending = [...this.informers.values()].filter((i) => !i.hasSynced());
      if (pending.length === 0) return true;
      const results = await Promise.all(pending.map((i) => i.waitForSync(signal)));
      if (results.includes(false)) return false;
    }
  }

  hasSynced(): boolean {
    return [...this.informers.values()].every((i) => i.hasSynced());
  }

  /** For readiness: every informer synced and none silent past its liveness window. */
  isHealthy(): boolean {
    return [...this.informers.values()].every((i) => i.isHealthy());
  }

  /** Informers that are not healthy, named, for a readiness probe's message. */
  unhealthy(): string[] {
    return [...this.informers.entries()].filter(([, i]) => !i.isHealthy()).map(([k]) => k);
  }

  allInformers(): Informer<KubeObject>[] {
    return [...this.informers.values()];
  }

  /** Resolves when every informer loop has ended (after the start signal aborted). */
  async stopped(): Promise<void> {
    await Promise.all(this.loops);
  }
}
