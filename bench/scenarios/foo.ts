/**
 * Foo — upstream's sample-controller, head to head: kubeloop's Foo controller against the write
 * floor and, given `--go-sample-controller PATH`, upstream's Go controller, on one server in one run.
 *
 *   npm run bench -- --scenario foo --foos 1000 [--go-sample-controller /work/realk8s/bin/sample-controller]
 *
 * In order, on one control plane (each part in its own namespace, deleted before the next starts,
 * so that no controller sees another part's objects):
 * 1. the write floor (plain client in its own process; see runFooFloor);
 * 2. the sample-controller manager (its own process, idle before the clock starts): the harness
 *    creates `foos` Foos, `applyConcurrency` (16) in flight, and the clock runs from the first
 *    create until FooTracker sees every Foo synced; then its steady state: `idleSeconds` idle and
 *    a restarted manager's full resync, both counted;
 * 3. with the Go binary: the same Foos in a fresh namespace, after one probe Foo has shown the Go
 *    controller running (its caches synced), timed the same way.
 * Writes are the manager's object writes (Events apart), counted in its process.
 */
import { mkdirSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { forEachLimit, type Client } from '@kubeloop/runtime';
import { Child } from '../lib/child.ts';
import type { Cluster } from '../lib/cluster.ts';
import { FooTracker } from '../lib/foo-tracker.ts';
import { GoSampleController } from '../lib/go-sample-controller.ts';
import { ManagerProcess, profileDir } from '../lib/manager-process.ts';
import type { BenchOptions } from '../lib/options.ts';
import { fmt, judge, type RunContext, type Row, type ScenarioOutcome } from '../lib/report.ts';
import { writesTo, type MeterSnapshot } from '../lib/request-meter.ts';
import { Foo, newFoo } from '../lib/sample-controller.ts';

export const FOO_FLOOR_NAMESPACE = 'bench-foo-floor';
export const FOO_NAMESPACE = 'bench-foo';
export const FOO_GO_NAMESPACE = 'bench-foo-go';
const FOO_GO_PROBE_NAMESPACE = 'bench-foo-go-probe';

const log = (msg: string) => process.stderr.write(`[foo ${new Date().toISOString().slice(11, 19)}] ${msg}\n`);
const load = () => loadavg().map((l) => Math.round(l * 100) / 100);

/** The user's apply: `n` Foos, `concurrency` creates in flight, by the harness's own client. */
async function createFoos(client: Client, namespace: string, n: number, concurrency: number): Promise<void> {
  const foos = client.resource(Foo);
  await forEachLimit(
    Array.from({ length: n }, (_, i) => i),
    concurrency,
    async (i) => void (await foos.create(newFoo(namespace, i))),
  );
}

/** Times `n` Foos from the first create until every one is synced (FooTracker's definition). */
async function timeFoos(
  cluster: Cluster,
  namespace: string,
  o: BenchOptions,
  abortOn?: Promise<never>,
): Promise<number> {
  const tracker = new FooTracker(cluster.client, namespace);
  await tracker.start();
  const progress = setInterval(() => log(`${tracker.count}/${o.foos} Foos synced`), 30_000);
  try {
    const t0 = performance.now();
    const created = createFoos(cluster.client, namespace, o.foos, o.applyConcurrency);
    const synced = tracker.waitForSynced(o.foos, o.timeoutSeconds * 1000);
    const [, at] = await Promise.all(abortOn ? [created, Promise.race([synced, abortOn])] : [created, synced]);
    return (at - t0) / 1000;
  } finally {
    clearInterval(progress);
    await tracker.stop();
  }
}

/** The manager's object writes (Events apart), split as the minimal set is. */
function fooWrites(s: MeterSnapshot) {
  const w = {
    deploymentCreates: writesTo(s, 'deployments', ['create']),
    deploymentOther: writesTo(s, 'deployments', ['update', 'patch', 'delete', 'deletecollection']),
    fooStatus: writesTo(s, 'foos/status'),
    fooSpec: writesTo(s, 'foos'),
    events: writesTo(s, 'events'),
  };
  const { events, ...objects } = w;
  return { ...w, total: Object.values(objects).reduce((a, b) => a + b, 0) };
}

export async function runFoo(o: BenchOptions, ctx: RunContext, cluster: Cluster): Promise<ScenarioOutcome> {
  const timeoutMs = o.timeoutSeconds * 1000;
  const loadAtStart = load();

  // 1. The write floor, in its own process, then gone before any controller starts.
  await cluster.createNamespace(FOO_FLOOR_NAMESPACE);
  const floorChild = new Child(new URL('../lib/floor.child.ts', import.meta.url), {
    name: 'floor',
    args: [cluster.info.kubeconfigPath],
  });
  let floor: { seconds: number; synced: number; requests: MeterSnapshot };
  try {
    floor = await floorChild.call('runFoo', {
      namespace: FOO_FLOOR_NAMESPACE,
      foos: o.foos,
      concurrency: o.applyConcurrency,
    });
  } finally {
    await floorChild.close();
  }
  log(`floor: ${fmt(floor.seconds)} s`);
  await cluster.deleteNamespace(FOO_FLOOR_NAMESPACE, timeoutMs);

  // 2. kubeloop's sample-controller, started on an empty namespace and idle before the clock starts.
  await cluster.createNamespace(FOO_NAMESPACE);
  const mgrOpts = o.profile ? { profileDir: profileDir(o.resultsDir) } : {};
  let manager = await ManagerProcess.start(cluster.info.kubeconfigPath, mgrOpts);
  let kubeloopSeconds: number;
  let snap: Awaited<ReturnType<ManagerProcess['snapshot']>>;
  let idleSnap: Awaited<ReturnType<ManagerProcess['snapshot']>>;
  let resyncSnap: Awaited<ReturnType<ManagerProcess['snapshot']>>;
  let resyncSeconds: number;
  try {
    await manager.run({ app: 'sample-controller' });
    await manager.waitIdle({ quietMs: 500, timeoutMs });
    await manager.resetMeter();
    kubeloopSeconds = await timeFoos(cluster, FOO_NAMESPACE, o);
    log(`kubeloop: ${fmt(kubeloopSeconds)} s`);
    await manager.waitIdle({ quietMs: 1000, timeoutMs });
    snap = await manager.snapshot();

    // Steady state: idle, then a restarted manager's full resync; every write counts.
    await manager.resetMeter();
    const idleUntil = performance.now() + o.idleSeconds * 1000;
    while (performance.now() < idleUntil)
      await new Promise((r) => setTimeout(r, Math.min(1000, idleUntil - performance.now())));
    idleSnap = await manager.snapshot();
    await manager.stop();
    manager = await ManagerProcess.start(cluster.info.kubeconfigPath, mgrOpts);
    await manager.run({ app: 'sample-controller' });
    const resync = await manager.waitIdle({ minReconciles: { foo: o.foos }, quietMs: 1000, timeoutMs });
    resyncSeconds = resync.secondsSinceStart;
    resyncSnap = await manager.snapshot();
  } finally {
    await manager.stop();
  }
  const w = fooWrites(snap.requests);
  const steadyStateWrites = idleSnap.requests.writes + resyncSnap.requests.writes;

  // 3. Upstream's Go controller on the same server, once kubeloop's Foos are gone.
  let goSeconds: number | null = null;
  let goLog: string | undefined;
  if (o.goSampleController) {
    await cluster.deleteNamespace(FOO_NAMESPACE, timeoutMs);
    await cluster.createNamespace(FOO_GO_PROBE_NAMESPACE);
    await cluster.createNamespace(FOO_GO_NAMESPACE);
    mkdirSync(o.resultsDir, { recursive: true });
    goLog = join(o.resultsDir, 'foo-go-sample-controller.log');
    const go = GoSampleController.start(o.goSampleController, cluster.info.kubeconfigPath, goLog);
    const died = go.died(goLog);
    try {
      const probe = new FooTracker(cluster.client, FOO_GO_PROBE_NAMESPACE);
      await probe.start();
      try {
        await cluster.client.resource(Foo).create(newFoo(FOO_GO_PROBE_NAMESPACE, 0));
        await Promise.race([probe.waitForSynced(1, 120_000), died]);
      } finally {
        await probe.stop();
      }
      log('Go sample-controller running; timing it');
      goSeconds = await timeFoos(cluster, FOO_GO_NAMESPACE, o, died);
      log(`Go sample-controller: ${fmt(goSeconds)} s`);
    } finally {
      await go.stop();
    }
  }

  const minimal = { deploymentCreates: o.foos, fooStatus: o.foos };
  const minimalWrites = minimal.deploymentCreates + minimal.fooStatus;
  const ratio = kubeloopSeconds / floor.seconds;
  const data = {
    foos: o.foos,
    kubeloopSeconds,
    floorSeconds: floor.seconds,
    goSeconds,
    ratio,
    goRatio: goSeconds === null ? null : goSeconds / floor.seconds,
    writes: w.total,
    minimalWrites,
    writesByKind: w,
    minimal,
    eventWrites: w.events,
    steadyStateWrites,
    steadyState: {
      idleSeconds: o.idleSeconds,
      idleWrites: idleSnap.requests.writes,
      resyncWrites: resyncSnap.requests.writes,
      resyncSeconds,
      idleRequests: idleSnap.requests.byKey,
      resyncRequests: resyncSnap.requests.byKey,
    },
    conflicts: snap.requests.conflicts,
    requestsByVerb: snap.requests.byVerb,
    requests: snap.requests.byKey,
    managerLag: snap.lag,
    applyConcurrency: o.applyConcurrency,
    floor: {
      seconds: floor.seconds,
      synced: floor.synced,
      requestsByVerb: floor.requests.byVerb,
      writes: floor.requests.writes,
    },
    goSampleController: o.goSampleController ?? null,
    goLog: goLog ?? null,
    synced:
      'a Foo is synced when its Deployment exists, is controlled by it and has its spec.replicas, and its status.availableReplicas was written and equals the Deployment’s (0 while it reports none)',
    loadAverage: { atStart: loadAtStart, atEnd: load() },
    server: cluster.info.label,
  };
  const rows: Row[] = [
    {
      scenario: 'foo',
      metric: `time to sync ${o.foos} Foos (${o.applyConcurrency} creates in flight)`,
      value: `${fmt(kubeloopSeconds)} s / floor ${fmt(floor.seconds)} s = ${fmt(ratio)}×`,
      target: '≤ 1.30× floor',
      pass: judge(ctx.smoke, ratio <= 1.3),
    },
    {
      scenario: 'foo',
      metric: 'upstream Go sample-controller, same Foos, same server',
      value:
        goSeconds === null
          ? 'not run (--go-sample-controller PATH)'
          : `${fmt(goSeconds)} s = ${fmt(goSeconds / kubeloopSeconds, 1)}× kubeloop`,
    },
    {
      scenario: 'foo',
      metric: 'object writes / minimal (Events apart)',
      value: `${w.total} / ${minimalWrites}; ${w.events} Events`,
      target: '= minimal',
      pass: judge(ctx.smoke, w.total === minimalWrites),
    },
    {
      scenario: 'foo',
      metric: `steady-state writes: ${o.idleSeconds} s idle + full resync`,
      value: `${idleSnap.requests.writes} + ${resyncSnap.requests.writes} = ${steadyStateWrites}`,
      target: '0',
      pass: judge(ctx.smoke, steadyStateWrites === 0),
    },
  ];
  return { scenario: 'foo', data, rows };
}
