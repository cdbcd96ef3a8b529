import { describe, expect, it, vi } from 'vitest';
import type { KubeObject } from '../types.ts';
import { ObjectStore } from '../store/object-store.ts';
import { Registry } from '../registry/registry.ts';
import { ApiEngine } from './api-engine.ts';
import type { WatchEvent } from './request-options.ts';
import { crdSchemaModule } from '../crd-schema/index.ts';

describe('watch fan-out', () => {
  it('presents each committed change once for all watchers of a type; selector transitions get their own copy', async () => {
    const engine = new ApiEngine(new ObjectStore(100), new Registry(crdSchemaModule));
    await engine.create(engine.registry.find('', 'v1', 'namespaces')!, '', { metadata: { name: 'default' } });
    const cms = engine.registry.find('', 'v1', 'configmaps')!;
    const cm = await engine.create(cms, 'default', { metadata: { name: 'c', labels: { a: '1' } } });
    const rv = cm.metadata!.resourceVersion!;
    const got: WatchEvent[][] = [[], [], []];
    const stops = [
      engine.watch(
        cms,
        'default',
        { resourceVersion: rv },
        (e) => got[0].push(e),
        () => {},
      ),
      engine.watch(
        cms,
        'default',
        { resourceVersion: rv },
        (e) => got[1].push(e),
        () => {},
      ),
      engine.watch(
        cms,
        'default',
        { resourceVersion: rv, labelSelector: 'a=1' },
        (e) => got[2].push(e),
        () => {},
      ),
    ];
    const present = vi.spyOn(engine, 'present');
    const next = await engine.get(cms, 'default', 'c');
    present.mockClear();
    next.metadata!.labels = { a: '2' };
    const updated = await engine.update(cms, 'default', 'c', next, '');
    // The update itself presents twice (the existing object, the response); the three watches
    // share one presentation of the new state and one of the old (per watcher, it was 6).
    expect(present).toHaveBeenCalledTimes(4);
    expect(got[0]).toHaveLength(1);
    expect(got[0][0].object).toBe(got[1][0].object);
    expect(got[0][0]).toMatchObject({ type: 'MODIFIED', object: { metadata: { labels: { a: '2' } } } });
    // Leaving the selector: DELETED with the old state, at the change's RV, not touching the shared copies.
    expect(got[2][0]).toMatchObject({
      type: 'DELETED',
      object: { metadata: { labels: { a: '1' }, resourceVersion: updated.metadata!.resourceVersion } },
    });
    expect(got[2][0].object).not.toBe(got[0][0].object);
    for (const s of stops) s();
    const stored: KubeObject = engine.store.get('/configmaps', 'default', 'c')!;
    expect(stored.metadata?.labels).toEqual({ a: '2' });
  });
});
