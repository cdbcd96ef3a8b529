/**
 * Scenarios 1 and 2 — converge and steady state (and the session scenario 4 reuses).
 *
 *   npm run bench -- --scenario converge --tuples 200 [--numbers-per-tuple 10] [--idle-seconds 60]
 *
 * One control plane, in order: the write floor (plain client, namespace bench-floor, then
 * deleted), then the math manager converging `tuples × numbersPerTuple` in bench-converge, then
 * `idleSeconds` of idleness and a forced full resync (a fresh manager process lists everything and
 * reconciles every object). Writes are counted in the manager's process (RequestMeter).
 */
import { forEachLimit } from '@kubeloop/runtime';
import { Child } from '../lib/child.ts';
import type { Cluster } from '../lib/cluster.ts';
import { controllers, newTuple, NumberKind, Tuple, isReady } from '../lib/math.ts';
import { ManagerProcess, profileDir } from '../lib/manager-process.ts';
import type { BenchOptions } from '../lib/options.ts';
import { ReadyTracker } from '../lib/ready-tracker.ts';
import { fmt, judge, type RunContext, type Row, type ScenarioOutcome } from '../lib/report.ts';
import { writesTo, type MeterSnapshot } from '../lib/request-meter.ts';

export const FLOOR_NAMESPACE = 'bench-floor';
export const CONVERGE_NAMESPACE = 'bench-converge';

export interface MathSession {
  cluster: Cluster;
  manager: ManagerProcess;
  namespace: string;
  tuples: number;
  numbersPerTuple: number;
}

function concurrencyOf(name: string): number {
  const c = controllers.find((x) => x.name === name);
  if (!c) throw new Error(`math has no controller named ${name}`);
  return c.concurrency;
}

/**
 * CPU seconds (user + system) of the manager and of the server while converging, against the
 * floor client's and the server's during the floor. On a shared machine wall-clock seconds move
 * with everyone's load; CPU seconds much less, so they say where the time ratio comes from:
 * the manager's own work, or the server's work for it (watches, Events, extra writes).
 * The server's is NaN unless it is local-apiserver (its whole work is one process).
 */
export function cpuData(manager: number, server: number, floorClient: number, floorServer: number) {
  return {
    managerSeconds: manager,
    serverSeconds: server,
    floorClientSeconds: floorClient,
    floorServerSeconds: floorServer,
  };
}

export function cpuRow(
  scenario: string,
  manager: number,
  server: number,
  floorClient: number,
  floorServer: number,
): Row {
  const serverPart = Number.isNaN(server)
    ? ''
    : `; server ${fmt(server)} / ${fmt(floorServer)} = ${fmt(server / floorServer)}×`;
  return {
    scenario,
    metric: 'CPU-s to Ready: manager / floor client; server',
    value: `${fmt(manager)} / ${fmt(floorClient)} = ${fmt(manager / floorClient)}×${serverPart}`,
  };
}

/** Event writes by verb (create = a new Event, patch = a repeat's count bump). */
function eventsByVerb(s: MeterSnapshot): Record<string, number> {
  const out: Record<string, number> = {};
  for (const verb of ['create', 'patch', 'update']) {
    const n = writesTo(s, 'events', [verb]);
    if (n > 0) out[verb] = n;
  }
  return out;
}

/** The object writes (not Events) a manager snapshot shows, split as the minimal set is. */
export function objectWrites(s: MeterSnapshot) {
  const numberCreates = writesTo(s, 'numbers', ['create']);
  const numberOther = writesTo(s, 'numbers', ['update', 'patch', 'delete', 'deletecollection']);
  const numberStatus = writesTo(s, 'numbers/status');
  const tupleSpec = writesTo(s, 'tuples');
  const tupleStatus = writesTo(s, 'tuples/status');
  const events = writesTo(s, 'events');
  return {
    numberCreates,
    numberOther,
    numberStatus,
    tupleSpec,
    tupleStatus,
    total: numberCreates + numberOther + numberStatus + tupleSpec + tupleStatus,
    events,
  };
}

