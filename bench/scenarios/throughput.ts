/**
 * Scenario 6 — API server throughput: creates, gets, lists and watch fan-out per second, each
 * also per CPU-second of the control-plane process (for local-apiserver: the whole server on one
 * core, since it is one Node process). The load comes from this process, over the runtime's
 * Client, as the managers and tests use it.
 *
 *   npm run bench -- --scenario throughput --ops 5000 --concurrency 32 --watchers 20 --watch-events 500
 */
import { setMaxListeners } from 'node:events';
import { forEachLimit } from '@kubeloop/runtime';
import type { Cluster } from '../lib/cluster.ts';
import { NumberKind, type NumberObject } from '../lib/math.ts';
import type { BenchOptions } from '../lib/options.ts';
import { fmt, type RunContext, type Row, type ScenarioOutcome } from '../lib/report.ts';

export const THROUGHPUT_NAMESPACE = 'bench-throughput';

interface Phase {
  ops: number;
  seconds: number;
  perSecond: number;
  serverCpuSeconds: number;
  perServerCpuSecond: number;
  /** CPU the load's own process (this one: the runtime's Client) used per operation, in µs. */
  clientCpuMicrosPerOp: number;
}

async function measure(cluster: Cluster, ops: number, fn: () => Promise<void>): Promise<Phase> {
  const cpu0 = await cluster.serverCpuSeconds();
  const client0 = process.cpuUsage();
  const t0 = performance.now();
  await fn();
  const seconds = (performance.now() - t0) / 1000;
  const client = process.cpuUsage(client0);
  const serverCpuSeconds = (await cluster.serverCpuSeconds()) - cpu0;
  return {
    ops,
    seconds,
    perSecond: ops / seconds,
    serverCpuSeconds,
    perServerCpuSecond:
      serverCpuSeconds > 0 ? ops / serverCpuSeconds : NaN /* not measurable: real server, or no CPU tick */,
    clientCpuMicrosPerOp: (client.user + client.system) / ops,
  };
}

function number(namespace: string, name: string, value: number): NumberObject {
  return {
    apiVersion: NumberKind.apiVersion,
    kind: 'Number',
    metadata: { name, namespace },
    spec: { value },
  };
}

export async function runThroughput(o: BenchOptions, _ctx: RunContext, cluster: Cluster): Promise<ScenarioOutcome> {
  const ns = await cluster.createNamespace(THROUGHPUT_NAMESPACE);
  const numbers = cluster.client.resource(NumberKind);
  const indexes = Array.from({ length: o.ops }, (_, i) => i);

  const creates = await measure(cluster, o.ops, () =>
    forEachLimit(indexes, o.concurrency, async (i) => void (await numbers.create(number(ns, `n-${i}`, i)))),
  );
  const gets = await measure(cluster, o.ops, () =>
    forEachLimit(indexes, o.concurrency, async (i) => {
      if (!(await numbers.get(ns, `n-${(i * 7919) % o.ops}`))) throw new Error(`Number n-${i} missing`);
    }),
  );
  const listCount = Math.max(5, Math.ceil(o.ops / 250));
  let listed = 0;
  const lists = await measure(cluster, listCount, () =>
    forEachLimit(
      Array.from({ length: listCount }, (_, i) => i),
      Math.min(4, o.concurrency),
      async () => {
        let cont: string | undefined;
        do {
          const page = await numbers.list({ namespace: ns, limit: 500, ...(cont ? { continue: cont } : {}) });
          listed += page.items.length;
          cont = page.metadata.continue || undefined;
        } while (cont);
      },
    ),
  );
  if (listed !== listCount * o.ops) throw new Error(`lists returned ${listed} objects, expected ${listCount * o.ops}`);

  // Watch fan-out: W watchers from the current resourceVersion, then E creates; done when every
  // watcher has seen every ADDED.
  const rv = (await numbers.list({ namespace: ns, limit: 1 })).metadata.resourceVersion;
  const abort = new AbortController();
  setMaxListeners(0, abort.signal); // one listener per watcher's request, by design
  const seen = Array.from({ length: o.watchers }, () => 0);
  let allSeen!: () => void;
  const everyoneDone = new Promise<void>((r) => (allSeen = r));
  let done = 0;
  const watchers = seen.map(async (_, w) => {
    try {
      for await (const ev of numbers.watch({ namespace: ns, resourceVersion: rv, signal: abort.signal })) {
        if (ev.type === 'ADDED' && ev.object.metadata.name!.startsWith('w-') && ++seen[w]! === o.watchEvents) {
          if (++done === o.watchers) allSeen();
        }
      }
    } catch (err) {
      if (!abort.signal.aborted) throw err;
    }
  });
  // No wait for the watches to connect: they resume from `rv`, so a late one still gets every event.
  const deliveries = o.watchers * o.watchEvents;
  const timeout = setTimeout(() => abort.abort(), o.timeoutSeconds * 1000);
  const fanout = await measure(cluster, deliveries, async () => {
    await forEachLimit(
      Array.from({ length: o.watchEvents }, (_, i) => i),
      o.concurrency,
      async (i) => void (await numbers.create(number(ns, `w-${i}`, i))),
    );
    await Promise.race([
      everyoneDone,
      new Promise((_, reject) =>
        abort.signal.addEventListener('abort', () =>
          reject(new Error(`watch fan-out: only ${done}/${o.watchers} watchers saw all ${o.watchEvents} events`)),
        ),
      ),
    ]);
  });
  clearTimeout(timeout);
  abort.abort();
  await Promise.allSettled(watchers);

  const data = {
    creates,
    gets,
    lists: { ...lists, objectsPerList: o.ops, objectsPerSecond: listed / lists.seconds },
    watchFanout: { ...fanout, watchers: o.watchers, events: o.watchEvents },
    concurrency: o.concurrency,
    server: cluster.info.label,
  };
  const row = (metric: string, p: Phase, unit: string, clientCost = false): Row => ({
    scenario: 'throughput',
    metric,
    value:
      `${fmt(p.perSecond, 0)} ${unit}/s` +
      (Number.isNaN(p.perServerCpuSecond) ? '' : ` (${fmt(p.perServerCpuSecond, 0)} per server CPU-s)`) +
      (clientCost ? `; client CPU ${fmt(p.clientCpuMicrosPerOp, 0)} µs each` : ''),
  });
  return {
    scenario: 'throughput',
    data,
    rows: [
      row(`creates (${o.ops}, ×${o.concurrency})`, creates, 'creates', true),
      row(`gets (${o.ops}, ×${o.concurrency})`, gets, 'gets', true),
      row(`lists of ${o.ops} (pages of 500)`, lists, 'lists'),
      row(`watch fan-out (${o.watchers} watchers × ${o.watchEvents})`, fanout, 'events'),
    ],
  };
}
