import { randomUUID } from 'node:crypto';
import type { Cache } from '../cache/cache.ts';
import type { EventHandler } from '../cache/informer.ts';
import type { Client } from '../client/client.ts';
import { isConflict } from '../client/errors.ts';
import type { EventRecorder } from '../events/recorder.ts';
import type { Kind, KubeObject } from '../kinds/kind.ts';
import { silentLogger, type Logger } from '../logging.ts';
import type { PolicyRule } from '../manifests/rbac.ts';
import type { RuntimeMetrics, ReconcileResultLabel } from '../metrics/metrics.ts';
import { realClock, type Clock } from '../queue/clock.ts';
import type { ConcurrencyLimiter } from '../queue/limiter.ts';
import { WorkQueue, type Priority } from '../queue/work-queue.ts';
import { allow, type Predicate } from './predicates.ts';
import { isTerminal, type Result } from './result.ts';
import { WorkQueues, type WorkInLine } from './work-in-line.ts';

/** Which object to reconcile. Cluster-scoped objects have namespace ''. */
export interface Request {
  namespace: string;
  name: string;
}

export interface ReconcileContext {
  /** Writes, and live reads when the cache is not enough. */
  client: Client;
  /** Reads: `ctx.cache.reader(Number).byIndex(OWNER_UID_INDEX, uid)`. */
  cache: Cache;
  events: EventRecorder;
  /** Carries controller, namespace, name and reconcileID. */
  log: Logger;
  /**
   * Aborted when this replica must stop reconciling at once (leadership lost, or the grace
   * period of a shutdown ran out). Pass it to long waits; after it fires, write nothing more.
   */
  signal: AbortSignal;
  /** Whether an object is still in line in one of this process's controllers (children that have not had their turn yet). */
  work: WorkInLine;
}

export type ReconcileFn = (req: Request, ctx: ReconcileContext) => Promise<Result | void> | Result | void;
export type Reconciler = ReconcileFn | { reconcile: ReconcileFn };

export type MapFn<T extends KubeObject> = (obj: T) => Request[];

export interface BuilderWatchOptions<T extends KubeObject> {
  /** Predicates for this watch only (on top of `withEventFilter`'s, which apply to all). */
  predicates?: Predicate<T>[];
}

interface Watch {
  kind: Kind<KubeObject>;
  role: 'for' | 'owns' | 'watches';
  map: (obj: KubeObject) => Request[];
  predicates: Predicate[];
}

/** What a running controller needs from its manager. */
export interface ControllerDeps {
  client: Client;
  cache: Cache;
  events: EventRecorder;
  logger?: Logger;
  metrics?: RuntimeMetrics;
  /** The per-process limit shared by all controllers. */
  limiter?: ConcurrencyLimiter;
  clock?: Clock;
  /** The manager's queues by kind, which this controller joins (default: its own alone). */
  work?: WorkQueues;
}

export class ControllerConfigError extends Error {
  readonly code = 'ControllerConfig';
  constructor(message: string) {
    super(message);
    this.name = 'ControllerConfigError';
  }
}

function groupOf(apiVersion: string): string {
  const i = apiVersion.indexOf('/');
  return i < 0 ? '' : apiVersion.slice(0, i);
}

function requestOf(obj: KubeObject): Request {
  return { namespace: obj.metadata.namespace ?? '', name: obj.metadata.name ?? '' };
}

function keyOfRequest(r: Request): string {
  return r.namespace ? `${r.namespace}/${r.name}` : r.name;
}

function requestOfKey(key: string): Request {
  const i = key.indexOf('/');
  return i < 0 ? { namespace: '', name: key } : { namespace: key.slice(0, i), name: key.slice(i + 1) };
}

/**
 * Errors that mean a bug in the reconciler rather than a failed API call: the Go runtime would
 * have panicked. They are logged with their stack and counted as panics as well as errors.
 */
function isPanicLike(err: unknown): boolean {
  return (
    !(err instanceof Error) ||
    err instanceof TypeError ||
    err instanceof ReferenceError ||
    err instanceof RangeError ||
    err instanceof SyntaxError
  );
}

/**
 * Reads as a sentence: `controllerFor(Tuple).owns(Number).withConcurrency(4).complete(fn)`.
 * The result is a definition: every `Manager` that adds it runs its own queue and workers.
 */