export async function runConverge(
  o: BenchOptions,
  ctx: RunContext,
  cluster: Cluster,
): Promise<{
  session: MathSession;
  data: Record<string, unknown> & { convergeSeconds: number; floorSeconds: number };
  rows: Row[];
}> {
  const timeoutMs = o.timeoutSeconds * 1000;
  const floorOpts = {
    namespace: FLOOR_NAMESPACE,
    tuples: o.tuples,
    numbersPerTuple: o.numbersPerTuple,
    applyConcurrency: o.applyConcurrency,
    tupleWorkers: concurrencyOf('tuple'),
    fanout: o.fanout,
    numberWorkers: concurrencyOf('number'),
  };

  // 1. The write floor, in its own process like the manager, then gone before the manager starts.
  await cluster.createNamespace(FLOOR_NAMESPACE);
  const floorChild = new Child(new URL('../lib/floor.child.ts', import.meta.url), {
    name: 'floor',
    args: [cluster.info.kubeconfigPath],
  });
  let floor: { seconds: number; tuplesReady: number; requests: MeterSnapshot; cpuSeconds: number };
  const floorServerCpu0 = await cluster.serverCpuSeconds();
  try {
    floor = await floorChild.call('run', floorOpts);
  } finally {
    await floorChild.close();
  }
  const floorServerCpuSeconds = (await cluster.serverCpuSeconds()) - floorServerCpu0;
  await cluster.deleteNamespace(FLOOR_NAMESPACE, timeoutMs);

  // 2. The manager, started on an empty namespace and idle before the clock starts.
  const namespace = await cluster.createNamespace(CONVERGE_NAMESPACE);
  const manager = await ManagerProcess.start(
    cluster.info.kubeconfigPath,
    o.profile ? { profileDir: profileDir(o.resultsDir) } : {},
  );
  await manager.run();
  await manager.waitIdle({ quietMs: 500, timeoutMs });
  await manager.resetMeter();
  const serverCpu0 = await cluster.serverCpuSeconds();

  const tracker = new ReadyTracker(cluster.client, namespace);
  await tracker.start();
  const t0 = performance.now();
  await forEachLimit(
    Array.from({ length: o.tuples }, (_, i) => i),
    o.applyConcurrency,
    async (i) => void (await cluster.client.resource(Tuple).create(newTuple(namespace, i, o.numbersPerTuple))),
  );
  const readyAt = await tracker.waitForReady(o.tuples, timeoutMs);
  const convergeSeconds = (readyAt - t0) / 1000;
  // CPU up to Ready (what the time ratio is about); the drain of trailing Events comes after.
  const [managerCpuAtReady, serverCpuAtReady] = [
    (await manager.snapshot()).cpuSeconds,
    (await cluster.serverCpuSeconds()) - serverCpu0,
  ];
  await tracker.stop();
  // Let trailing work (Events, last status writes) land in the count before reading it.
  const quietMs = 1000;
  const idle = await manager.waitIdle({ quietMs, timeoutMs });
  // Upper bound (idle is polled every 50 ms): when the last write, Events included, had landed.
  const drainedSeconds = (performance.now() - t0 - quietMs) / 1000;
  const snap = await manager.snapshot();
  const serverCpuSeconds = (await cluster.serverCpuSeconds()) - serverCpu0;

  // Correctness: every object there, every Tuple Ready, as the server (not the cache) says.
  const tuples = (await cluster.client.resource(Tuple).list({ namespace })).items;
  const numbers = (await cluster.client.resource(NumberKind).list({ namespace })).items;
  const readyTuples = tuples.filter(isReady).length;
  const readyNumbers = numbers.filter(isReady).length;

  const w = objectWrites(snap.requests);
  const minimal = {
    numberCreates: o.tuples * o.numbersPerTuple,
    numberStatus: o.tuples * o.numbersPerTuple,
    tupleStatus: o.tuples,
  };
  const minimalWrites = minimal.numberCreates + minimal.numberStatus + minimal.tupleStatus;
  const ratio = convergeSeconds / floor.seconds;
  const writeRatio = w.total / minimalWrites;
  const unresolvedConflicts =
    readyTuples === o.tuples && readyNumbers === o.tuples * o.numbersPerTuple ? 0 : o.tuples - readyTuples;

  const data = {
    tuples: o.tuples,
    numbersPerTuple: o.numbersPerTuple,
    convergeSeconds,
    floorSeconds: floor.seconds,
    ratio,
    writes: w.total,
    minimalWrites,
    writesRatio: writeRatio,
    writesByKind: w,
    minimal,
    eventWrites: w.events,
    eventWritesByVerb: eventsByVerb(snap.requests),
    drainedSeconds,
    allWrites: w.total + w.events,
    floorWrites: floor.requests.writes,
    conflicts: snap.requests.conflicts,
    unresolvedConflicts,
    readyTuples,
    readyNumbers,
    requestsByVerb: snap.requests.byVerb,
    requests: snap.requests.byKey,
    peakWritesInFlight: snap.requests.peakWritesInFlight,
    reconciles: idle.reconciles,
    reconcileErrors: idle.errors,
    managerLag: snap.lag,
    cpu: {
      ...cpuData(managerCpuAtReady, serverCpuAtReady, floor.cpuSeconds, floorServerCpuSeconds),
      managerSecondsWithDrain: snap.cpuSeconds,
      serverSecondsWithDrain: serverCpuSeconds,
    },
    floor: {
      seconds: floor.seconds,
      requestsByVerb: floor.requests.byVerb,
      requests: floor.requests.byKey,
      writes: floor.requests.writes,
      peakWritesInFlight: floor.requests.peakWritesInFlight,
      options: floorOpts,
    },
    applyConcurrency: o.applyConcurrency,
    server: cluster.info.label,
  };
  const size = `${o.tuples}×${o.numbersPerTuple}`;
  const rows: Row[] = [
    {
      scenario: 'converge',
      metric: `time to all Ready (${size})`,
      value: `${fmt(convergeSeconds)} s / floor ${fmt(floor.seconds)} s = ${fmt(ratio)}×`,
      target: '≤ 1.30× floor',
      pass: judge(ctx.smoke, ratio <= 1.3),
    },
    {
      scenario: 'converge',
      metric: 'object writes / minimal',
      value: `${w.total} / ${minimalWrites} = ${fmt(writeRatio)}`,
      target: '1.00',
      pass: judge(ctx.smoke, w.total === minimalWrites),
    },
    {
      scenario: 'converge',
      metric: 'Event writes (not in minimal set)',
      value: `${w.events} (${
        Object.entries(eventsByVerb(snap.requests))
          .map(([k, v]) => `${k} ${v}`)
          .join(', ') || 'none'
      }); ${fmt(w.events / (o.tuples * (o.numbersPerTuple + 1)))} per object`,
    },
    {
      scenario: 'converge',
      metric: 'all writes incl. Events / floor writes',
      value: `${w.total + w.events} / ${floor.requests.writes - o.tuples} = ${fmt((w.total + w.events) / (floor.requests.writes - o.tuples))} (floor without the ${o.tuples} Tuple creates)`,
    },
    {
      scenario: 'converge',
      metric: 'last write (Events too) landed by',
      value: `≤ ${fmt(drainedSeconds)} s after the first create`,
    },
    {
      scenario: 'converge',
      metric: '409 conflicts (unresolved)',
      value: `${snap.requests.conflicts} (${unresolvedConflicts})`,
      target: '0 unresolved',
      pass: judge(ctx.smoke, unresolvedConflicts === 0),
    },
    cpuRow('converge', managerCpuAtReady, serverCpuAtReady, floor.cpuSeconds, floorServerCpuSeconds),
    {
      scenario: 'converge',
      metric: 'requests by verb',
      value: Object.entries(snap.requests.byVerb)
        .map(([k, v]) => `${k} ${v}`)
        .join(', '),
    },
  ];
  if (unresolvedConflicts !== 0)
    throw new Error(
      `converge ended with ${readyTuples}/${o.tuples} Tuples and ${readyNumbers}/${o.tuples * o.numbersPerTuple} Numbers Ready`,
    );
  return { session: { cluster, manager, namespace, tuples: o.tuples, numbersPerTuple: o.numbersPerTuple }, data, rows };
}

