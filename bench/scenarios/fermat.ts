/**
 * Fermat — what users do: apply one Fermat and wait for its children.
 *
 *   npm run bench -- --scenario fermat --number 10000
 *
 * One control plane, in order: the write floor (plain client, namespace bench-floor, then
 * deleted; see runFermatFloor), then the math manager (its own process, idle before the clock
 * starts) converging one Fermat of `number` in bench-fermat: ⌊number/2⌋ Tuples, two Numbers
 * each. The clock runs from the Fermat's create until a watch sees it Ready for its generation.
 * Writes are counted in the manager's process; its peak RSS is the process's high-water mark.
 */
import { Child } from '../lib/child.ts';
import type { Cluster } from '../lib/cluster.ts';
import { controllers, Fermat, isReady, newFermat, NumberKind, Tuple, type FermatObject } from '../lib/math.ts';
import { ManagerProcess, profileDir } from '../lib/manager-process.ts';
import type { BenchOptions } from '../lib/options.ts';
import { ReadyTracker } from '../lib/ready-tracker.ts';
import { cpuData, cpuRow } from './converge.ts';
import { fmt, judge, type RunContext, type Row, type ScenarioOutcome } from '../lib/report.ts';
import { writesTo, type MeterSnapshot } from '../lib/request-meter.ts';

export const FERMAT_FLOOR_NAMESPACE = 'bench-floor';
export const FERMAT_NAMESPACE = 'bench-fermat';

function concurrencyOf(name: string): number {
  const c = controllers.find((x) => x.name === name);
  if (!c) throw new Error(`math has no controller named ${name}`);
  return c.concurrency;
}

/** The manager's object writes (Events apart), split as the minimal set is. */
function fermatWrites(s: MeterSnapshot) {
  const w = {
    tupleCreates: writesTo(s, 'tuples', ['create']),
    tupleOther: writesTo(s, 'tuples', ['update', 'patch', 'delete', 'deletecollection']),
    tupleStatus: writesTo(s, 'tuples/status'),
    numberCreates: writesTo(s, 'numbers', ['create']),
    numberOther: writesTo(s, 'numbers', ['update', 'patch', 'delete', 'deletecollection']),
    numberStatus: writesTo(s, 'numbers/status'),
    fermatSpec: writesTo(s, 'fermats'),
    fermatStatus: writesTo(s, 'fermats/status'),
    events: writesTo(s, 'events'),
  };
  const { events, ...objects } = w;
  return { ...w, total: Object.values(objects).reduce((a, b) => a + b, 0) };
}

