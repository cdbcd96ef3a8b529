/**
 * Child process (node --expose-gc) that does only what a manager's cache does at start: list
 * every Number page by page and keep it in an informer store, while sampling event-loop lag.
 * Scenario 5 reads the lag; the heap figures separate the cache's share from the manager's.
 */
import { KubeConfig } from '@kubernetes/client-node';
import { Cache, Client } from '@kubeloop/runtime';
import { serve } from './child.ts';
import { LagMonitor } from './lag.ts';
import { measureAfterGc } from './memory.ts';
import { NumberKind } from './math.ts';
import { RequestMeter } from './request-meter.ts';

const kubeconfigPath = process.argv[2];
if (!kubeconfigPath) throw new Error('usage: cache-probe.child.ts <kubeconfig>');
const abort = new AbortController();
let cache: Cache | undefined;

serve({
  async measure() {
    const kubeConfig = new KubeConfig();
    kubeConfig.loadFromFile(kubeconfigPath);
    const meter = new RequestMeter().start();
    cache = new Cache(new Client(kubeConfig, { fieldManager: 'bench' }));
    const informer = cache.informerFor(NumberKind);
    const baseline = await measureAfterGc();
    const lag = new LagMonitor().start();
    const t0 = performance.now();
    await cache.start(abort.signal);
    await cache.waitForSync(abort.signal);
    const syncSeconds = (performance.now() - t0) / 1000;
    const lagSummary = lag.stop();
    const after = await measureAfterGc();
    return {
      syncSeconds,
      lag: lagSummary,
      objects: informer.list().length,
      baseline,
      after,
      requests: meter.snapshot(),
    };
  },
  async shutdown() {
    abort.abort();
    await cache?.stopped();
  },
});
