/**
 * How long a Fermat takes to settle on the local API server, and what it costs:
 *
 *   npx tsx --conditions=@kubeloop/source apps/math/scripts/fermat-bench.ts [n=10000]
 *
 * Starts local-apiserver in-process (counting every HTTP request it serves), installs the CRDs,
 * runs the math manager in-process, creates one Fermat and waits until it is Ready for its
 * generation. Prints one JSON line: objects created, seconds to settle, API requests by verb.
 * A measurement, not a test: run it by hand, on a quiet machine.
 */
import { createTestNamespace, eventually } from '@kubeloop/envtest';
import { Fermat, Number as NumberKind, Tuple } from '../src/api/v1beta1/index.ts';
import { startMath } from '../test/harness.ts';

const n = globalThis.Number(process.argv[2] ?? 10_000);
const timeoutMs = globalThis.Number(process.env.BENCH_TIMEOUT_MS ?? 30 * 60_000);

const requests = new Map<string, number>();
let counting = false;
// The same in-process manager on a control plane as the integration tests, on local-apiserver
// (whose request log is what is counted here).
const env = await startMath({
  kind: 'local',
  local: {
    logger: (line) => {
      const l = line as { msg?: string; method?: string; url?: string };
      if (!counting || l.msg !== 'request') return;
      const watch = /[?&]watch=(1|true)/.test(l.url ?? '');
      const status = /\/status(\?|$)/.test(l.url ?? '');
      const key = `${l.method}${watch ? ' watch' : ''}${status ? ' status' : ''}`;
      requests.set(key, (requests.get(key) ?? 0) + 1);
    },
  },
});
const { cp, client } = env;
const ns = await createTestNamespace(cp, 'bench-');
const rss0 = process.memoryUsage().rss;
counting = true;
const t0 = performance.now();
await client.resource(Fermat).create({
  apiVersion: Fermat.apiVersion,
  kind: 'Fermat',
  metadata: { name: 'f', namespace: ns },
  spec: { number: n },
});

// Progress on stderr every 30 s, so a slow run shows where it is.
const progress = setInterval(() => {
  void client
    .resource(Fermat)
    .get(ns, 'f')
    .then((f) => {
      const ready = f?.status?.conditions?.find((c) => c.type === 'Ready');
      const total = [...requests.values()].reduce((a, b) => a + b, 0);
      console.error(
        `[${((performance.now() - t0) / 1000).toFixed(0)} s] ${ready?.message ?? 'no status yet'}; ${total} API requests`,
      );
    });
}, 30_000);
const settled = await eventually(
  async () => {
    const f = await client.resource(Fermat).get(ns, 'f');
    const ready = f?.status?.conditions?.find((c) => c.type === 'Ready');
    if (!f || ready?.status !== 'True' || f.status?.observedGeneration !== f.metadata.generation) {
      throw new Error(`Fermat ${n} not settled: ${ready?.message ?? 'no Ready condition yet'}`);
    }
    return f;
  },
  { timeout: timeoutMs, interval: 250 },
);
clearInterval(progress);
const seconds = (performance.now() - t0) / 1000;
counting = false;

const tuples = (await client.resource(Tuple).list({ namespace: ns })).items.length;
const numbers = (await client.resource(NumberKind).list({ namespace: ns })).items.length;
const total = [...requests.values()].reduce((a, b) => a + b, 0);
console.log(
  JSON.stringify({
    n,
    seconds: Math.round(seconds * 10) / 10,
    objects: { tuples, numbers, total: tuples + numbers },
    status: settled.status,
    apiRequests: { total, byVerb: Object.fromEntries([...requests].sort()) },
    rssMiB: { before: Math.round(rss0 / 2 ** 20), after: Math.round(process.memoryUsage().rss / 2 ** 20) },
  }),
);

await env.stop();
