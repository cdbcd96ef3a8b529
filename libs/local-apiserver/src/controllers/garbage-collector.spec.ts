import { afterEach, describe, expect, it, vi } from 'vitest';
import type { KubeObject, OwnerReference, ResourceType } from '../types.ts';
import { ObjectStore } from '../store/object-store.ts';
import { Registry } from '../registry/registry.ts';
import { ApiEngine } from '../engine/api-engine.ts';
import { crdSchemaModule } from '../crd-schema/index.ts';
import { startGarbageCollector } from './garbage-collector.ts';
import { startCrdController } from './crd-controller.ts';

type Stoppable = { stop(): void; idle(): Promise<void> };

const stops: Stoppable[] = [];
afterEach(() => {
  for (const s of stops.splice(0)) s.stop();
});

function fail(e: unknown): never {
  throw e;
}

async function setup(): Promise<{ engine: ApiEngine; cms: ResourceType; secrets: ResourceType }> {
  const engine = new ApiEngine(new ObjectStore(1000), new Registry(crdSchemaModule));
  engine.crdSchema = crdSchemaModule;
  await engine.create(engine.registry.find('', 'v1', 'namespaces')!, '', { metadata: { name: 'default' } });
  return {
    engine,
    cms: engine.registry.find('', 'v1', 'configmaps')!,
    secrets: engine.registry.find('', 'v1', 'secrets')!,
  };
}

function gc(engine: ApiEngine): Stoppable {
  const c = startGarbageCollector(engine, fail);
  stops.push(c);
  return c;
}

const refTo = (o: KubeObject, kind = 'ConfigMap'): OwnerReference => ({
  apiVersion: 'v1',
  kind,
  name: o.metadata!.name!,
  uid: o.metadata!.uid!,
});

/** Bounded wait for the collector (and anything it caused) to settle. */
async function settle(...cs: Stoppable[]): Promise<void> {
  for (let i = 0; i < 20; i++) for (const c of cs) await c.idle();
}

describe('garbage collector graph', () => {
  it('looks only at what a write can affect, not at every stored object', async () => {
    const { engine, cms } = await setup();
    const c = gc(engine);
    const owner = await engine.create(cms, 'default', { metadata: { name: 'owner' } });
    for (let i = 0; i < 300; i++)
      await engine.create(cms, 'default', { metadata: { name: `dep-${i}`, ownerReferences: [refTo(owner)] } });
    await settle(c);
    const spy = vi.spyOn(engine.registry, 'findByKind');
    await engine.create(cms, 'default', { metadata: { name: 'dep-late', ownerReferences: [refTo(owner)] } });
    await settle(c);
    // One dependent written: its one reference is classified, not the 300 others'.
    expect(spy.mock.calls.length).toBe(1);
    spy.mockRestore();

    await engine.delete(cms, 'default', 'owner');
    await settle(c);
    expect(engine.store.count('/configmaps', 'default')).toBe(0);
  });

  it('collects what was already stored when it starts (dangling owner)', async () => {
    const { engine, cms } = await setup();
    await engine.create(cms, 'default', {
      metadata: {
        name: 'orphaned',
        ownerReferences: [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'gone', uid: 'gone-uid' }],
      },
    });
    const kept = await engine.create(cms, 'default', { metadata: { name: 'owner' } });
    await engine.create(cms, 'default', { metadata: { name: 'kept', ownerReferences: [refTo(kept)] } });
    await settle(gc(engine));
    expect(engine.store.get('/configmaps', 'default', 'orphaned')).toBeUndefined();
    expect(engine.store.get('/configmaps', 'default', 'kept')).toBeDefined();
  });

  it('re-checks references to an unserved kind once a CRD serves it', async () => {
    const { engine, cms } = await setup();
    const c = gc(engine);
    const crds = startCrdController(engine, fail);
    stops.push(crds);
    await engine.create(cms, 'default', {
      metadata: {
        name: 'waits',
        ownerReferences: [{ apiVersion: 'late.example.com/v1', kind: 'Late', name: 'l', uid: 'no-such-uid' }],
      },
    });
    await settle(c, crds);
    expect(engine.store.get('/configmaps', 'default', 'waits')).toBeDefined();
    await engine.create(engine.registry.find('apiextensions.k8s.io', 'v1', 'customresourcedefinitions')!, '', {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: 'lates.late.example.com' },
      spec: {
        group: 'late.example.com',
        scope: 'Namespaced',
        names: { plural: 'lates', kind: 'Late' },
        versions: [
          {
            name: 'v1',
            served: true,
            storage: true,
            schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } },
          },
        ],
      },
    });
    await settle(crds, c);
    expect(engine.store.get('/configmaps', 'default', 'waits')).toBeUndefined();
  });

  it('collects dependents of owners dropped without events (dropStorage)', async () => {
    const { engine, cms, secrets } = await setup();
    const c = gc(engine);
    const owner = await engine.create(secrets, 'default', { metadata: { name: 's' } });
    await engine.create(cms, 'default', { metadata: { name: 'dep', ownerReferences: [refTo(owner, 'Secret')] } });
    await settle(c);
    expect(engine.store.get('/configmaps', 'default', 'dep')).toBeDefined();
    engine.store.dropStorage('/secrets');
    await settle(c);
    expect(engine.store.get('/configmaps', 'default', 'dep')).toBeUndefined();
  });

  it('foreground deletion cascades through a chain and releases each owner once its blockers are gone', async () => {
    const { engine, cms } = await setup();
    const c = gc(engine);
    const top = await engine.create(cms, 'default', { metadata: { name: 'top' } });
    const mid = await engine.create(cms, 'default', {
      metadata: { name: 'mid', ownerReferences: [{ ...refTo(top), blockOwnerDeletion: true }] },
    });
    await engine.create(cms, 'default', {
      metadata: {
        name: 'leaf',
        finalizers: ['example.com/hold'],
        ownerReferences: [{ ...refTo(mid), blockOwnerDeletion: true }],
      },
    });
    await settle(c);
    await engine.delete(cms, 'default', 'top', { propagationPolicy: 'Foreground' });
    await settle(c);
    // The held leaf blocks mid (deleted in the foreground, as it has dependents), which blocks top.
    expect(engine.store.get('/configmaps', 'default', 'leaf')?.metadata?.deletionTimestamp).toBeDefined();
    expect(engine.store.get('/configmaps', 'default', 'mid')?.metadata?.finalizers).toEqual(['foregroundDeletion']);
    expect(engine.store.get('/configmaps', 'default', 'top')?.metadata?.finalizers).toEqual(['foregroundDeletion']);
    const leaf = await engine.get(cms, 'default', 'leaf');
    delete leaf.metadata!.finalizers;
    await engine.update(cms, 'default', 'leaf', leaf, '');
    await settle(c);
    expect(engine.store.count('/configmaps', 'default')).toBe(0);
  });
});
