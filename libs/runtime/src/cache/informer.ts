import type { Kind, KubeObject } from '../kinds/kind.ts';
import type { ResourceClient } from '../client/client.ts';
import {
  AlreadyStartedError,
  ApiError,
  isForbidden,
  isGone,
  isTooManyRequests,
  type Status,
} from '../client/errors.ts';
import { Backoff, sleep } from '../client/backoff.ts';
import { realClock, type Clock, type TimerHandle } from '../queue/clock.ts';
import { silentLogger, type Logger } from '../logging.ts';
import { controllerOwnerUID, keyFor, keyOf, OWNER_UID_INDEX, Store, type IndexFunc } from './store.ts';
import { deepFreeze, stripBulkyFields, toPlainJson, type Transform } from './transform.ts';
import { parseLabelSelector } from './selector.ts';

/**
 * What an informer tells its handlers. Handlers run synchronously on the informer's loop, so
 * they must be quick (enqueue a key and return). Objects are frozen and shared: never mutate.
 */
export interface EventHandler<T> {
  /** `isInitialList` is true for objects from the initial list and from relists (low priority). */
  add?(obj: T, isInitialList: boolean): void;
  update?(oldObj: T, newObj: T): void;
  /**
   * `finalStateUnknown` is true when the deletion was inferred from a relist (the watch missed
   * it): `obj` is then the last state this informer saw, not the state at deletion.
   */
  delete?(obj: T, finalStateUnknown: boolean): void;
}

export interface InformerScope {
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
}

export interface InformerOptions<T> extends InformerScope {
  /** Runs after the default strip of managedFields/last-applied (unless `keepBulkyFields`). */
  transform?: Transform<T>;
  keepBulkyFields?: boolean;
  logger?: Logger;
  clock?: Clock;
  /**
   * A watch silent (no bytes at all) this long is presumed dead and restarted. Default 70 s.
   * kube-apiserver v1.36 sends a bookmark about once a minute, but skips it when its cache's
   * resourceVersion has not moved (measured here: 60 s and 120 s on a busy cluster, first one
   * after 120 s on a quiet one), so an idle watch may be restarted now and then: a cheap resume
   * from the same resourceVersion, without relist and without a readiness dip.
   */
  livenessTimeoutMs?: number;
  pageSize?: number; // default 500
  /** Seconds the server may keep one watch open; default random in [300, 600) as client-go. */
  watchTimeoutSeconds?: () => number;
  backoff?: { initialMs?: number; maxMs?: number; resetAfterMs?: number };
  random?: () => number;
}

export class WatchStalledError extends Error {
  readonly code = 'WatchStalled';
  constructor(resource: string, ms: number) {
    super(`watch on ${resource} delivered nothing for ${ms} ms; restarting it`);
    this.name = 'WatchStalledError';
  }
}

class WatchEndedEarly extends Error {}

/**
 * Keeps a local copy of one kind (in one scope) in step with the API server: paginated list,
 * then watch from the list's resourceVersion, with everything client-node's informer lacks —
 * bookmarks, relist-and-diff on 410, a liveness window, supervised restarts with backoff,
 * indexes, transforms and frozen objects. One informer per kind and scope per process: get them
 * from a Cache so controllers share them.
 */
export class Informer<T extends KubeObject> {
  readonly store = new Store<T>();
  private readonly handlers = new Set<EventHandler<T>>();
  private readonly log: Logger;
  private readonly clock: Clock;
  private readonly liveness: number;
  private readonly pageSize: number;
  private readonly transform: (obj: T) => T;
  private synced = false;
  private running = false;
  private lastRV: string | undefined;
  private syncWaiters: (() => void)[] = [];
  /** Epoch ms of the last sign of life from the server (list page, watch bytes, connect). */
  lastActivity = 0;
  /** Counters for tests and metrics. */
  readonly stats = {
    lists: 0,
    listPages: 0,
    watches: 0,
    relistsAfterGone: 0,
    relistsAfterTooLarge: 0,
    stalls: 0,
    failures: 0,
  };