/**
 * Steady state: nothing changes for `idleSeconds` (the wait is the measurement), then a full
 * resync forced the way that works on every server — a fresh manager process, which lists every
 * object and reconciles each one. Any write in either phase is waste.
 */
export async function runSteadyState(
  o: BenchOptions,
  ctx: RunContext,
  s: MathSession,
): Promise<{ data: Record<string, unknown>; rows: Row[] }> {
  const timeoutMs = o.timeoutSeconds * 1000;
  await s.manager.resetMeter();
  const idleUntil = performance.now() + o.idleSeconds * 1000;
  while (performance.now() < idleUntil)
    await new Promise((r) => setTimeout(r, Math.min(1000, idleUntil - performance.now())));
  const idleSnap = await s.manager.snapshot();
  await s.manager.stop();

  s.manager = await ManagerProcess.start(
    s.cluster.info.kubeconfigPath,
    o.profile ? { profileDir: profileDir(o.resultsDir) } : {},
  );
  await s.manager.run();
  const objects = s.tuples * s.numbersPerTuple;
  const resync = await s.manager.waitIdle({
    minReconciles: { tuple: s.tuples, number: objects },
    quietMs: 1000,
    timeoutMs,
  });
  const resyncSnap = await s.manager.snapshot();
  const idleWrites = idleSnap.requests.writes;
  const resyncWrites = resyncSnap.requests.writes;
  const steadyStateWrites = idleWrites + resyncWrites;
  const data = {
    idleSeconds: o.idleSeconds,
    idleWrites,
    idleRequests: idleSnap.requests.byKey,
    resyncWrites,
    resyncSeconds: resync.secondsSinceStart,
    resyncReconciles: resync.reconciles,
    resyncRequests: resyncSnap.requests.byKey,
    resyncLag: resyncSnap.lag,
    steadyStateWrites,
    server: s.cluster.info.label,
  };
  const rows: Row[] = [
    {
      scenario: 'steady-state',
      metric: `writes: ${o.idleSeconds} s idle + full resync`,
      value: `${idleWrites} + ${resyncWrites} = ${steadyStateWrites}`,
      target: '0',
      pass: judge(ctx.smoke, steadyStateWrites === 0),
    },
    {
      scenario: 'steady-state',
      metric: `resync of ${s.tuples + objects} objects`,
      value: `${fmt(resync.secondsSinceStart)} s`,
    },
  ];
  return { data, rows };
}

export function convergeOutcome(
  converge: { data: Record<string, unknown>; rows: Row[] },
  steady?: { data: Record<string, unknown>; rows: Row[] },
): ScenarioOutcome[] {
  const out: ScenarioOutcome[] = [
    {
      scenario: 'converge',
      data: { ...converge.data, steadyStateWrites: steady ? steady.data.steadyStateWrites : null },
      rows: converge.rows,
    },
  ];
  if (steady) out.push({ scenario: 'steady-state', data: steady.data, rows: steady.rows });
  return out;
}