export class ControllerBuilder<T extends KubeObject> {
  private readonly watchList: Watch[] = [];
  private readonly filters: Predicate[] = [];
  private concurrency = 1;
  private controllerName: string;
  private extraRules: PolicyRule[] = [];

  constructor(
    private readonly forKind: Kind<T>,
    opts: BuilderWatchOptions<T> = {},
  ) {
    this.controllerName = forKind.kind.toLowerCase();
    this.watchList.push({
      kind: forKind,
      role: 'for',
      map: (o) => [requestOf(o)],
      predicates: opts.predicates ?? [],
    });
  }

  /**
   * Reconciles the owner when an object of `kind` changes: the child's controller
   * ownerReference (controller: true) whose apiVersion group and kind match the reconciled
   * kind names the parent, in the child's namespace. Children owned without `controller: true`
   * are ignored, as in controller-runtime's `Owns`.
   */
  owns<C extends KubeObject>(kind: Kind<C>, opts: BuilderWatchOptions<C> = {}): this {
    const group = this.forKind.group;
    const ownerKind = this.forKind.kind;
    this.watchList.push({
      kind,
      role: 'owns',
      predicates: opts.predicates ?? [],
      map: (child) => {
        const ref = child.metadata.ownerReferences?.find((r) => r.controller === true);
        if (!ref || ref.kind !== ownerKind || groupOf(ref.apiVersion) !== group) return [];
        return [{ namespace: child.metadata.namespace ?? '', name: ref.name }];
      },
    });
    return this;
  }

  /** Reconciles whatever `map` returns when an object of `kind` changes. */
  watches<W extends KubeObject>(kind: Kind<W>, map: MapFn<W>, opts: BuilderWatchOptions<W> = {}): this {
    this.watchList.push({
      kind,
      role: 'watches',
      map: map as MapFn<KubeObject>,
      predicates: opts.predicates ?? [],
    });
    return this;
  }

  /**
   * Filters the events of EVERY watch (for, owns and watches), as controller-runtime's
   * WithEventFilter does. `generationChanged()` here also hides status changes of children.
   */
  withEventFilter(...predicates: Predicate[]): this {
    this.filters.push(...predicates);
    return this;
  }

  /** Reconciles of different keys run in parallel up to `n`; one key never runs twice at once. */
  withConcurrency(n: number): this {
    if (!Number.isInteger(n) || n < 1)
      throw new ControllerConfigError(
        `controller ${this.controllerName}: concurrency must be a positive integer, got ${n}`,
      );
    this.concurrency = n;
    return this;
  }

  /** Names the controller in logs, metrics and events (default: the kind, lower-case). */
  named(name: string): this {
    if (!/^[a-z0-9]([-a-z0-9_.]*[a-z0-9])?$/.test(name)) {
      throw new ControllerConfigError(`controller name "${name}" must be lower-case alphanumerics, '-', '_' or '.'`);
    }
    this.controllerName = name;
    return this;
  }

  /** RBAC rules the reconciler needs beyond what the watches imply (e.g. reading Secrets live). */
  withPermissions(rules: PolicyRule[]): this {
    this.extraRules = [...this.extraRules, ...rules];
    return this;
  }

  complete(reconciler: Reconciler): Controller<T> {
    const fn: ReconcileFn =
      typeof reconciler === 'function' ? reconciler : (req, ctx) => reconciler.reconcile(req, ctx);
    return new Controller<T>({
      name: this.controllerName,
      forKind: this.forKind,
      watches: [...this.watchList],
      filters: [...this.filters],
      concurrency: this.concurrency,
      extraRules: [...this.extraRules],
      reconcile: fn,
    });
  }
}

export function controllerFor<T extends KubeObject>(
  kind: Kind<T>,
  opts: BuilderWatchOptions<T> = {},
): ControllerBuilder<T> {
  return new ControllerBuilder(kind, opts);
}

interface ControllerSpec<T extends KubeObject> {
  name: string;
  forKind: Kind<T>;
  watches: Watch[];
  filters: Predicate[];
  concurrency: number;
  extraRules: PolicyRule[];
  reconcile: ReconcileFn;
}

