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
      if (remaining > 0) {
        reportRemaining(name);
        continue;
      }
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

  /**
   * The conditions kube-controller-manager's namespace controller writes while content is left
   * (what `kubectl describe ns` shows): which resources remain, which finalizers hold them.
   */
  function reportRemaining(name: string): void {
    const current = engine.store.get('/namespaces', '', name);
    if (!current) return;
    const resources = new Map<string, number>();
    const finalizers = new Map<string, number>();
    const seen = new Set<string>();
    for (const rt of engine.registry.all()) {
      if (!rt.namespaced || seen.has(rt.storageKey)) continue;
      seen.add(rt.storageKey);
      const storageRt = engine.registry.forStorageKey(rt.storageKey) ?? rt;
      const objects = engine.store.list(rt.storageKey, name);
      if (objects.length) resources.set(`${storageRt.plural}.${storageRt.group}`, objects.length);
      for (const o of objects)
        for (const f of o.metadata?.finalizers ?? []) finalizers.set(f, (finalizers.get(f) ?? 0) + 1);
    }
    const list = (m: Map<string, number>, what: string) =>
      [...m.entries()]
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([k, n]) => `${k} ${what} ${n} resource instances`)
        .join(', ');
    const cond = (type: string, status: string, reason: string, message: string) => ({ type, status, reason, message });
    const wanted = [
      cond(
        'NamespaceDeletionDiscoveryFailure',
        'False',
        'ResourcesDiscovered',
        'All resources successfully discovered',
      ),
      cond(
        'NamespaceDeletionGroupVersionParsingFailure',
        'False',
        'ParsedGroupVersions',
        'All legacy kube types successfully parsed',
      ),
      cond(
        'NamespaceDeletionContentFailure',
        'False',
        'ContentDeleted',
        'All content successfully deleted, may be waiting on finalization',
      ),
      resources.size
        ? cond(
            'NamespaceContentRemaining',
            'True',
            'SomeResourcesRemain',
            `Some resources are remaining: ${list(resources, 'has')}`,
          )
        : cond('NamespaceContentRemaining', 'False', 'ContentRemoved', 'All content successfully removed'),
      finalizers.size
        ? cond(
            'NamespaceFinalizersRemaining',
            'True',
            'SomeFinalizersRemain',
            `Some content in the namespace has finalizers remaining: ${list(finalizers, 'in')}`,
          )
        : cond(
            'NamespaceFinalizersRemaining',
            'False',
            'ContentHasNoFinalizers',
            'All content-preserving finalizers finished',
          ),
    ];
    const status = (current.status ?? {}) as Obj;
    const existing = (status.conditions as Obj[] | undefined) ?? [];
    const now = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
    let changed = existing.length !== wanted.length;
    const conditions = wanted.map((w) => {
      const old = existing.find((c) => c.type === w.type);
      if (old && old.status === w.status && old.reason === w.reason && old.message === w.message) return old;
      changed = true;
      return {
        type: w.type,
        status: w.status,
        lastTransitionTime: old?.status === w.status ? old.lastTransitionTime : now,
        reason: w.reason,
        message: w.message,
      };
    });
    if (!changed) return;
    const next = structuredClone(current) as KubeObject;
    next.status = { ...status, conditions };
    engine.store.update(nsType.storageKey, next);
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
