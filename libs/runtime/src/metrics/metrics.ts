import { collectDefaultMetrics, Counter, exponentialBuckets, Gauge, Histogram, Registry } from 'prom-client';
import type { QueueMetrics } from '../queue/work-queue.ts';

/**
 * Metric names and labels are controller-runtime's and client-go's, byte for byte, so the
 * dashboards and alerts people already run against Go operators work unchanged.
 */

/** controller-runtime's reconcile_time_seconds buckets (metrics.go). */
const RECONCILE_BUCKETS = [
  0.005, 0.01, 0.025, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0, 1.25, 1.5, 1.75,
  2.0, 2.5, 3.0, 3.5, 4.0, 4.5, 5, 6, 7, 8, 9, 10, 15, 20, 25, 30, 40, 50, 60,
];

/** client-go workqueue latency buckets: 10 ns … 1000 s. */
const QUEUE_BUCKETS = exponentialBuckets(10e-9, 10, 12);

export type ReconcileResultLabel = 'success' | 'error' | 'requeue' | 'requeue_after';

interface QueueSource {
  processingStarts(): number[];
  now(): number;
}

/** A fresh registry with Node's process metrics (the Go operators' process_/go_ counterpart). */
export function createRegistry(opts: { defaultMetrics?: boolean } = {}): Registry {
  const registry = new Registry();
  if (opts.defaultMetrics !== false) collectDefaultMetrics({ register: registry });
  return registry;
}

/** The runtime's metrics on one registry; one instance per manager. */
export class RuntimeMetrics {
  readonly reconcileTotal: Counter<'controller' | 'result'>;
  readonly reconcileErrors: Counter<'controller'>;
  readonly terminalReconcileErrors: Counter<'controller'>;
  readonly reconcilePanics: Counter<'controller'>;
  readonly reconcileTime: Histogram<'controller'>;
  readonly activeWorkers: Gauge<'controller'>;
  readonly maxConcurrentReconciles: Gauge<'controller'>;
  readonly leaderStatus: Gauge<'name'>;

  private readonly queueDepth: Gauge<'name' | 'controller'>;
  private readonly queueAdds: Counter<'name' | 'controller'>;
  private readonly queueLatency: Histogram<'name' | 'controller'>;
  private readonly workDuration: Histogram<'name' | 'controller'>;
  private readonly retries: Counter<'name' | 'controller'>;
  private readonly queues = new Map<string, QueueSource>();

  constructor(readonly registry: Registry) {
    const r = [registry];
    this.reconcileTotal = new Counter({
      name: 'controller_runtime_reconcile_total',
      help: 'Total number of reconciliations per controller',
      labelNames: ['controller', 'result'],
      registers: r,
    });
    this.reconcileErrors = new Counter({
      name: 'controller_runtime_reconcile_errors_total',
      help: 'Total number of reconciliation errors per controller',
      labelNames: ['controller'],
      registers: r,
    });
    this.terminalReconcileErrors = new Counter({
      name: 'controller_runtime_terminal_reconcile_errors_total',
      help: 'Total number of terminal reconciliation errors per controller',
      labelNames: ['controller'],
      registers: r,
    });
    this.reconcilePanics = new Counter({
      name: 'controller_runtime_reconcile_panics_total',
      help: 'Total number of reconciliation panics per controller',
      labelNames: ['controller'],
      registers: r,
    });
    this.reconcileTime = new Histogram({
      name: 'controller_runtime_reconcile_time_seconds',
      help: 'Length of time per reconciliation per controller',
      labelNames: ['controller'],
      buckets: RECONCILE_BUCKETS,
      registers: r,
    });
    this.activeWorkers = new Gauge({
      name: 'controller_runtime_active_workers',
      help: 'Number of currently used workers per controller',
      labelNames: ['controller'],
      registers: r,
    });
    this.maxConcurrentReconciles = new Gauge({
      name: 'controller_runtime_max_concurrent_reconciles',
      help: 'Maximum number of concurrent reconciles per controller',
      labelNames: ['controller'],
      registers: r,
    });
    this.leaderStatus = new Gauge({
      name: 'leader_election_master_status',
      help: "Gauge of if the reporting system is master of the relevant lease, 0 indicates backup, 1 indicates master. 'name' is the string used to identify the lease. Please make sure to group by name.",
      labelNames: ['name'],
      registers: r,
    });

    const labels = ['name', 'controller'] as const;
    this.queueDepth = new Gauge({
      name: 'workqueue_depth',
      help: 'Current depth of workqueue',
      labelNames: labels,
      registers: r,
    });
    this.queueAdds = new Counter({
      name: 'workqueue_adds_total',
      help: 'Total number of adds handled by workqueue',
      labelNames: labels,
      registers: r,
    });
    this.queueLatency = new Histogram({
      name: 'workqueue_queue_duration_seconds',
      help: 'How long in seconds an item stays in workqueue before being requested',
      labelNames: labels,
      buckets: QUEUE_BUCKETS,
      registers: r,
    });
    this.workDuration = new Histogram({
      name: 'workqueue_work_duration_seconds',
      help: 'How long in seconds processing an item from workqueue takes.',
      labelNames: labels,
      buckets: QUEUE_BUCKETS,
      registers: r,
    });
    this.retries = new Counter({
      name: 'workqueue_retries_total',
      help: 'Total number of retries handled by workqueue',
      labelNames: labels,
      registers: r,
    });
    const queues = this.queues;
    new Gauge({
      name: 'workqueue_unfinished_work_seconds',
      help: "How many seconds of work has been done that is in progress and hasn't been observed by work_duration. Large values indicate stuck threads. One can deduce the number of stuck threads by observing the rate at which this increases.",
      labelNames: labels,
      registers: r,
      collect() {
        for (const [name, q] of queues) {
          const now = q.now();
          this.set(
            { name, controller: name },
            q.processingStarts().reduce((s, t) => s + (now - t) / 1000, 0),
          );
        }
      },
    });
    new Gauge({
      name: 'workqueue_longest_running_processor_seconds',
      help: 'How many seconds has the longest running processor for workqueue been running.',
      labelNames: labels,
      registers: r,
      collect() {
        for (const [name, q] of queues) {
          const now = q.now();
          this.set(
            { name, controller: name },
            q.processingStarts().reduce((m, t) => Math.max(m, (now - t) / 1000), 0),
          );
        }
      },
    });
  }

  /**
   * Hooks for one controller's queue. controller-runtime names the queue after the controller
   * and labels it with both `name` and `controller`.
   */
  queueMetrics(name: string, source: QueueSource): QueueMetrics {
    this.queues.set(name, source);
    const l = { name, controller: name };
    this.queueDepth.set(l, 0);
    this.queueAdds.inc(l, 0);
    this.retries.inc(l, 0);
    return {
      add: () => this.queueAdds.inc(l),
      depth: (n) => this.queueDepth.set(l, n),
      queued: (s) => this.queueLatency.observe(l, s),
      worked: (s) => this.workDuration.observe(l, s),
      retry: () => this.retries.inc(l),
    };
  }

  /** Zero-initialised series for a controller, so dashboards see it before its first reconcile. */
  registerController(controller: string, maxConcurrent: number): void {
    this.maxConcurrentReconciles.set({ controller }, maxConcurrent);
    this.activeWorkers.set({ controller }, 0);
    for (const result of ['success', 'error', 'requeue', 'requeue_after'] as const)
      this.reconcileTotal.inc({ controller, result }, 0);
    this.reconcileErrors.inc({ controller }, 0);
    this.terminalReconcileErrors.inc({ controller }, 0);
    this.reconcilePanics.inc({ controller }, 0);
  }
}