export class Controller<T extends KubeObject = KubeObject> {
  readonly name: string;
  readonly forKind: Kind<T>;
  readonly concurrency: number;

  constructor(private readonly spec: ControllerSpec<T>) {
    this.name = spec.name;
    this.forKind = spec.forKind;
    this.concurrency = spec.concurrency;
  }

  /** Every kind this controller reads through informers (the manager starts them before it). */
  kinds(): Kind<KubeObject>[] {
    const seen = new Map<string, Kind<KubeObject>>();
    for (const w of this.spec.watches) seen.set(`${w.kind.apiVersion}/${w.kind.plural}`, w.kind);
    return [...seen.values()];
  }

  /**
   * The RBAC rules this controller needs, derived from its watches: the reconciled kind may be
   * read, updated and patched (and its status and finalizers written), owned kinds fully
   * managed, watched kinds read, and Events recorded.
   */
  permissions(): PolicyRule[] {
    const rules: PolicyRule[] = [];
    for (const w of this.spec.watches) {
      const g = [w.kind.group];
      const plural = w.kind.plural;
      if (w.role === 'for') {
        rules.push({ apiGroups: g, resources: [plural], verbs: ['get', 'list', 'watch', 'update', 'patch'] });
        rules.push({ apiGroups: g, resources: [`${plural}/status`], verbs: ['get', 'update', 'patch'] });
        rules.push({ apiGroups: g, resources: [`${plural}/finalizers`], verbs: ['update'] });
      } else if (w.role === 'owns') {
        rules.push({
          apiGroups: g,
          resources: [plural],
          verbs: ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'],
        });
      } else {
        rules.push({ apiGroups: g, resources: [plural], verbs: ['get', 'list', 'watch'] });
      }
    }
    rules.push({ apiGroups: [''], resources: ['events'], verbs: ['create', 'patch'] });
    return [...rules, ...this.spec.extraRules];
  }

  /** Starts handlers and workers; see RunningController for stopping. */
  run(deps: ControllerDeps): RunningController {
    return new RunningController(this.spec, deps);
  }
}

/**
 * One controller running in one manager: its queue, its workers and its informer handlers.
 * `stop()` is the graceful path (no new work, in-flight reconciles finish); `abort()` tells
 * in-flight reconciles to give up now (their ctx.signal fires).
 */
export class RunningController {
  readonly queue: WorkQueue;
  private readonly abortController = new AbortController();
  private readonly unregister: (() => void)[] = [];
  private readonly workers: Promise<void>[] = [];
  private readonly log: Logger;
  private readonly clock: Clock;
  private readonly queues: WorkQueues;
  private stopping?: Promise<void>;

  constructor(
    private readonly spec: ControllerSpec<KubeObject>,
    private readonly deps: ControllerDeps,
  ) {
    this.clock = deps.clock ?? realClock;
    this.log = (deps.logger ?? silentLogger()).child({ controller: spec.name });
    if (deps.metrics) deps.metrics.registerController(spec.name, spec.concurrency);
    const queueMetrics = deps.metrics?.queueMetrics(spec.name, {
      processingStarts: () => this.queue.processingStarts(),
      now: () => this.clock.now(),
    });
    this.queue = new WorkQueue({ name: spec.name, clock: this.clock, metrics: queueMetrics });
    this.queues = deps.work ?? new WorkQueues();
    this.unregister.push(this.queues.register(spec.forKind, this.queue));
    for (const w of spec.watches) this.unregister.push(deps.cache.informerFor(w.kind).addHandler(this.handlerFor(w)));
    for (let i = 0; i < spec.concurrency; i++) this.workers.push(this.work());
    this.log.info({ workers: spec.concurrency }, 'Starting workers');
  }

  get signal(): AbortSignal {
    return this.abortController.signal;
  }

  private handlerFor(w: Watch): EventHandler<KubeObject> {
    const preds = [...this.spec.filters, ...w.predicates];
    const enqueue = (obj: KubeObject, priority: Priority) => {
      for (const req of w.map(obj)) if (req.name) this.queue.add(keyOfRequest(req), priority);
    };
    return {
      add: (obj, isInitialList) => {
        if (allow(preds, 'create', obj)) enqueue(obj, isInitialList ? 'low' : 'high');
      },
      update: (oldObj, newObj) => {
        if (!allow(preds, 'update', oldObj, newObj)) return;
        // Map both states: a child that changed owner must wake its old owner too.
        if (w.role !== 'for') enqueue(oldObj, 'high');
        enqueue(newObj, 'high');
      },
      delete: (obj) => {
        if (allow(preds, 'delete', obj)) enqueue(obj, 'high');
      },
    };
  }