  constructor(
    private readonly resources: ResourceClient<T>,
    private readonly opts: InformerOptions<T> = {},
  ) {
    this.clock = opts.clock ?? realClock;
    this.liveness = opts.livenessTimeoutMs ?? 70_000;
    this.pageSize = opts.pageSize ?? 500;
    this.log = (opts.logger ?? silentLogger()).child({
      informer: resources.resource,
      ...(opts.namespace ? { namespace: opts.namespace } : {}),
    });
    const user = opts.transform;
    const strip = !opts.keepBulkyFields;
    this.transform = (raw) => {
      let obj = toPlainJson(raw);
      if (strip) obj = stripBulkyFields(obj);
      if (user) obj = user(obj);
      return deepFreeze(obj);
    };
    this.store.addIndex(OWNER_UID_INDEX, controllerOwnerUID);
  }

  get kind(): Kind<T> {
    return this.resources.kind;
  }

  get resourceVersion(): string | undefined {
    return this.lastRV;
  }

  /**
   * Registers a handler. Added after the informer has synced, it first receives an `add` for
   * every cached object (isInitialList = true), as client-go does, so late controllers catch up.
   * Returns a function that removes it.
   */
  addHandler(handler: EventHandler<T>): () => void {
    this.handlers.add(handler);
    if (this.synced) {
      for (const obj of this.store.list()) this.call(handler, 'add', () => handler.add?.(obj, true));
    }
    return () => this.handlers.delete(handler);
  }

  addIndex(name: string, fn: IndexFunc<T>): void {
    this.store.addIndex(name, fn);
  }

  hasSynced(): boolean {
    return this.synced;
  }

  /** Synced and heard from the server within the liveness window: what readiness reports. */
  isHealthy(): boolean {
    return this.synced && this.clock.now() - this.lastActivity <= this.liveness;
  }

  get(namespace: string | undefined, name: string): T | undefined {
    return this.store.get(keyFor(this.resources.kind.namespaced ? namespace : undefined, name));
  }

  list(opts: { namespace?: string; labelSelector?: string } = {}): T[] {
    let items = this.store.list();
    if (opts.namespace) items = items.filter((o) => o.metadata.namespace === opts.namespace);
    if (opts.labelSelector) {
      const match = parseLabelSelector(opts.labelSelector);
      items = items.filter((o) => match(o.metadata.labels));
    }
    return items;
  }

  byIndex(name: string, value: string): T[] {
    return this.store.byIndex(name, value);
  }

  /** Resolves once synced; resolves early (unsynced) when `signal` aborts. */
  waitForSync(signal?: AbortSignal): Promise<boolean> {
    if (this.synced) return Promise.resolve(true);
    return new Promise((resolve) => {
      if (signal?.aborted) return resolve(false);
      const done = () => resolve(true);
      this.syncWaiters.push(done);
      signal?.addEventListener(
        'abort',
        () => {
          this.syncWaiters = this.syncWaiters.filter((w) => w !== done);
          resolve(this.synced);
        },
        { once: true },
      );
    });
  }

