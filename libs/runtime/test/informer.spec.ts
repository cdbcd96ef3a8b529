import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTestNamespace, eventually, startControlPlane, type ControlPlane } from '@kubeloop/envtest';
import {
  Cache,
  Client,
  ConfigMap,
  OWNER_UID_INDEX,
  type ConfigMap as ConfigMapT,
  type Informer,
} from '../src/index.ts';

let cp: ControlPlane;
let client: Client;
let ac: AbortController;

beforeAll(async () => {
  cp = await startControlPlane();
  client = new Client(cp.kubeConfig, { fieldManager: 'runtime-test' });
}, 120_000);
afterAll(async () => {
  client?.close();
  await cp?.stop();
});
afterEach(() => ac?.abort());

/** Starts a cache scoped to one fresh namespace, with a short liveness window and backoff for tests. */
async function cacheIn(ns: string, livenessTimeoutMs = 70_000, backoffMs = 50) {
  ac = new AbortController();
  const cache = new Cache(client, {
    namespace: ns,
    informerDefaults: { livenessTimeoutMs, backoff: { initialMs: backoffMs, maxMs: Math.max(500, backoffMs) } },
  });
  const informer = cache.informerFor(ConfigMap);
  const seen = new Map<string, string>(); // name → last event
  informer.addHandler({
    add: (o) => seen.set(o.metadata.name!, 'add'),
    update: (_, o) => seen.set(o.metadata.name!, 'update'),
    delete: (o, finalStateUnknown) => seen.set(o.metadata.name!, finalStateUnknown ? 'delete (relist)' : 'delete'),
  });
  await cache.start(ac.signal);
  expect(await cache.waitForSync(ac.signal)).toBe(true);
  return { cache, informer, seen };
}

async function converged(informer: Informer<ConfigMapT>, ns: string) {
  const live = await client.resource(ConfigMap).list({ namespace: ns });
  const liveState = live.items.map((o) => `${o.metadata.name}@${o.metadata.resourceVersion}`).sort();
  const cached = informer
    .list({ namespace: ns })
    .map((o) => `${o.metadata.name}@${o.metadata.resourceVersion}`)
    .sort();
  expect(cached).toEqual(liveState);
}

