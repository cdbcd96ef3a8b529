import type { KubeObject, Obj } from '../types.ts';
import type { ApiEngine } from '../engine/api-engine.ts';
import { StatusError } from '../errors.ts';
import { startSweeping, type SweepingController } from './sweeper.ts';

/**
 * kube-controller-manager's namespace controller (NS-4): for a Terminating namespace, delete
 * every namespaced object in it, wait until they are gone (their finalizers may hold them),
 * then drop the `kubernetes` finalizer, which deletes the namespace.
 */
export function startNamespaceController(engine: ApiEngine, onError: (e: unknown) => void): SweepingController {
  const nsType = engine.registry.find('', 'v1', 'namespaces')!;
  const terminating = new Set<string>();

  async function pass(): Promise<void> {
    terminating.clear();
    for (const ns of engine.store.list('/namespaces')) {
      if (!ns.metadata?.deletionTimestamp) continue;
      const name = ns.metadata.name!;
      terminating.add(name);
      let remaining = 0;
      const seen = new Set<string>();
      for (const rt of engine.registry.all()) {
        if (!rt.namespaced || seen.has(rt.storageKey)) continue;
        seen.add(rt.storageKey);
        const storageRt = engine.registry.forStorageKey(rt.storageKey) ?? rt;
        for (const o of engine.store.list(rt.storageKey, name)) {
          remaining++;
          if (o.metadata?.deletionTimestamp) continue;
          try {
            await engine.delete(storageRt, name, o.metadata!.name!, { propagationPolicy: 'Background' });
          } catch (e) {
            if (!(e instanceof StatusError && (e.statusCode === 404 || e.statusCode === 409))) throw e;
          }
        }
      }
      if (remaining > 0) continue;
      const current = engine.store.get('/namespaces', '', name);
      if (!current) continue;
      const specFins = (((current.spec as Obj | undefined)?.finalizers as string[] | undefined) ?? []).filter(
        (f) => f !== 'kubernetes',
      );
      const next = structuredClone(current) as KubeObject;
      next.spec = { ...((current.spec as Obj) ?? {}) };
      if (specFins.length) (next.spec as Obj).finalizers = specFins;
      else delete (next.spec as Obj).finalizers;
      if (specFins.length === 0 && (current.metadata?.finalizers ?? []).length === 0) {
        engine.store.delete('/namespaces', '', name);
      } else if (JSON.stringify(next.spec) !== JSON.stringify(current.spec)) {
        engine.store.update(nsType.storageKey, next);
      }
    }
  }

  return startSweeping(pass, onError, 1, (trigger) => [
    engine.store.subscribe((e) => {
      if (e.storageKey === '/namespaces') {
        if (e.object.metadata?.deletionTimestamp) trigger();
        return;
      }
      const ns = e.object.metadata?.namespace;
      if (ns && terminating.has(ns)) trigger();
    }),
  ]);
}