  /**
   * Runs list+watch until `signal` aborts; never throws. Every failure is logged and retried
   * with jittered backoff (800 ms doubling to 30 s, forgotten after 2 minutes of health).
   */
  async run(signal: AbortSignal): Promise<void> {
    if (this.running) throw new AlreadyStartedError(`informer for ${this.resources.resource}`);
    this.running = true;
    const backoff = new Backoff({
      initialMs: this.opts.backoff?.initialMs ?? 800,
      maxMs: this.opts.backoff?.maxMs ?? 30_000,
      resetAfterMs: this.opts.backoff?.resetAfterMs ?? 120_000,
      clock: this.clock,
      random: this.opts.random,
    });
    let needList = true;
    let goneInARow = 0;
    try {
      while (!signal.aborted) {
        try {
          if (needList) {
            await this.listAndSync(signal);
            needList = false;
          }
          await this.watchOnce(signal);
          goneInARow = 0;
        } catch (err) {
          if (signal.aborted) break;
          if (isGone(err) || isGoneStatus(err)) {
            // History compacted past our RV: only a fresh list tells us what we missed.
            this.stats.relistsAfterGone++;
            needList = true;
            this.log.info({ err: (err as Error).message }, 'resourceVersion expired; relisting');
            if (goneInARow++ === 0) continue;
          }
          if (isTooLargeResourceVersion(err)) {
            // The server is behind the RV we hold (it restarted from older state): our cache may
            // hold what it no longer has. client-go's reflector relists with a consistent read
            // (no resourceVersion) here too; resuming from our RV would wait for nothing.
            this.stats.relistsAfterTooLarge++;
            needList = true;
            this.log.warn({ err: (err as Error).message }, 'server is behind our resourceVersion; relisting');
          }
          if (err instanceof WatchStalledError) {
            // Silence is not a server error: reconnect at once (resuming from our RV), so the
            // cache is never left unwatched and readiness does not flap. The liveness window
            // itself rate-limits this path; a dead network then fails the connect and backs off.
            this.stats.stalls++;
            this.log.warn({ err: err.message }, 'watch stalled');
            continue;
          }
          this.stats.failures++;
          let delay = backoff.next();
          if (isTooManyRequests(err) && (err as ApiError).retryAfterSeconds !== undefined) {
            delay = Math.max(delay, (err as ApiError).retryAfterSeconds! * 1000);
          }
          if (isForbidden(err)) {
            const e = err as ApiError;
            this.log.error(
              { verb: e.verb, resource: e.resource, err: e.message },
              `RBAC: this identity may not ${e.verb} ${e.resource}; the cache for it stays empty until the Role grants it`,
            );
          } else if (!(err instanceof WatchEndedEarly)) {
            this.log.warn(
              { err: (err as Error).message, code: (err as { code?: unknown }).code, delayMs: delay },
              'list/watch failed; retrying',
            );
          }
          await sleep(this.clock, delay, signal);
        }
      }
    } finally {
      this.running = false;
    }
  }

  private async listAndSync(signal: AbortSignal): Promise<void> {
    this.stats.lists++;
    const items: T[] = [];
    let cont: string | undefined;
    let rv: string | undefined;
    let restarted = false;
    for (;;) {
      let page;
      try {
        page = await this.resources.list({
          namespace: this.opts.namespace,
          labelSelector: this.opts.labelSelector,
          fieldSelector: this.opts.fieldSelector,
          limit: this.pageSize,
          continue: cont,
          signal,
        });
      } catch (err) {
        if (isGone(err) && cont !== undefined && !restarted) {
          // The continue token outlived the server's snapshot: start the list over, once.
          this.log.info('continue token expired during list; listing again from the start');
          restarted = true;
          items.length = 0;
          cont = undefined;
          continue;
        }
        throw err;
      }
      this.lastActivity = this.clock.now();
      this.stats.listPages++;
      for (const item of page.items) items.push(this.transform(item));
      rv = page.metadata.resourceVersion;
      cont = page.metadata.continue || undefined;
      if (!cont) break;
    }
    if (signal.aborted) return;
    this.lastRV = rv;
    const initial = !this.synced;
    const old = this.store.replace(items);
    // Deliver the difference: adds (low priority), updates for changed RVs, synthesized deletes.
    for (const obj of items) {
      const prev = old.get(keyOf(obj));
      if (!prev) this.emit('add', (h) => h.add?.(obj, true));
      else if (prev.metadata.resourceVersion !== obj.metadata.resourceVersion)
        this.emit('update', (h) => h.update?.(prev, obj));
    }
    if (!initial) {
      const current = new Set(items.map(keyOf));
      for (const [key, prev] of old) {
        if (!current.has(key)) this.emit('delete', (h) => h.delete?.(prev, true));
      }
    }
    if (initial) {
      this.synced = true;
      const waiters = this.syncWaiters;
      this.syncWaiters = [];
      for (const w of waiters) w();
      this.log.debug({ count: items.length, resourceVersion: rv }, 'synced');
    }
  }

