import type { InProcessController, KubeObject, OwnerReference, ResourceType } from '../types.ts';
import type { ApiEngine } from '../engine/api-engine.ts';
import { StatusError } from '../errors.ts';
import { Sweeper } from './sweeper.ts';

interface Node {
  obj: KubeObject;
  rt: ResourceType;
}

function ignoreGone(e: unknown): void {
  if (e instanceof StatusError && (e.statusCode === 404 || e.statusCode === 409)) return;
  throw e;
}

/**
 * kube-controller-manager's garbage collector (§8), as a level-based sweep over every stored
 * object: dependents whose owners are all gone (by UID, GC-4, §12.31) or waiting on foreground
 * deletion are deleted; dangling references next to a solid owner are removed (GC-5); owners
 * with `orphan` release their dependents (GC-3); owners with `foregroundDeletion` are released
 * once no blocking dependent remains (GC-2).
 */
export function startGarbageCollector(engine: ApiEngine, onError: (e: unknown) => void): InProcessController & { idle(): Promise<void> } {
  /** `dependentUid/ownerUid` pairs already reported: the real GC reports when it observes, once. */
  const reportedInvalidNamespace = new Set<string>();
  let eventSeq = 0n;

  /**
   * GC-7: a namespaced owner reference whose UID belongs to an object in another namespace gives
   * a Warning Event on the dependent, worded and attributed as graph_builder.go's
   * reportInvalidNamespaceOwnerRef does (the reference is then dangling, as in the dependent's
   * namespace no such owner exists).
   */
  async function reportInvalidNamespace(dep: Node, ref: OwnerReference): Promise<void> {
    const md = dep.obj.metadata!;
    const key = `${md.uid}/${ref.uid}`;
    if (reportedInvalidNamespace.has(key)) return;
    reportedInvalidNamespace.add(key);
    const eventsRt = engine.registry.find('', 'v1', 'events');
    if (!eventsRt) return;
    const now = new Date();
    const stamp = now.toISOString().replace(/\.\d{3}Z$/, 'Z');
    // client-go names events <object>.<UnixNano in hex>; the sequence keeps same-millisecond names apart.
    const nanos = BigInt(now.getTime()) * 1_000_000n + (eventSeq++ % 1_000_000n);
    const ns = md.namespace ?? '';
    const event = {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: `${md.name}.${nanos.toString(16)}`, namespace: ns },
      involvedObject: { kind: dep.rt.kind, namespace: ns, name: md.name, uid: md.uid, apiVersion: dep.rt.group ? `${dep.rt.group}/${dep.rt.version}` : dep.rt.version },
      reason: 'OwnerRefInvalidNamespace',
      message: `ownerRef [${ref.apiVersion}/${ref.kind}, namespace: ${ns}, name: ${ref.name}, uid: ${ref.uid}] does not exist in namespace "${ns}"`,
      source: { component: 'garbage-collector-controller' },
      firstTimestamp: stamp,
      lastTimestamp: stamp,
      count: 1,
      type: 'Warning',
      eventTime: null,
      reportingComponent: 'garbage-collector-controller',
      reportingInstance: '',
    };
    try {
      await engine.create(eventsRt, ns, event);
    } catch (e) {
      // A namespace being torn down refuses new events (403); nothing to report into then.
      if (!(e instanceof StatusError && (e.statusCode === 403 || e.statusCode === 409))) throw e;
    }
  }

  async function pass(): Promise<void> {
    const byUid = new Map<string, Node>();
    const all: Node[] = [];
    for (const key of engine.store.storageKeys()) {
      const rt = engine.registry.forStorageKey(key);
      if (!rt) continue;
      for (const o of engine.store.list(key)) {
        const n = { obj: o, rt };
        all.push(n);
        if (o.metadata?.uid) byUid.set(o.metadata.uid, n);
      }
    }
    for (const key of reportedInvalidNamespace) if (!byUid.has(key.slice(0, key.indexOf('/')))) reportedInvalidNamespace.delete(key);
    const dependentsOf = new Map<string, Node[]>();
    for (const n of all) {
      for (const ref of n.obj.metadata?.ownerReferences ?? []) {
        const list = dependentsOf.get(ref.uid) ?? [];
        list.push(n);
        dependentsOf.set(ref.uid, list);
      }
    }
    const waiting = (o: KubeObject) => !!o.metadata?.deletionTimestamp && (o.metadata.finalizers ?? []).includes('foregroundDeletion');

    // Owners being deleted with `orphan`: strip their references from dependents, then release them.
    for (const n of all) {
      const md = n.obj.metadata!;
      if (!md.deletionTimestamp || !(md.finalizers ?? []).includes('orphan')) continue;
      for (const d of dependentsOf.get(md.uid!) ?? []) {
        await updateMeta(d, (m) => {
          m.ownerReferences = (m.ownerReferences ?? []).filter((r) => r.uid !== md.uid);
          if (m.ownerReferences.length === 0) delete m.ownerReferences;
        });
      }
      await updateMeta(n, (m) => {
        m.finalizers = (m.finalizers ?? []).filter((f) => f !== 'orphan');
      });
    }

    // Dependents: classify each owner reference.
    for (const n of all) {
      const md = n.obj.metadata!;
      const refs = md.ownerReferences ?? [];
      if (refs.length === 0) continue;
      const solid: OwnerReference[] = [];
      const dangling: OwnerReference[] = [];
      const waitingRefs: OwnerReference[] = [];
      let unresolvable = false;
      for (const ref of refs) {
        const ownerType = engine.registry.findByKind(ref.apiVersion, ref.kind);
        if (!ownerType) {
          unresolvable = true;
          continue;
        }
        // GC-7: a namespaced owner must live in the dependent's namespace; cluster-scoped
        // dependents cannot have namespaced owners.
        if (ownerType.namespaced && !n.rt.namespaced) {
          unresolvable = true;
          continue;
        }
        const owner = byUid.get(ref.uid);
        if (owner && owner.rt.namespaced && n.rt.namespaced && owner.obj.metadata?.namespace !== md.namespace) await reportInvalidNamespace(n, ref);
        const ownerOk =
          owner &&
          owner.obj.metadata?.name === ref.name &&
          owner.rt.kind === ref.kind &&
          (!ownerType.namespaced || owner.obj.metadata?.namespace === md.namespace);
        if (!ownerOk) dangling.push(ref);
        else if (waiting(owner.obj)) waitingRefs.push(ref);
        else solid.push(ref);
      }
      if (unresolvable && solid.length === 0) continue;
      if (solid.length === 0 && (dangling.length || waitingRefs.length)) {
        if (md.deletionTimestamp) continue;
        const fins = md.finalizers ?? [];
        const hasDependents = (dependentsOf.get(md.uid!) ?? []).length > 0;
        const policy = fins.includes('orphan')
          ? 'Orphan'
          : fins.includes('foregroundDeletion') || (waitingRefs.length > 0 && hasDependents)
            ? 'Foreground'
            : 'Background';
        try {
          await engine.delete(n.rt, md.namespace ?? '', md.name!, { propagationPolicy: policy, preconditions: { uid: md.uid! } });
        } catch (e) {
          ignoreGone(e);
        }
      } else if (solid.length > 0 && (dangling.length || waitingRefs.length)) {
        const drop = new Set([...dangling, ...waitingRefs].map((r) => r.uid));
        await updateMeta(n, (m) => {
          m.ownerReferences = (m.ownerReferences ?? []).filter((r) => !drop.has(r.uid));
        });
      }
    }

    // Foreground owners: release once no dependent with blockOwnerDeletion remains.
    for (const n of all) {
      const md = n.obj.metadata!;
      if (!waiting(n.obj)) continue;
      const current = engine.store.get(n.rt.storageKey, md.namespace ?? '', md.name!);
      if (!current) continue;
      const blocking = all.some((d) => {
        const still = engine.store.get(d.rt.storageKey, d.obj.metadata?.namespace ?? '', d.obj.metadata!.name!);
        return !!still && (still.metadata?.ownerReferences ?? []).some((r) => r.uid === md.uid && r.blockOwnerDeletion === true);
      });
      if (blocking) continue;
      await updateMeta({ obj: current, rt: n.rt }, (m) => {
        m.finalizers = (m.finalizers ?? []).filter((f) => f !== 'foregroundDeletion');
      });
    }
  }

  async function updateMeta(n: Node, mutate: (m: NonNullable<KubeObject['metadata']>) => void): Promise<void> {
    const md = n.obj.metadata!;
    const current = engine.store.get(n.rt.storageKey, md.namespace ?? '', md.name!);
    if (!current || current.metadata?.uid !== md.uid) return;
    const next = engine.present(n.rt, current);
    mutate(next.metadata!);
    if (next.metadata!.finalizers && next.metadata!.finalizers.length === 0) delete next.metadata!.finalizers;
    try {
      await engine.update(n.rt, md.namespace ?? '', md.name!, next, '', {}, true);
    } catch (e) {
      ignoreGone(e);
    }
  }

  const sweeper = new Sweeper(pass, onError, 2);
  const unsubscribe = engine.store.subscribe((e) => {
    const md = e.object.metadata;
    // Only changes that can matter to the GC: deletions, owner references, deleting owners.
    if (e.type === 'DELETED' || (md?.ownerReferences?.length ?? 0) > 0 || md?.deletionTimestamp) sweeper.trigger();
  });
  sweeper.trigger();
  return {
    stop() {
      unsubscribe();
      sweeper.stop();
    },
    idle: () => sweeper.idle(),
  };
}