describe('Informer and Cache against an API server', () => {
  it('paginates an initial list of more than 500 objects and stays in step afterwards', async () => {
    const ns = await createTestNamespace(cp, 'inf-page-');
    const cms = client.resource(ConfigMap);
    const names = Array.from({ length: 520 }, (_, i) => `cm-${String(i).padStart(3, '0')}`);
    for (let i = 0; i < names.length; i += 20) {
      await Promise.all(names.slice(i, i + 20).map((name) => cms.create({ metadata: { name, namespace: ns } })));
    }
    const { informer } = await cacheIn(ns);
    // kube-root-ca.crt is created in every namespace by the controller-manager (when one runs).
    expect(informer.list().filter((o) => o.metadata.name!.startsWith('cm-'))).toHaveLength(520);
    expect(informer.stats.listPages).toBe(2); // limit=500 + one continue
    await cms.create({ metadata: { name: 'after-sync', namespace: ns } });
    await eventually(() => expect(informer.get(ns, 'after-sync')).toBeDefined());
    await converged(informer, ns);
  }, 120_000);

  it('cache reads are frozen, shared per kind, and index controller owners', async () => {
    const ns = await createTestNamespace(cp, 'inf-frozen-');
    const { cache, informer } = await cacheIn(ns);
    expect(cache.informerFor(ConfigMap)).toBe(informer);
    const owner = await client.resource(ConfigMap).create({ metadata: { name: 'owner', namespace: ns } });
    await client.resource(ConfigMap).create({
      metadata: {
        name: 'child',
        namespace: ns,
        labels: { role: 'child' },
        ownerReferences: [
          { apiVersion: 'v1', kind: 'ConfigMap', name: 'owner', uid: owner.metadata.uid!, controller: true },
        ],
      },
      data: { k: 'v' },
    });
    const reader = cache.reader(ConfigMap);
    const child = await eventually(() => {
      const c = reader.get(ns, 'child');
      expect(c).toBeDefined();
      return c!;
    });
    expect(Object.isFrozen(child)).toBe(true);
    expect(() => {
      (child.data as Record<string, string>).k = 'changed';
    }).toThrow(TypeError);
    expect(() => {
      child.metadata.labels!.role = 'x';
    }).toThrow(TypeError);
    expect(child.metadata.managedFields).toBeUndefined();
    expect(reader.byIndex(OWNER_UID_INDEX, owner.metadata.uid!).map((o) => o.metadata.name)).toEqual(['child']);
    expect(reader.list({ labelSelector: 'role=child' }).map((o) => o.metadata.name)).toEqual(['child']);
    expect(reader.get(ns, 'child')?.data).toEqual({ k: 'v' });
  });

  it('converges after its watch is cut mid-stream (local.stop/start)', async (ctx) => {
    if (!cp.local) return ctx.skip();
    const ns = await createTestNamespace(cp, 'inf-cut-');
    const { informer } = await cacheIn(ns);
    const cms = client.resource(ConfigMap);
    await cms.create({ metadata: { name: 'before', namespace: ns } });
    await eventually(() => expect(informer.get(ns, 'before')).toBeDefined());
    await cp.local.stop();
    await cp.local.start();
    await cms.create({ metadata: { name: 'after', namespace: ns } });
    await cms.delete(ns, 'before');
    await eventually(() => converged(informer, ns), { timeout: 20_000 });
    expect(informer.get(ns, 'before')).toBeUndefined();
    // The watch resumed from its resourceVersion: no relist was needed.
    expect(informer.stats.lists).toBe(1);
    expect(informer.stats.watches).toBeGreaterThanOrEqual(2);
  }, 60_000);

  it('converges after a forced 410 (compaction) with a relist that synthesizes deletes', async (ctx) => {
    if (!cp.local) return ctx.skip();
    const ns = await createTestNamespace(cp, 'inf-gone-');
    // A 2 s reconnect backoff keeps the informer away while the test changes things behind it.
    const { informer, seen } = await cacheIn(ns, 70_000, 2000);
    const cms = client.resource(ConfigMap);
    await cms.create({ metadata: { name: 'doomed', namespace: ns } });
    await eventually(() => expect(informer.get(ns, 'doomed')).toBeDefined());
    // Cut the watch, change things while it is away, drop the history: the resume must get 410.
    await cp.local.stop();
    await cp.local.start();
    await cms.delete(ns, 'doomed');
    await cms.create({ metadata: { name: 'newcomer', namespace: ns } });
    cp.local.forceCompaction();
    await cms.create({ metadata: { name: 'trigger', namespace: ns } });
    await eventually(() => converged(informer, ns), { timeout: 20_000 });
    expect(seen.get('doomed')).toBe('delete (relist)');
    expect(informer.stats.relistsAfterGone).toBeGreaterThanOrEqual(1);
  }, 60_000);

  it('converges after the API server restarts, and reports unhealthy while it is down', async (ctx) => {
    if (!cp.local) return ctx.skip();
    const ns = await createTestNamespace(cp, 'inf-restart-');
    const { informer, cache } = await cacheIn(ns, 1500);
    const cms = client.resource(ConfigMap);
    await cms.create({ metadata: { name: 'a', namespace: ns } });
    await eventually(() => expect(informer.get(ns, 'a')).toBeDefined());
    await cp.local.stop();
    await eventually(() => expect(cache.isHealthy()).toBe(false), { timeout: 10_000 });
    await cp.local.start();
    await cms.create({ metadata: { name: 'b', namespace: ns } });
    await cms.patch(ns, 'a', { data: { v: '2' } });
    await eventually(() => converged(informer, ns), { timeout: 30_000 });
    await eventually(() => expect(cache.isHealthy()).toBe(true));
  }, 60_000);
});
