import type { KubeObject, OwnerReference, ResourceType, StoreEvent } from '../types.ts';
import { presentConverted } from '../engine/convert.ts';
import { stableEqual } from '../engine/object-values.ts';
import type { ApiEngine } from '../engine/api-engine.ts';
import { StatusError } from '../errors.ts';
import { startSweeping, type SweepingController } from './sweeper.ts';

interface Node {
  obj: KubeObject;
  rt: ResourceType;
}

const CRD_KEY = 'apiextensions.k8s.io/customresourcedefinitions';

function ignoreGone(e: unknown): void {
  if (e instanceof StatusError && (e.statusCode === 404 || e.statusCode === 409)) return;
  throw e;
}

/**
 * kube-controller-manager's garbage collector (§8). Like the real one's graph builder it keeps an
 * owner → dependents graph from the store's change events and only looks at the objects a change
 * can affect, so a write costs O(its references and dependents), not O(every stored object):
 * dependents whose owners are all gone (by UID, GC-4) or waiting on foreground
 * deletion are deleted; dangling references next to a solid owner are removed (GC-5); owners
 * with `orphan` release their dependents (GC-3); owners with `foregroundDeletion` are released
 * once no blocking dependent remains (GC-2).
 */
export function startGarbageCollector(engine: ApiEngine, onError: (e: unknown) => void): SweepingController {
  /** Dependent UID → owner UIDs already reported: the real GC reports when it observes, once. */
  const reportedInvalidNamespace = new Map<string, Set<string>>();
  let eventSeq = 0n;

  /**
   * GC-7: a namespaced owner reference whose UID belongs to an object in another namespace gives
   * a Warning Event on the dependent, worded and attributed as graph_builder.go's
   * reportInvalidNamespaceOwnerRef does (the reference is then dangling, as in the dependent's
   * namespace no such owner exists).
   */
  async function reportInvalidNamespace(dep: Node, ref: OwnerReference): Promise<void> {
    const md = dep.obj.metadata!;
    let reported = reportedInvalidNamespace.get(md.uid!);
    if (!reported) reportedInvalidNamespace.set(md.uid!, (reported = new Set()));
    if (reported.has(ref.uid)) return;
    reported.add(ref.uid);
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
      involvedObject: {
        kind: dep.rt.kind,
        namespace: ns,
        name: md.name,
        uid: md.uid,
        apiVersion: dep.rt.group ? `${dep.rt.group}/${dep.rt.version}` : dep.rt.version,
      },
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

  // ---------------------------------------------------------------- the graph, kept from events

  /** Every stored object by UID (the latest state the store announced) with its storage key. */
  const byUid = new Map<string, { obj: KubeObject; storageKey: string }>();
  /** Owner UID → UIDs of objects whose ownerReferences name it (whether the owner exists or not). */
  const dependentsOf = new Map<string, Set<string>>();
  /** Objects whose ownerReferences name a kind no served type has; re-checked when CRDs change. */
  const unresolvable = new Set<string>();
  /** UIDs to look at in the next pass. */
  const dirty = new Set<string>();

  const refUids = (o: KubeObject | undefined): string[] => (o?.metadata?.ownerReferences ?? []).map((r) => r.uid);
  // Runs for every committed change: no serializing of the lists.
  const sameList = (a: unknown[] | undefined, b: unknown[] | undefined) => a === b || stableEqual(a ?? [], b ?? []);

  function link(uid: string, owners: string[]): void {
    for (const o of owners) {
      let s = dependentsOf.get(o);
      if (!s) dependentsOf.set(o, (s = new Set()));
      s.add(uid);
    }
  }

  function unlink(uid: string, owners: string[]): void {
    for (const o of owners) {
      const s = dependentsOf.get(o);
      if (!s) continue;
      s.delete(uid);
      if (s.size === 0) dependentsOf.delete(o);
    }
  }

  function markDependents(uid: string): void {
    for (const d of dependentsOf.get(uid) ?? []) dirty.add(d);
  }

  /**
   * Keeps the graph in step with one committed change and marks what the change can affect: the
   * object itself (its references, deletion state or finalizers changed), its dependents (it
   * appeared, went away or started/stopped deleting) and its owners (a foreground owner may be
   * released once this dependent no longer blocks it).
   */
  function observe(e: StoreEvent): void {
    const obj = e.object;
    const uid = obj.metadata?.uid;
    if (!uid) return;
    if (e.storageKey === CRD_KEY) for (const u of unresolvable) dirty.add(u);
    const oldRefs = refUids(e.oldObject);
    if (e.type === 'DELETED') {
      byUid.delete(uid);
      unresolvable.delete(uid);
      reportedInvalidNamespace.delete(uid);
      unlink(uid, oldRefs);
      markDependents(uid);
      for (const o of oldRefs) dirty.add(o);
      return;
    }
    byUid.set(uid, { obj, storageKey: e.storageKey });
    const md = obj.metadata!;
    const newRefs = refUids(obj);
    const old = e.type === 'MODIFIED' ? e.oldObject?.metadata : undefined;
    const refsChanged = !old || !sameList(old.ownerReferences, md.ownerReferences);
    const deletionChanged =
      !old || old.deletionTimestamp !== md.deletionTimestamp || !sameList(old.finalizers, md.finalizers);
    if (refsChanged) {
      unlink(uid, oldRefs);
      link(uid, newRefs);
      for (const o of oldRefs) dirty.add(o);
      for (const o of newRefs) dirty.add(o);
    }
    if ((refsChanged || deletionChanged) && (newRefs.length > 0 || md.deletionTimestamp)) dirty.add(uid);
    if (deletionChanged) markDependents(uid);
  }

  /** The current stored object behind a UID, with its type (undefined once gone or unserved). */
  function lookup(uid: string): Node | undefined {
    const entry = byUid.get(uid);
    if (!entry) return undefined;
    const md = entry.obj.metadata!;
    const current = engine.store.get(entry.storageKey, md.namespace ?? '', md.name!);
    if (!current || current.metadata?.uid !== uid) return undefined;
    const rt = engine.registry.forStorageKey(entry.storageKey);
    return rt ? { obj: current, rt } : undefined;
  }

  const waiting = (o: KubeObject) =>
    !!o.metadata?.deletionTimestamp && (o.metadata.finalizers ?? []).includes('foregroundDeletion');

  /**
   * One pass over the objects marked since the last one, in the order of the full sweep it
   * replaces: orphaning owners first, then dependents, then foreground owners. Each phase reads
   * current state, so writes of an earlier phase are seen by later ones; writes made here mark
   * objects again and the Sweeper runs another pass until nothing is marked.
   */
  async function pass(): Promise<void> {
    const batch = [...dirty];
    dirty.clear();

    // Owners being deleted with `orphan`: strip their references from dependents, then release them.
    for (const uid of batch) {
      const n = lookup(uid);
      const md = n?.obj.metadata;
      if (!n || !md?.deletionTimestamp || !(md.finalizers ?? []).includes('orphan')) continue;
      for (const du of [...(dependentsOf.get(uid) ?? [])]) {
        const d = lookup(du);
        if (!d) continue;
        await updateMeta(d, (m) => {
          m.ownerReferences = (m.ownerReferences ?? []).filter((r) => r.uid !== uid);
          if (m.ownerReferences.length === 0) delete m.ownerReferences;
        });
      }
      await updateMeta(n, (m) => {
        m.finalizers = (m.finalizers ?? []).filter((f) => f !== 'orphan');
      });
    }

    // Dependents: classify each owner reference.
    for (const uid of batch) {
      const n = lookup(uid);
      if (n) await classify(n);
    }

    // Foreground owners: release once no dependent with blockOwnerDeletion remains.
    for (const uid of batch) {
      const n = lookup(uid);
      if (!n || !waiting(n.obj)) continue;
      const blocking = [...(dependentsOf.get(uid) ?? [])].some((du) => {
        const still = lookup(du)?.obj;
        return (
          !!still && (still.metadata?.ownerReferences ?? []).some((r) => r.uid === uid && r.blockOwnerDeletion === true)
        );
      });
      if (blocking) continue;
      await updateMeta(n, (m) => {
        m.finalizers = (m.finalizers ?? []).filter((f) => f !== 'foregroundDeletion');
      });
    }
  }

  async function classify(n: Node): Promise<void> {
    const md = n.obj.metadata!;
    const refs = md.ownerReferences ?? [];
    unresolvable.delete(md.uid!);
    if (refs.length === 0) return;
    const solid: OwnerReference[] = [];
    const dangling: OwnerReference[] = [];
    const waitingRefs: OwnerReference[] = [];
    let unresolved = false;
    for (const ref of refs) {
      const ownerType = engine.registry.findByKind(ref.apiVersion, ref.kind);
      if (!ownerType) {
        unresolved = true;
        continue;
      }
      // GC-7: a namespaced owner must live in the dependent's namespace; cluster-scoped
      // dependents cannot have namespaced owners.
      if (ownerType.namespaced && !n.rt.namespaced) {
        unresolved = true;
        continue;
      }
      const owner = lookup(ref.uid);
      if (owner && owner.rt.namespaced && n.rt.namespaced && owner.obj.metadata?.namespace !== md.namespace)
        await reportInvalidNamespace(n, ref);
      const ownerOk =
        owner &&
        owner.obj.metadata?.name === ref.name &&
        owner.rt.kind === ref.kind &&
        (!ownerType.namespaced || owner.obj.metadata?.namespace === md.namespace);
      if (!ownerOk) dangling.push(ref);
      else if (waiting(owner.obj)) waitingRefs.push(ref);
      else solid.push(ref);
    }
    if (unresolved) unresolvable.add(md.uid!);
    if (unresolved && solid.length === 0) return;
    if (solid.length === 0 && (dangling.length || waitingRefs.length)) {
      if (md.deletionTimestamp) return;
      const fins = md.finalizers ?? [];
      const hasDependents = (dependentsOf.get(md.uid!)?.size ?? 0) > 0;
      const policy = fins.includes('orphan')
        ? 'Orphan'
        : fins.includes('foregroundDeletion') || (waitingRefs.length > 0 && hasDependents)
          ? 'Foreground'
          : 'Background';
      try {
        await engine.delete(n.rt, md.namespace ?? '', md.name!, {
          propagationPolicy: policy,
          preconditions: { uid: md.uid! },
        });
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

  async function updateMeta(n: Node, mutate: (m: NonNullable<KubeObject['metadata']>) => void): Promise<void> {
    const md = n.obj.metadata!;
    const current = engine.store.get(n.rt.storageKey, md.namespace ?? '', md.name!);
    if (!current || current.metadata?.uid !== md.uid) return;
    const next = await presentConverted(engine, n.rt, current);
    mutate(next.metadata!);
    if (next.metadata!.finalizers && next.metadata!.finalizers.length === 0) delete next.metadata!.finalizers;
    try {
      await engine.update(n.rt, md.namespace ?? '', md.name!, next, '', {}, true);
    } catch (e) {
      ignoreGone(e);
    }
  }

  return startSweeping(pass, onError, 2, (trigger) => {
    const unsubscribes = [
      engine.store.subscribe((e) => {
        observe(e);
        if (dirty.size > 0) trigger();
      }),
      // dropStorage (a CRD's data after the CRD is gone) emits no events: those owners are gone too.
      engine.store.subscribeDrops((_key, dropped) => {
        for (const o of dropped) {
          const uid = o.metadata?.uid;
          if (!uid) continue;
          byUid.delete(uid);
          unlink(uid, refUids(o));
          markDependents(uid);
        }
        if (dirty.size > 0) trigger();
      }),
    ];
    // Objects stored before the collector started are looked at once, as a first full sweep.
    for (const key of engine.store.storageKeys()) {
      for (const o of engine.store.list(key)) {
        const uid = o.metadata?.uid;
        if (!uid) continue;
        byUid.set(uid, { obj: o, storageKey: key });
        link(uid, refUids(o));
        dirty.add(uid);
      }
    }
    return unsubscribes;
  });
}
