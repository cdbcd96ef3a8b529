import { existsSync, readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import type { Registry } from 'prom-client';
import { Cache } from '../cache/cache.ts';
import { Client } from '../client/client.ts';
import { Controller, type RunningController } from '../controller/controller.ts';
import { WorkQueues } from '../controller/work-in-line.ts';
import { EventRecorder } from '../events/recorder.ts';
import type { KubeObject } from '../kinds/kind.ts';
import { silentLogger, type Logger } from '../logging.ts';
import type { PolicyRule } from '../manifests/rbac.ts';
import { createRegistry, RuntimeMetrics } from '../metrics/metrics.ts';
import { ConcurrencyLimiter } from '../queue/limiter.ts';
import { LeaderElector, LeaderElectionError } from '../leader/leader-election.ts';
import { WebhookServer } from '../webhook/server.ts';
import { close, healthRoute, parseBindAddress, serve, type Check } from './http.ts';

/** Something the manager starts and stops besides controllers (a poller, a cache warmer...). */
export interface Runnable {
  /** Runs until `signal` aborts; resolving early is fine, rejecting stops the manager. */
  start(signal: AbortSignal): Promise<void> | void;
  /** Default true: only the leader runs it. False: every replica does (like the webhook server). */
  needLeaderElection?: boolean;
}

export interface ManagerOptions {
  /** fieldManager, Event reportingController, and the default lease name prefix. */
  name: string;
  /** Default: KubeConfig.loadFromDefault() ($KUBECONFIG, in-cluster, ~/.kube/config). */
  kubeConfig?: KubeConfig;
  /** Watch scope: only this namespace (default: all). */
  namespace?: string;
  /** `:8080` (default), `127.0.0.1:0` (free port), `0` disables. */
  metricsBindAddress?: string;
  /** `:8081` (default), `0` disables. */
  healthProbeBindAddress?: string;
  leaderElection?: boolean;
  /** Lease name; default `<name>.kubeloop.dev`. */
  leaderElectionID?: string;
  /** Default: `namespace`, else $POD_NAMESPACE, else the in-cluster service account's namespace, else the kubeconfig's. */
  leaderElectionNamespace?: string;
  leaseDurationMs?: number;
  renewDeadlineMs?: number;
  retryPeriodMs?: number;
  /** Default: $POD_NAME, else hostname_uuid. */
  leaderElectionIdentity?: string;
  /** How long in-flight reconciles may take to finish on shutdown (default 30 s). */
  gracefulShutdownMs?: number;
  /** Webhook server settings; `false` disables it even when webhooks are registered. */
  webhook?: { port?: number; certDir?: string; host?: string } | false;
  /** Reconciles in flight across all controllers of this process (default: unbounded). */
  maxConcurrentReconciles?: number;
  logger?: Logger;
  /**
   * `--local-webhooks` (runManager): a local CA and certificate, the webhook server on
   * 127.0.0.1, and the webhook configurations registered by URL.
   */
  localWebhooks?: boolean;
  /** Log level for runManager's logger (`--log-level`). */
  logLevel?: string;
  /** Another registry to serve (default: a fresh one with Node process metrics). */
  registry?: Registry;
}

export class ManagerError extends Error {
  constructor(
    readonly code: 'AlreadyStarted' | 'DuplicateController' | 'RunnableFailed' | 'CacheSyncFailed',
    message: string,
  ) {
    super(message);
    this.name = 'ManagerError';
  }
}

export interface ServingAddresses {
  metrics?: string;
  healthProbe?: string;
  webhook?: string;
}

const SA_NAMESPACE_FILE = '/var/run/secrets/kubernetes.io/serviceaccount/namespace';

type Phase = 'new' | 'starting' | 'syncing' | 'standby' | 'leading' | 'stopping' | 'stopped';

/**
 * Runs controllers the controller-runtime way. Order on start:
 * 1. metrics and probe servers and the webhook server — on every replica, so probes answer
 *    and admission works while this replica waits for the lease;
 * 2. informers for every kind the controllers watch, until synced — also on every replica, so
 *    a standby that becomes leader has a warm cache and takes over in one lease duration;
 * 3. leader election (when on), then the controllers and leader-only runnables.
 *
 * On abort of the start signal: stop taking work, let in-flight reconciles finish within
 * `gracefulShutdownMs` (then abort their signals), release the lease, stop informers and
 * servers, and resolve. Losing the lease aborts reconciles at once and rejects with
 * LeaderElectionError (`runManager` then exits 1 and the pod restarts as a standby — the same
 * choice controller-runtime makes, because in-memory state may be stale).
 */
export class Manager {
  readonly name: string;
  readonly client: Client;
  readonly cache: Cache;
  readonly events: EventRecorder;
  readonly registry: Registry;
  readonly metrics: RuntimeMetrics;
  readonly webhooks: WebhookServer;
  readonly logger: Logger;
  readonly elector?: LeaderElector;

  private readonly controllers: Controller<KubeObject>[] = [];
  private readonly runnables: Runnable[] = [];
  private readonly running: RunningController[] = [];
  private readonly healthChecks = new Map<string, Check>();
  private readonly readyChecks = new Map<string, Check>();
  private phase: Phase = 'new';
  private addresses: ServingAddresses = {};
  private servingWaiters: ((a: ServingAddresses) => void)[] = [];

  constructor(readonly options: ManagerOptions) {
    this.name = options.name;
    this.logger = options.logger ?? silentLogger();
    let kubeConfig = options.kubeConfig;
    if (!kubeConfig) {
      kubeConfig = new KubeConfig();
      kubeConfig.loadFromDefault();
    }
    this.client = new Client(kubeConfig, { fieldManager: options.name, logger: this.logger });
    this.cache = new Cache(this.client, { namespace: options.namespace, logger: this.logger });
    this.events = new EventRecorder(this.client, { component: options.name, logger: this.logger });
    this.registry = options.registry ?? createRegistry();
    this.metrics = new RuntimeMetrics(this.registry);
    const wh = options.webhook || {};
    this.webhooks = new WebhookServer({
      port: wh.port ?? 9443,
      host: wh.host,
      certDir: wh.certDir ?? join(tmpdir(), 'k8s-webhook-server', 'serving-certs'),
      logger: this.logger,
    });
    if (options.leaderElection) {
      this.elector = new LeaderElector({
        client: this.client,
        namespace: this.leaderElectionNamespace(),
        name: this.leaderElectionID,
        identity: options.leaderElectionIdentity,
        leaseDurationMs: options.leaseDurationMs,
        renewDeadlineMs: options.renewDeadlineMs,
        retryPeriodMs: options.retryPeriodMs,
        logger: this.logger,
        onStatus: (leader) => this.metrics.leaderStatus.set({ name: this.leaderElectionID }, leader ? 1 : 0),
      });
      this.metrics.leaderStatus.set({ name: this.leaderElectionID }, 0);
    }
    this.healthChecks.set('ping', () =>
      this.phase === 'stopping' || this.phase === 'stopped' ? 'manager is shutting down' : undefined,
    );
  }

  get leaderElectionID(): string {
    return this.options.leaderElectionID ?? `${this.name}.kubeloop.dev`;
  }

  private leaderElectionNamespace(): string {
    if (this.options.leaderElectionNamespace) return this.options.leaderElectionNamespace;
    if (this.options.namespace) return this.options.namespace;
    if (process.env.POD_NAMESPACE) return process.env.POD_NAMESPACE;
    if (existsSync(SA_NAMESPACE_FILE)) return readFileSync(SA_NAMESPACE_FILE, 'utf8').trim();
    return this.client.defaultNamespace;
  }

  /** Adds a controller (leader only) or a runnable. */
  add(
    item: Controller<KubeObject> | Controller<never> | Runnable | ((signal: AbortSignal) => Promise<void> | void),
  ): this {
    if (this.phase !== 'new')
      throw new ManagerError('AlreadyStarted', `cannot add to manager ${this.name} after start`);
    if (item instanceof Controller) {
      const c = item as unknown as Controller<KubeObject>;
      if (this.controllers.some((x) => x.name === c.name)) {
        throw new ManagerError(
          'DuplicateController',
          `controller "${c.name}" is already registered: give one of them another name with .named()`,
        );
      }
      this.controllers.push(c);
    } else if (typeof item === 'function') {
      this.runnables.push({ start: item });
    } else {
      this.runnables.push(item);
    }
    return this;
  }

  addHealthCheck(name: string, check: Check): this {
    this.healthChecks.set(name, check);
    return this;
  }

  addReadyCheck(name: string, check: Check): this {
    this.readyChecks.set(name, check);
    return this;
  }

  /** RBAC for the manager's role: every controller's rules, plus Leases when electing. */
  permissions(): PolicyRule[] {
    const rules = this.controllers.flatMap((c) => c.permissions());
    if (this.options.leaderElection) {
      rules.push({
        apiGroups: ['coordination.k8s.io'],
        resources: ['leases'],
        verbs: ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'],
      });
    }
    return rules;
  }

  isLeader(): boolean {
    return this.phase === 'leading';
  }

  /** Resolves with the servers' URLs once they listen (for tests and tools). */
  serving(): Promise<ServingAddresses> {
    if (this.phase !== 'new' && this.phase !== 'starting') return Promise.resolve(this.addresses);
    return new Promise((r) => this.servingWaiters.push(r));
  }

  /** Reconciles in flight across all controllers. */
  inFlight(): number {
    return this.running.reduce((n, r) => n + r.inFlight(), 0);
  }

  private readinessChecks(): Map<string, Check> {
    const checks = new Map<string, Check>();
    checks.set('ping', this.healthChecks.get('ping')!);
    for (const informer of this.cache.allInformers()) {
      let name = `informer ${informer.kind.kind}`;
      for (let i = 2; checks.has(name); i++) name = `informer ${informer.kind.kind} #${i}`;
      checks.set(name, () =>
        !informer.hasSynced() ? 'not synced' : !informer.isHealthy() ? 'watch stalled' : undefined,
      );
    }
    if (this.elector) {
      checks.set('leader', () =>
        this.phase === 'leading' && this.running.length !== this.controllers.length
          ? 'controllers not running'
          : undefined,
      );
    }
    if (this.webhookEnabled()) checks.set('webhook', () => (this.addresses.webhook ? undefined : 'not serving'));
    for (const [k, v] of this.readyChecks) checks.set(k, v);
    return checks;
  }

  private webhookEnabled(): boolean {
    return this.options.webhook !== false && this.webhooks.registrations().length > 0;
  }

  /** Runs until `signal` aborts (resolves) or the lease is lost / a runnable fails (rejects). */
  async start(signal: AbortSignal): Promise<void> {
    if (this.phase !== 'new') throw new ManagerError('AlreadyStarted', `manager ${this.name} was already started`);
    this.phase = 'starting';
    const log = this.logger.child({ manager: this.name });
    const servers: Server[] = [];
    const internal = new AbortController(); // stops informers, election and runnables
    const onAbort = () => internal.abort();
    signal.addEventListener('abort', onAbort, { once: true });
    let failure: Error | undefined;
    const fail = (err: Error) => {
      failure ??= err;
      internal.abort();
    };
    const leaderRunnables: Promise<void>[] = [];
    const everyReplicaRunnables: Promise<void>[] = [];
    const startRunnable = (r: Runnable) =>
      Promise.resolve()
        .then(() => r.start(internal.signal))
        .catch((err: Error) => fail(new ManagerError('RunnableFailed', `runnable failed: ${err.message}`)));

    try {
      // 1. Servers.
      const metricsAddr = parseBindAddress(this.options.metricsBindAddress ?? ':8080');
      if (metricsAddr) {
        const { server, url } = await serve(metricsAddr, {
          '/metrics': async (_req, res) => {
            const body = await this.registry.metrics();
            res.writeHead(200, { 'content-type': this.registry.contentType }).end(body);
          },
        });
        servers.push(server);
        this.addresses.metrics = url;
        log.info({ url }, 'Serving metrics');
      }
      const probeAddr = parseBindAddress(this.options.healthProbeBindAddress ?? ':8081');
      if (probeAddr) {
        const { server, url } = await serve(probeAddr, {
          '/healthz': healthRoute('healthz', () => this.healthChecks),
          '/healthz/*': healthRoute('healthz', () => this.healthChecks),
          '/readyz': healthRoute('readyz', () => this.readinessChecks()),
          '/readyz/*': healthRoute('readyz', () => this.readinessChecks()),
        });
        servers.push(server);
        this.addresses.healthProbe = url;
        log.info({ url }, 'Serving health probes');
      }
      if (this.webhookEnabled()) {
        const { url } = await this.webhooks.start();
        this.addresses.webhook = url;
      }
      this.phase = 'syncing';
      for (const w of this.servingWaiters.splice(0)) w(this.addresses);
      for (const r of this.runnables.filter((x) => x.needLeaderElection === false))
        everyReplicaRunnables.push(startRunnable(r));

      // 2. Informers.
      for (const c of this.controllers) for (const kind of c.kinds()) this.cache.informerFor(kind);
      await this.cache.start(internal.signal);
      if (!(await this.cache.waitForSync(internal.signal))) {
        if (!internal.signal.aborted) fail(new ManagerError('CacheSyncFailed', 'caches did not sync'));
      } else {
        log.info('Caches synced');
      }

      // 3. Leadership, then controllers.
      let lost: Promise<LeaderElectionError | undefined> | undefined;
      if (!internal.signal.aborted) {
        this.phase = 'standby';
        const leader = this.elector ? await this.elector.acquire(internal.signal) : true;
        if (leader && !internal.signal.aborted) {
          const limiter = this.options.maxConcurrentReconciles
            ? new ConcurrencyLimiter(this.options.maxConcurrentReconciles)
            : undefined;
          const work = new WorkQueues();
          for (const c of this.controllers) {
            this.running.push(
              c.run({
                client: this.client,
                cache: this.cache,
                events: this.events,
                logger: this.logger,
                metrics: this.metrics,
                limiter,
                work,
              }),
            );
          }
          for (const r of this.runnables.filter((x) => x.needLeaderElection !== false))
            leaderRunnables.push(startRunnable(r));
          this.phase = 'leading';
          log.info({ controllers: this.controllers.map((c) => c.name) }, 'Started controllers');
          if (this.elector) {
            lost = this.elector.holdUntilLost(internal.signal);
            void lost.then((err) => {
              if (!err) return;
              // Stop reconciling at once: another replica is (or soon will be) leading.
              for (const r of this.running) void r.abort('leader election lost');
              fail(err);
            });
          }
        }
      }

      // Wait for the stop signal or a failure.
      if (!internal.signal.aborted)
        await new Promise<void>((r) => internal.signal.addEventListener('abort', () => r(), { once: true }));
      this.phase = 'stopping';
      log.info('Stopping and waiting for in-flight reconciles');
      await this.drain(log);
      await Promise.all(leaderRunnables);
      // Release unless the lease is already someone else's; a standby then starts at once.
      if (!(failure instanceof LeaderElectionError)) await this.elector?.release();
      await lost;
      await Promise.all(everyReplicaRunnables);
      await this.cache.stopped();
      await this.events.flush().catch(() => {});
    } catch (err) {
      failure ??= err as Error;
      internal.abort();
      await this.drain(log).catch(() => {});
    } finally {
      signal.removeEventListener('abort', onAbort);
      this.phase = 'stopping';
      await this.webhooks.stop(this.options.gracefulShutdownMs ?? 30_000);
      await Promise.all(servers.map((s) => close(s)));
      this.phase = 'stopped';
      for (const w of this.servingWaiters.splice(0)) w(this.addresses);
    }
    if (failure) throw failure;
    log.info('Stopped');
  }

  /** Graceful stop of the controllers, bounded by gracefulShutdownMs; then abort. */
  private async drain(log: Logger): Promise<void> {
    const grace = this.options.gracefulShutdownMs ?? 30_000;
    const stopping = Promise.all(this.running.map((r) => r.stop()));
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timedOut = await Promise.race([
      stopping.then(() => false),
      new Promise<boolean>((r) => (timer = setTimeout(() => r(true), grace))),
    ]);
    clearTimeout(timer);
    if (timedOut) {
      log.warn(
        { gracefulShutdownMs: grace, inFlight: this.inFlight() },
        'graceful shutdown timed out; aborting in-flight reconciles',
      );
      // A reconcile that ignores its signal cannot be stopped; do not let it hold the exit forever.
      let t2: ReturnType<typeof setTimeout> | undefined;
      await Promise.race([
        Promise.all(this.running.map((r) => r.abort('graceful shutdown timed out'))),
        new Promise((r) => (t2 = setTimeout(r, Math.min(grace, 1000)))),
      ]);
      clearTimeout(t2);
    }
  }
}