  private async watchOnce(signal: AbortSignal): Promise<void> {
    this.stats.watches++;
    const controller = new AbortController();
    const onAbort = () => controller.abort(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    let stalled = false;
    let timer: TimerHandle | undefined;
    const arm = () => {
      if (timer !== undefined) this.clock.clearTimeout(timer);
      timer = this.clock.setTimeout(() => {
        stalled = true;
        controller.abort(new WatchStalledError(this.resources.resource, this.liveness));
      }, this.liveness);
    };
    const activity = () => {
      this.lastActivity = this.clock.now();
      arm();
    };
    arm();
    const started = this.clock.now();
    let events = 0;
    try {
      const stream = this.resources.watch({
        namespace: this.opts.namespace,
        labelSelector: this.opts.labelSelector,
        fieldSelector: this.opts.fieldSelector,
        resourceVersion: this.lastRV,
        allowWatchBookmarks: true,
        timeoutSeconds:
          this.opts.watchTimeoutSeconds?.() ?? Math.floor(300 + (this.opts.random ?? Math.random)() * 300),
        signal: controller.signal,
        onActivity: activity,
      });
      for await (const ev of stream) {
        events++;
        if (ev.type === 'ERROR') {
          const status = ev.object;
          throw new ApiError(status.code ?? 500, status, {
            verb: 'watch',
            resource: this.resources.resource,
            namespace: this.opts.namespace,
          });
        }
        const rv = ev.object.metadata?.resourceVersion;
        if (ev.type === 'BOOKMARK') {
          if (rv) this.lastRV = rv;
          continue;
        }
        const obj = this.transform(ev.object);
        if (ev.type === 'DELETED') {
          this.store.delete(keyOf(obj));
          this.emit('delete', (h) => h.delete?.(obj, false));
        } else {
          const prev = this.store.set(obj);
          if (prev) this.emit('update', (h) => h.update?.(prev, obj));
          else this.emit('add', (h) => h.add?.(obj, false));
        }
        if (rv) this.lastRV = rv;
      }
    } finally {
      if (timer !== undefined) this.clock.clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
    }
    if (stalled) throw new WatchStalledError(this.resources.resource, this.liveness);
    // A watch that closes at once without a word (a proxy, a server shutting down) must not
    // turn into a tight reconnect loop: treat it as a failure so the backoff applies.
    if (!signal.aborted && events === 0 && this.clock.now() - started < 1000) throw new WatchEndedEarly();
  }

  private emit(what: string, fn: (h: EventHandler<T>) => void): void {
    for (const h of this.handlers) this.call(h, what, () => fn(h));
  }

  private call(_h: EventHandler<T>, what: string, fn: () => void): void {
    try {
      fn();
    } catch (err) {
      this.log.error({ err: (err as Error).message, handler: what }, 'informer event handler threw; continuing');
    }
  }
}

/** 504 with the cause ResourceVersionTooLarge (as an HTTP answer or an in-stream ERROR event). */
function isTooLargeResourceVersion(err: unknown): boolean {
  const s = (err as { status?: Status }).status;
  return (
    err instanceof ApiError &&
    s?.code === 504 &&
    !!s.details?.causes?.some((c) => c.reason === 'ResourceVersionTooLarge' || c.type === 'ResourceVersionTooLarge')
  );
}

function isGoneStatus(err: unknown): boolean {
  const s = (err as { status?: Status }).status;
  return err instanceof ApiError && s?.code === 410;
}