export async function runFermat(o: BenchOptions, ctx: RunContext, cluster: Cluster): Promise<ScenarioOutcome> {
  const timeoutMs = o.timeoutSeconds * 1000;
  const log = (msg: string) => process.stderr.write(`[fermat ${new Date().toISOString().slice(11, 19)}] ${msg}\n`);
  const floorOpts = {
    namespace: FERMAT_FLOOR_NAMESPACE,
    number: o.number,
    tupleWorkers: concurrencyOf('tuple'),
    fanout: o.fanout,
    numberWorkers: concurrencyOf('number'),
  };

  // 1. The write floor, in its own process, then gone before the manager starts.
  await cluster.createNamespace(FERMAT_FLOOR_NAMESPACE);
  const floorChild = new Child(new URL('../lib/floor.child.ts', import.meta.url), {
    name: 'floor',
    args: [cluster.info.kubeconfigPath],
  });
  let floor: { seconds: number; tuplesReady: number; requests: MeterSnapshot; cpuSeconds: number };
  const floorServerCpu0 = await cluster.serverCpuSeconds();
  try {
    floor = await floorChild.call('runFermat', floorOpts);
  } finally {
    await floorChild.close();
  }
  const floorServerCpuSeconds = (await cluster.serverCpuSeconds()) - floorServerCpu0;
  log(`floor: ${fmt(floor.seconds)} s`);
  await cluster.deleteNamespace(FERMAT_FLOOR_NAMESPACE, timeoutMs);

  // 2. The manager, started on an empty namespace and idle before the clock starts.
  const namespace = await cluster.createNamespace(FERMAT_NAMESPACE);
  const manager = await ManagerProcess.start(
    cluster.info.kubeconfigPath,
    o.profile ? { profileDir: profileDir(o.resultsDir) } : {},
  );
  try {
    await manager.run();
    await manager.waitIdle({ quietMs: 500, timeoutMs });
    await manager.resetMeter();
    const before = await manager.snapshot();
    const serverCpu0 = await cluster.serverCpuSeconds();

    const tracker = new ReadyTracker<FermatObject>(cluster.client, namespace, Fermat);
    await tracker.start();
    const t0 = performance.now();
    const progress = setInterval(() => {
      void manager.snapshot().then((s) => {
        const elapsed = (performance.now() - t0) / 1000;
        log(`${fmt(elapsed, 0)} s: ${s.requests.writes} writes, queue depth ${s.progress.depth}`);
      });
    }, 30_000);
    let readyAt: number;
    let cpuAtReady: [number, number];
    try {
      await cluster.client.resource(Fermat).create(newFermat(namespace, o.number));
      readyAt = await tracker.waitForReady(1, timeoutMs);
      cpuAtReady = [(await manager.snapshot()).cpuSeconds, (await cluster.serverCpuSeconds()) - serverCpu0];
    } finally {
      clearInterval(progress);
      await tracker.stop();
    }
    const convergeSeconds = (readyAt - t0) / 1000;
    const quietMs = 1000;
    const idle = await manager.waitIdle({ quietMs, timeoutMs });
    const drainedSeconds = (performance.now() - t0 - quietMs) / 1000;
    const snap = await manager.snapshot();
    const serverCpuSeconds = (await cluster.serverCpuSeconds()) - serverCpu0;

    // Correctness, as the server (not the cache) says.
    const fermat = await cluster.client.resource(Fermat).get(namespace, 'f');
    const tuples = (await cluster.client.resource(Tuple).list({ namespace })).items;
    const numbers = (await cluster.client.resource(NumberKind).list({ namespace })).items;
    const expectedTuples = Math.floor(o.number / 2);
    const readyTuples = tuples.filter(isReady).length;
    const readyNumbers = numbers.filter(isReady).length;
    if (!fermat || !isReady(fermat) || readyTuples !== expectedTuples || readyNumbers !== 2 * expectedTuples)
      throw new Error(
        `fermat ended with ${readyTuples}/${expectedTuples} Tuples and ${readyNumbers}/${2 * expectedTuples} Numbers Ready`,
      );

    const w = fermatWrites(snap.requests);
    // One create per Tuple and Number, one status write per Tuple, Number and the Fermat.
    const minimal = {
      tupleCreates: expectedTuples,
      numberCreates: 2 * expectedTuples,
      numberStatus: 2 * expectedTuples,
      tupleStatus: expectedTuples,
      fermatStatus: 1,
    };
    const minimalWrites = Object.values(minimal).reduce((a, b) => a + b, 0);
    const ratio = convergeSeconds / floor.seconds;
    const objects = 3 * expectedTuples;
    const peakRssBytes = snap.maxRssBytes;
    const rssPerObject = (peakRssBytes - before.memory.rss) / objects;

    const data = {
      number: o.number,
      convergeSeconds,
      floorSeconds: floor.seconds,
      ratio,
      writes: w.total,
      minimalWrites,
      writesByKind: w,
      minimal,
      eventWrites: w.events,
      drainedSeconds,
      peakRssBytes,
      rssBeforeBytes: before.memory.rss,
      peakRssPerObjectBytes: rssPerObject,
      conflicts: snap.requests.conflicts,
      requestsByVerb: snap.requests.byVerb,
      requests: snap.requests.byKey,
      reconciles: idle.reconciles,
      reconcileErrors: idle.errors,
      managerLag: snap.lag,
      cpu: {
        ...cpuData(cpuAtReady[0], cpuAtReady[1], floor.cpuSeconds, floorServerCpuSeconds),
        managerSecondsWithDrain: snap.cpuSeconds,
        serverSecondsWithDrain: serverCpuSeconds,
      },
      witness: fermat.status?.witness ?? null,
      floor: {
        seconds: floor.seconds,
        requestsByVerb: floor.requests.byVerb,
        writes: floor.requests.writes,
        options: floorOpts,
      },
      server: cluster.info.label,
    };
    const rows: Row[] = [
      {
        scenario: 'fermat',
        metric: `time to Ready (Fermat ${o.number}: ${expectedTuples} Tuples, ${2 * expectedTuples} Numbers)`,
        value: `${fmt(convergeSeconds)} s / floor ${fmt(floor.seconds)} s = ${fmt(ratio)}×`,
        target: '≤ 1.50× floor',
        pass: judge(ctx.smoke, ratio <= 1.5),
      },
      {
        scenario: 'fermat',
        metric: 'object writes / minimal',
        value: `${w.total} / ${minimalWrites} = ${fmt(w.total / minimalWrites)}`,
      },
      cpuRow('fermat', cpuAtReady[0], cpuAtReady[1], floor.cpuSeconds, floorServerCpuSeconds),
      {
        scenario: 'fermat',
        metric: 'manager peak RSS',
        value: `${fmt(peakRssBytes / 2 ** 20, 1)} MiB (${fmt(rssPerObject / 1024)} KiB per object above the idle ${fmt(before.memory.rss / 2 ** 20, 1)} MiB)`,
      },
      {
        scenario: 'fermat',
        metric: 'Event writes; last write landed by',
        value: `${w.events}; ≤ ${fmt(drainedSeconds)} s after the create`,
      },
    ];
    return { scenario: 'fermat', data, rows };
  } finally {
    await manager.stop();
  }
}
