/**
 * Child process running the math manager (or sample-controller's) exactly as its main.ts wires it (all its
 * controllers, cluster-wide), with a RequestMeter counting every request it sends and its
 * Prometheus registry read for queue depth and reconcile counts. The parent drives it by RPC.
 */
import { KubeConfig } from '@kubernetes/client-node';
import { createLogger, Manager } from '@kubeloop/runtime';
import { setupMath } from './math.ts';
import { setupSampleController } from './sample-controller.ts';
import { serve } from './child.ts';
import { RequestMeter, type RequestEvent } from './request-meter.ts';
import { LagMonitor } from './lag.ts';
import { measureAfterGc } from './memory.ts';

const kubeconfigPath = process.argv[2];
if (!kubeconfigPath) throw new Error('usage: manager.child.ts <kubeconfig>');

const meter = new RequestMeter().start();
const lag = new LagMonitor();
let mgr: Manager | undefined;
let abort: AbortController | undefined;
let running: Promise<void> | undefined;
let startError: Error | undefined;
let startedAt = 0;
/** process.cpuUsage() at the last resetMeter: the CPU the manager spent since, user + system. */
let cpuAtReset = process.cpuUsage();

interface MetricValue {
  labels: Record<string, string | number>;
  value: number;
}

async function metric(name: string): Promise<MetricValue[]> {
  const m = mgr?.registry.getSingleMetric(name);
  if (!m) return [];
  return ((await m.get()) as { values: MetricValue[] }).values;
}

/** Reconciles per controller (all results), queue depth and busy workers, summed over controllers. */
async function progress() {
  const reconciles: Record<string, number> = {};
  for (const v of await metric('controller_runtime_reconcile_total')) {
    const c = String(v.labels.controller);
    reconciles[c] = (reconciles[c] ?? 0) + v.value;
  }
  const errors: Record<string, number> = {};
  for (const v of await metric('controller_runtime_reconcile_errors_total'))
    errors[String(v.labels.controller)] = v.value;
  const depth = (await metric('workqueue_depth')).reduce((s, v) => s + v.value, 0);
  const active = (await metric('controller_runtime_active_workers')).reduce((s, v) => s + v.value, 0);
  // Events go out in the background behind the object writes: idle means they have all landed too.
  return {
    reconciles,
    errors,
    depth,
    active,
    eventsPending: mgr?.events.pending ?? 0,
    synced: mgr?.cache.hasSynced() ?? false,
  };
}

function cpuSecondsSince(start: NodeJS.CpuUsage): number {
  const d = process.cpuUsage(start);
  return (d.user + d.system) / 1e6;
}

const { emit } = serve({
  async start(params: { namespace?: string; logLevel?: string; app?: 'math' | 'sample-controller' }) {
    const app = params.app ?? 'math';
    const kubeConfig = new KubeConfig();
    kubeConfig.loadFromFile(kubeconfigPath);
    abort = new AbortController();
    mgr = new Manager({
      name: app,
      kubeConfig,
      ...(params.namespace ? { namespace: params.namespace } : {}),
      metricsBindAddress: '0',
      healthProbeBindAddress: '0',
      leaderElection: false,
      leaderElectionID: `${app}.kubeloop.dev`,
      gracefulShutdownMs: 10_000,
      logger: createLogger({ level: params.logLevel ?? process.env.LOG_LEVEL ?? 'silent' }),
    });
    if (app === 'math') setupMath(mgr);
    else setupSampleController(mgr);
    lag.start();
    startedAt = performance.now();
    running = mgr.start(abort.signal);
    running.catch((err: unknown) => {
      startError = err instanceof Error ? err : new Error(String(err));
    });
    return { pid: process.pid };
  },

  /**
   * Resolves once every controller has reconciled at least `minReconciles[controller]` times
   * and the queues have stayed empty, with no busy worker and no Event waiting, for `quietMs`.
   */
  async waitIdle(params: { minReconciles?: Record<string, number>; quietMs?: number; timeoutMs?: number }) {
    const quietMs = params.quietMs ?? 500;
    const deadline = performance.now() + (params.timeoutMs ?? 600_000);
    let quietSince: number | undefined;
    let lastTotal = -1;
    for (;;) {
      if (startError) throw startError;
      const p = await progress();
      const total = Object.values(p.reconciles).reduce((a, b) => a + b, 0);
      const enough = Object.entries(params.minReconciles ?? {}).every(([c, n]) => (p.reconciles[c] ?? 0) >= n);
      const now = performance.now();
      if (p.synced && enough && p.depth === 0 && p.active === 0 && p.eventsPending === 0 && total === lastTotal) {
        quietSince ??= now;
        if (now - quietSince >= quietMs) return { ...p, secondsSinceStart: (now - startedAt) / 1000 };
      } else quietSince = undefined;
      lastTotal = total;
      if (now > deadline) throw new Error(`manager not idle after ${params.timeoutMs} ms: ${JSON.stringify(p)}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  },

  async snapshot() {
    return {
      requests: meter.snapshot(),
      progress: await progress(),
      lag: lag.summary(),
      memory: process.memoryUsage(),
      // The process's resident-set high-water mark (maxRSS is in KiB).
      maxRssBytes: process.resourceUsage().maxRSS * 1024,
      cpuSeconds: cpuSecondsSince(cpuAtReset),
    };
  },

  resetMeter() {
    meter.reset();
    lag.start();
    cpuAtReset = process.cpuUsage();
  },

  /** Streams answered writes to `resources` as `write` events (for latency). */
  watchWrites(params: { resources: string[] }) {
    const wanted = new Set(params.resources);
    meter.onRequest((e: RequestEvent) => {
      if (wanted.has(e.resource) && e.verb !== 'get' && e.verb !== 'list' && e.verb !== 'watch') emit('write', e);
    });
  },

  async memory() {
    return measureAfterGc();
  },

  async shutdown() {
    abort?.abort();
    await running?.catch(() => undefined);
    meter.stop();
  },
});
