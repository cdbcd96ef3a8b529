/**
 * Scenarios 3 and 5 — memory and event-loop lag with a large cache. Both start from the same
 * server state: `numbers` (memory) or `objects` (lag) Numbers, already carrying the status the
 * number controller would write.
 *
 *   npm run bench -- --scenario memory --numbers 100000
 *   npm run bench -- --scenario lag --objects 100000
 *
 * memory: the math manager in a child with --expose-gc; heap and RSS after full GCs, before
 * start (the process baseline: modules loaded, manager built) and once every Number has been
 * reconciled and the queues are empty. lag: a child that only lists and caches (what a manager
 * does at start), sampling event-loop delay every 5 ms from start to synced.
 */
import { Child } from '../lib/child.ts';
import type { Cluster } from '../lib/cluster.ts';
import { ManagerProcess, profileDir } from '../lib/manager-process.ts';
import type { MemorySample } from '../lib/memory.ts';
import type { LagSummary } from '../lib/lag.ts';
import type { BenchOptions } from '../lib/options.ts';
import { CACHE_NAMESPACE, populateNumbers } from '../lib/populate.ts';
import { fmt, judge, type RunContext, type ScenarioOutcome } from '../lib/report.ts';
import type { MeterSnapshot } from '../lib/request-meter.ts';

export interface CacheSession {
  cluster: Cluster;
  populated: number;
  populateSeconds: number;
}

/** Brings the cache namespace up to `count` Numbers (reused when memory and lag run together). */
export async function ensurePopulated(s: CacheSession, count: number, concurrency: number): Promise<void> {
  if (s.populated >= count) return;
  if (s.populated === 0) await s.cluster.createNamespace(CACHE_NAMESPACE);
  if (s.populated > 0)
    throw new Error(
      `cache namespace holds ${s.populated} Numbers; run memory and lag with the same size (--numbers = --objects)`,
    );
  const r = await populateNumbers(s.cluster.client, CACHE_NAMESPACE, count, concurrency);
  s.populated = count;
  s.populateSeconds = r.seconds;
}

const KiB = 1024;
const MiB = 1024 * 1024;

export async function runMemory(o: BenchOptions, ctx: RunContext, s: CacheSession): Promise<ScenarioOutcome> {
  await ensurePopulated(s, o.numbers, o.concurrency);
  const manager = await ManagerProcess.start(s.cluster.info.kubeconfigPath, {
    gc: true,
    ...(o.profile ? { profileDir: profileDir(o.resultsDir) } : {}),
  });
  let baseline: MemorySample;
  let after: MemorySample;
  let idle;
  let snap;
  try {
    baseline = await manager.memory();
    await manager.run();
    idle = await manager.waitIdle({
      minReconciles: { number: o.numbers },
      quietMs: 1000,
      timeoutMs: o.timeoutSeconds * 1000,
    });
    after = await manager.memory();
    snap = await manager.snapshot();
  } finally {
    await manager.stop();
  }
  const heapPerObject = (after.heapUsed - baseline.heapUsed) / o.numbers;
  const rssPerObject = (after.rss - baseline.rss) / o.numbers;
  const data = {
    numbers: o.numbers,
    baseline,
    after,
    heapBytesPerNumber: heapPerObject,
    rssBytesPerNumber: rssPerObject,
    startToIdleSeconds: idle.secondsSinceStart,
    reconciles: idle.reconciles,
    writes: snap.requests.writes,
    requests: snap.requests.byKey,
    managerLag: snap.lag,
    populateSeconds: s.populateSeconds,
    server: s.cluster.info.label,
  };
  return {
    scenario: 'memory',
    data,
    rows: [
      {
        scenario: 'memory',
        metric: `heap per cached Number (${o.numbers})`,
        value: `${fmt(heapPerObject / KiB)} KiB`,
        target: '≤ 2 KiB',
        pass: judge(ctx.smoke, heapPerObject <= 2 * KiB),
      },
      {
        scenario: 'memory',
        metric: 'RSS per cached Number',
        value: `${fmt(rssPerObject / KiB)} KiB (heap ${fmt(baseline.heapUsed / MiB, 1)} → ${fmt(after.heapUsed / MiB, 1)} MiB)`,
      },
      {
        scenario: 'memory',
        metric: 'manager start → idle (writes)',
        value: `${fmt(idle.secondsSinceStart)} s (${snap.requests.writes} writes)`,
      },
    ],
  };
}

export async function runLag(o: BenchOptions, ctx: RunContext, s: CacheSession): Promise<ScenarioOutcome> {
  await ensurePopulated(s, o.objects, o.concurrency);
  const probe = new Child(new URL('../lib/cache-probe.child.ts', import.meta.url), {
    name: 'cache-probe',
    nodeFlags: ['--expose-gc', ...(o.profile ? ['--cpu-prof', `--cpu-prof-dir=${profileDir(o.resultsDir)}`] : [])],
    args: [s.cluster.info.kubeconfigPath],
  });
  let r: {
    syncSeconds: number;
    lag: LagSummary;
    objects: number;
    baseline: MemorySample;
    after: MemorySample;
    requests: MeterSnapshot;
  };
  try {
    r = await probe.call('measure');
  } finally {
    await probe.close();
  }
  const cacheHeapPerObject = (r.after.heapUsed - r.baseline.heapUsed) / r.objects;
  const data = {
    objects: r.objects,
    syncSeconds: r.syncSeconds,
    lag: r.lag,
    listRequests: r.requests.byKey,
    cacheHeapBytesPerObject: cacheHeapPerObject,
    server: s.cluster.info.label,
  };
  return {
    scenario: 'lag',
    data,
    rows: [
      {
        scenario: 'lag',
        metric: `event-loop lag listing+caching ${r.objects}`,
        value: `p99 ${fmt(r.lag.p99Ms, 1)} ms (p50 ${fmt(r.lag.p50Ms, 1)}, max ${fmt(r.lag.maxMs, 1)}; ${r.lag.samples} samples)`,
        target: 'p99 ≤ 50 ms',
        pass: judge(ctx.smoke, r.lag.p99Ms <= 50),
      },
      {
        scenario: 'lag',
        metric: 'list+cache time (cache heap/object)',
        value: `${fmt(r.syncSeconds)} s (${fmt(cacheHeapPerObject / KiB)} KiB)`,
      },
    ],
  };
}