  private async work(): Promise<void> {
    for (;;) {
      const key = await this.queue.get();
      if (key === undefined) return;
      const release = this.deps.limiter ? await this.deps.limiter.acquire() : undefined;
      try {
        if (!this.abortController.signal.aborted) await this.process(key);
      } finally {
        release?.();
        this.queue.done(key);
      }
    }
  }

  private async process(key: string): Promise<void> {
    const req = requestOfKey(key);
    // Most reconciles log nothing: the child logger (pino serializes its bindings) and its
    // reconcileID are made on first use, not for each of a burst's tens of thousands.
    let log: Logger | undefined;
    const logger = () =>
      (log ??= this.log.child({ namespace: req.namespace, name: req.name, reconcileID: randomUUID() }));
    const m = this.deps.metrics;
    const controller = this.spec.name;
    m?.activeWorkers.inc({ controller });
    const started = performance.now();
    let label: ReconcileResultLabel;
    try {
      const result =
        (await this.spec.reconcile(req, {
          client: this.deps.client,
          cache: this.deps.cache,
          events: this.deps.events,
          get log() {
            return logger();
          },
          signal: this.abortController.signal,
          work: this.queues,
        })) ?? {};
      if (result.requeueAfter !== undefined && result.requeueAfter > 0) {
        this.queue.forget(key);
        this.queue.addAfter(key, result.requeueAfter);
        label = 'requeue_after';
      } else if (result.requeue) {
        this.queue.addRateLimited(key);
        label = 'requeue';
      } else {
        this.queue.forget(key);
        label = 'success';
      }
    } catch (err) {
      label = this.onError(key, err, logger());
    } finally {
      m?.activeWorkers.dec({ controller });
      m?.reconcileTime.observe({ controller }, (performance.now() - started) / 1000);
    }
    m?.reconcileTotal.inc({ controller, result: label });
  }

  /** Requeues (or not) a key whose reconcile threw; returns the result label it counts as. */
  private onError(key: string, err: unknown, log: Logger): ReconcileResultLabel {
    const m = this.deps.metrics;
    const controller = this.spec.name;
    if (isConflict(err)) {
      // Optimistic concurrency, not a failure: the object moved on since the cache showed it.
      // Retry with the usual per-key backoff, by then from the newer version.
      log.info(
        { resource: (err as { resource?: string }).resource },
        'conflict (409): requeued to reconcile from a fresher cache',
      );
      this.queue.addRateLimited(key);
      return 'requeue';
    }
    m?.reconcileErrors.inc({ controller });
    if (isTerminal(err)) {
      m?.terminalReconcileErrors.inc({ controller });
      this.queue.forget(key);
      log.error({ err }, 'Reconciler error (terminal, not retried)');
    } else {
      if (isPanicLike(err)) {
        m?.reconcilePanics.inc({ controller });
        const e = err instanceof Error ? err : new Error(`non-Error thrown: ${String(err)}`);
        log.error({ err: e, stack: e.stack }, 'Observed a panic in reconciler');
      } else {
        log.error({ err }, 'Reconciler error');
      }
      this.queue.addRateLimited(key);
    }
    return 'error';
  }

  /** Reconciles in flight right now. */
  inFlight(): number {
    return this.queue.inFlight();
  }

  /**
   * Stops taking work and resolves when in-flight reconciles have finished. Pending keys are
   * dropped: they are level-triggered and the next leader (or restart) lists everything again.
   */
  stop(): Promise<void> {
    if (!this.stopping) {
      for (const u of this.unregister.splice(0)) u();
      this.queue.shutDown();
      this.stopping = Promise.all(this.workers).then(() => this.queue.drained());
    }
    return this.stopping;
  }

  /** Aborts in-flight reconciles' signals and stops; resolves when the workers have returned. */
  abort(reason = 'controller aborted'): Promise<void> {
    this.abortController.abort(new Error(reason));
    return this.stop();
  }
}
