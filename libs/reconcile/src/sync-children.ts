import { done, forEachLimit, requeueAfter, type Result } from '@kubeloop/runtime';
import { deleteUndesired } from './children.ts';
import { namesWithin } from './children-report.ts';
import type { KindRef, ReportingContext } from './context.ts';
import { createOrUpdate } from './create-or-update.ts';
import type { KubeObject } from './object.ts';
import { AlreadyOwnedError, controllerOf, setControllerReference } from './owner-references.ts';

/**
 * How long to wait before looking again at a child name another object controls. Its release
 * (the other owner deleted, the reference removed) wakes nobody — the parent only watches the
 * children it controls — so a timer is the only way to notice.
 */
export const CONFLICT_RETRY_MS = 30_000;

/** One child a parent wants: its name, and the labels the parent owns on it. */
export interface DesiredChild {
  name: string;
  /** Merged into the child's labels; labels others put on the child stay. */
  labels?: Record<string, string>;
}

export interface SyncChildrenOptions<T extends KubeObject, D extends DesiredChild> {
  /**
   * Sets the fields the parent owns on `child` (a copy of the stored child, or a fresh object
   * with only apiVersion, kind, name and namespace), leaf by leaf: never replace a whole
   * sub-object the API server defaults into (see createOrUpdate's warning). The controller
   * reference and `desired.labels` are already set when it runs.
   */
  apply(child: T, desired: D): void;
  /**
   * Optional fast path for parents with many children: whether a cached child's parent-owned
   * fields already are what `apply` would make them. When it returns true (and the controller
   * reference and labels are already exact), the child is not copied and compared at all.
   * Return false when unsure; createOrUpdate then decides.
   */
  matches?(child: T, desired: D): boolean;
  /** Child writes in flight at once (default 8). */
  concurrency?: number;
  /**
   * Delete the children of this kind the parent controls that are not desired (default true).
   * Children someone else controls are never touched.
   */
  prune?: boolean;
  /** The child kind's plural in Event messages (default `${kind}s`: "created 10 Numbers: …"). */
  childPlural?: string;
}

/** A desired child that could not be made: its name and why. */
export interface ChildProblem {
  name: string;
  message: string;
}

/** What one syncOwnedChildren call did, for status and for the reconcile's result. */
export interface ChildSync<T extends KubeObject> {
  /** The child kind (`Number`). */
  kind: string;
  created: string[];
  updated: string[];
  deleted: string[];
  /** Desired names held by an object another owner controls: left alone, looked at again after CONFLICT_RETRY_MS. */
  conflicts: ChildProblem[];
  /**
   * The desired children that exist and this parent controls, by name, as stored after the sync:
   * the write's response for those written, the cache's object for the rest. Compute status
   * from these (a desired name missing here has not been made).
   */
  children: Map<string, T>;
}

/**
 * The one way a parent owns children of one kind. For each desired child: skip it when the
 * cache shows it already as desired, else createOrUpdate it with this parent as controller
 * (AlreadyOwned → a `ChildConflict` Warning event and a retry after CONFLICT_RETRY_MS, never a
 * takeover); then delete the children of this kind the parent controls that are no longer
 * desired (UID precondition, background propagation); then record one Event per kind of write
 * ("Created": "created 10 Numbers: t-0, t-1, …") naming the children, sorted — also when a
 * write failed midway, so what was done is announced. Other errors propagate (the runtime
 * retries with backoff; a 409 from a stale cache is requeued without an error log).
 *
 * Reads come from the cache: call it from a reconcile whose controller `owns(kind)`, so that a
 * child's change (a deletion, an edit) wakes the parent and the next sync puts it back.
 * Children are named by the parent, deterministically (`<parent>-<i>`): a generated name would
 * create a new child each time the cache has not yet shown the last one.
 *
 * Writes run `concurrency` at a time. Call it once per child kind, in the order the children
 * should appear, and pass every result to `resultOf`.
 */
export async function syncOwnedChildren<T extends KubeObject, D extends DesiredChild>(
  ctx: ReportingContext,
  parent: KubeObject,
  kind: KindRef<T>,
  desired: readonly D[],
  opts: SyncChildrenOptions<T, D>,
): Promise<ChildSync<T>> {
  const namespace = kind.namespaced ? parent.metadata.namespace : undefined;
  const cached = ctx.cache.reader(kind);
  const sync: ChildSync<T> = {
    kind: kind.kind,
    created: [],
    updated: [],
    deleted: [],
    conflicts: [],
    children: new Map(),
  };
  const stale: D[] = [];
  for (const d of desired) {
    const child = cached.get(namespace, d.name);
    if (child && opts.matches && isExactlyOwned(child, parent, d) && opts.matches(child, d))
      sync.children.set(d.name, child);
    else stale.push(d);
  }
  try {
    await forEachLimit(stale, opts.concurrency ?? 8, async (d) => {
      try {
        const { result, object } = await createOrUpdate(ctx, kind, { namespace, name: d.name }, (child) => {
          setControllerReference(parent, child);
          if (d.labels && Object.keys(d.labels).length > 0)
            child.metadata.labels = { ...child.metadata.labels, ...d.labels };
          opts.apply(child, d);
        });
        if (result !== 'unchanged') sync[result].push(d.name);
        sync.children.set(d.name, object);
      } catch (err) {
        if (!(err instanceof AlreadyOwnedError)) throw err;
        sync.conflicts.push({ name: d.name, message: err.message });
        ctx.events.warning(parent, 'ChildConflict', err.message);
      }
    });
    if (opts.prune ?? true) {
      const deleted = await deleteUndesired(ctx, kind, parent, new Set(desired.map((d) => d.name)));
      for (const child of deleted) sync.deleted.push(child.metadata.name!);
    }
  } finally {
    announce(ctx, parent, sync, opts.childPlural ?? `${kind.kind}s`);
  }
  return sync;
}

/**
 * The reconcile's result after its syncs: look again after CONFLICT_RETRY_MS while some child
 * name is held by another owner, else done — every other change to a child wakes the parent
 * through its `owns` watch.
 */
export function resultOf(...syncs: ChildSync<KubeObject>[]): Result {
  return syncs.some((s) => s.conflicts.length > 0) ? requeueAfter(CONFLICT_RETRY_MS) : done();
}

/** Event messages stay well under the API server's 1 KiB cut, whatever the number of children. */
const MAX_NAMES_CHARS = 900;

/**
 * One Event per kind of write rather than one per child: a Tuple's first reconcile costs one
 * Event write instead of ten, and `kubectl describe` still names every child written (up to the
 * message size, then "and N more"). Sorted: writes run concurrently, and the message should not
 * depend on which landed first.
 */
function announce(ctx: ReportingContext, parent: KubeObject, sync: ChildSync<KubeObject>, plural: string): void {
  for (const result of ['created', 'updated', 'deleted'] as const) {
    const names = [...sync[result]].sort();
    if (names.length === 0) continue;
    const reason = result === 'created' ? 'Created' : result === 'updated' ? 'Updated' : 'Deleted';
    const message =
      names.length === 1
        ? `${result} ${sync.kind} ${names[0]}`
        : `${result} ${names.length} ${plural}: ${namesWithin(names, MAX_NAMES_CHARS)}`;
    ctx.events.normal(parent, reason, message);
    ctx.log?.info({ child: sync.kind, result, count: names.length }, message);
  }
}

/**
 * Whether `child` already carries exactly the controller reference and labels the mutation
 * would set, so that only the kind-specific fields (`matches`) remain to be compared.
 */
function isExactlyOwned(child: KubeObject, parent: KubeObject, desired: DesiredChild): boolean {
  if (child.metadata.deletionTimestamp) return false;
  const ref = controllerOf(child);
  if (
    !ref ||
    ref.uid !== parent.metadata.uid ||
    ref.apiVersion !== parent.apiVersion ||
    ref.kind !== parent.kind ||
    ref.name !== parent.metadata.name ||
    ref.blockOwnerDeletion !== true
  )
    return false;
  const have = child.metadata.labels ?? {};
  for (const [k, v] of Object.entries(desired.labels ?? {})) if (have[k] !== v) return false;
  return true;
}
