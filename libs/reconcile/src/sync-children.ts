import { done, forEachLimit, isInvalid, requeueAfter, type Result } from '@kubeloop/runtime';
import { invalidNameMessage } from './child-names.ts';
import { type ChildLedger, ledgersOf, newLedger } from './child-ledger.ts';
import type { ChildTally } from './child-tally.ts';
import { deleteChild, deleteUndesired } from './children.ts';
import { isPerGeneration } from './desired-per-generation.ts';
import { namesWithin } from './children-report.ts';
import type { KindRef, ReportingContext } from './context.ts';
import { createExpectationsOf } from './create-expectations.ts';
import { createOrUpdate } from './create-or-update.ts';
import { objectKey, type KubeObject } from './object.ts';
import {
  AlreadyOwnedError,
  controllerOf,
  isControlledBy,
  NotControlledError,
  setControllerReference,
} from './owner-references.ts';

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
  /**
   * Whether an existing child that no object controls is adopted (default true, as
   * controller-runtime's SetControllerReference does) or left alone as a conflict (false: the
   * name belongs to whoever made it, as upstream sample-controller decides).
   */
  adopt?: boolean;
  /**
   * The Warning event for a desired name held by another (`message` says by whom). Default:
   * reason `ChildConflict` with that message. Apps that follow an upstream's wording set theirs.
   */
  conflictEvent?(name: string, message: string): { reason: string; message: string };
  /**
   * One word for what the parent's status needs of a child ("pending", "ready", …; `child` as in
   * `children`, undefined when not made), tallied in ChildSync.tally so that status is computed
   * from counts rather than by a walk of every child. Called for the children this sync looked
   * at: all of them, or — with a desired list from desiredPerGeneration — those that changed.
   */
  summarize?(child: T | undefined, desired: D): string;
}

/** A desired child that could not be made: its name and why. */
export interface ChildProblem {
  name: string;
  message: string;
}

/**
 * A desired child the API server refuses (422 Invalid), or would refuse (its name): nothing the
 * controller does can fix it, so it is not tried again until the parent's spec changes.
 */
export interface InvalidChild extends ChildProblem {
  verb: 'create' | 'update';
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
   * Desired children that can never be made as the parent's spec stands (name too long, a field
   * the server refuses): report them in status (childrenReadyCondition does) — the sync records a
   * `FailedCreate`/`FailedUpdate` Warning event when it first meets them, and `resultOf` does not
   * retry them. `message` is the API server's own.
   */
  invalid: InvalidChild[];
  /**
   * The desired children that exist and this parent controls, by name, as stored after the sync:
   * the write's response for those written, the cache's object for the rest. Compute status
   * from these (a desired name missing here has not been made). Read only: with a desired list
   * from desiredPerGeneration it is the map kept between syncs.
   */
  children: Map<string, T>;
  /** The `summarize` words of the desired children, by desired position (empty without `summarize`). */
  tally: ChildTally;
}

/**
 * The one way a parent owns children of one kind. For each desired child: skip it when the
 * cache shows it already as desired, else createOrUpdate it with this parent as controller
 * (AlreadyOwned — or, with `adopt: false`, any child this parent does not control — → a
 * `ChildConflict` Warning event and a retry after CONFLICT_RETRY_MS, never a takeover; 422
 * Invalid, or a custom-kind name the server would refuse → `invalid`, a `FailedCreate` Warning
 * event, and no retry until the parent's generation moves); then delete the children of this
 * kind the parent controls that are no longer desired (UID precondition, background propagation); then record one Event per kind of write
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
 *
 * Parents with thousands of children: pass a desired list from desiredPerGeneration (the same
 * array while the spec stays the same) and a `summarize`. The sync then keeps a ledger of the
 * parent's children between reconciles, marked by the cache's change notifications, and looks
 * only at the children that changed since (plus names another owner holds); status reads
 * counts from `tally`. A child's report then costs the parent one child's work, not a walk of
 * all of them (a Fermat of 10000 re-walked its 5,000 Tuples per Tuple report). A new spec, a
 * failed sync, a parent not reconciled among the last 256, or a cache without change
 * notifications starts again from a walk of every child.
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
  const expected = createExpectationsOf(cached);
  const uid = parent.metadata.uid;
  const ledgers = uid !== undefined && isPerGeneration(desired) ? ledgersOf(cached) : undefined;
  const kept = ledgers?.find<T, D>(uid!, desired);
  // A fresh ledger is kept before the first read, so that what changes while this sync runs is marked in it.
  const ledger = kept ?? newLedger<T, D>(desired);
  if (!kept) ledgers?.keep(uid!, ledger as unknown as ChildLedger<KubeObject, unknown>);
  let names: Iterable<string>;
  if (kept) {
    names = new Set([...kept.changed, ...kept.unsettled]);
    kept.changed = new Set();
    kept.unsettled = new Set();
  } else names = desired.map((d) => d.name);

  const sync: ChildSync<T> = {
    kind: kind.kind,
    created: [],
    updated: [],
    deleted: [],
    conflicts: [],
    invalid: ledger.invalid,
    children: ledger.children,
    tally: ledger.tally,
  };
  const refused = refusalsOf(ctx.client, parent, kind);
  const newlyRefused: InvalidChild[] = [];
  const refuse = (problem: InvalidChild) => {
    refused.remember(problem);
    sync.invalid.push(problem);
    newlyRefused.push(problem);
  };
  const stale: D[] = [];
  const looked: number[] = [];
  const undesired: T[] = [];
  for (const name of names) {
    const i = ledger.positions.get(name);
    if (i === undefined) {
      // A child this parent controls that is not desired, seen changing: pruned below.
      const child = cached.get(namespace, name);
      if (child && isControlledBy(child, parent) && !child.metadata.deletionTimestamp) undesired.push(child);
      continue;
    }
    const d = desired[i]!;
    const known = refused.get(name);
    if (known) {
      if (!kept) sync.invalid.push(known);
      continue;
    }
    const badName = invalidNameMessage(kind, name);
    if (badName !== undefined) {
      refuse({ name, message: badName, verb: 'create' });
      continue;
    }
    looked.push(i);
    const child = cached.get(namespace, name) ?? expected?.get<T>(namespace, name);
    if (child && opts.matches && isExactlyOwned(child, parent, d) && opts.matches(child, d))
      sync.children.set(name, child);
    else {
      sync.children.delete(name);
      stale.push(d);
    }
  }
  try {
    await forEachLimit(stale, opts.concurrency ?? 8, async (d) => {
      try {
        const { result, object } = await createOrUpdate(ctx, kind, { namespace, name: d.name }, (child) => {
          // Only a stored child has a uid; a fresh one is ours to create.
          if (opts.adopt === false && child.metadata.uid !== undefined && !isControlledBy(child, parent))
            throw new NotControlledError(objectKey(child), `${parent.kind} ${objectKey(parent)}`);
          setControllerReference(parent, child);
          if (d.labels && Object.keys(d.labels).length > 0)
            child.metadata.labels = { ...child.metadata.labels, ...d.labels };
          opts.apply(child, d);
        });
        if (result !== 'unchanged') sync[result].push(d.name);
        if (result === 'created' && !cached.get(namespace, d.name)) expected?.expect(object);
        sync.children.set(d.name, object);
      } catch (err) {
        if (isInvalid(err)) {
          const verb = cached.get(namespace, d.name) ? 'update' : 'create';
          refuse({ name: d.name, message: serverMessage(err), verb });
          return;
        }
        if (!(err instanceof AlreadyOwnedError || err instanceof NotControlledError)) throw err;
        sync.conflicts.push({ name: d.name, message: err.message });
        const event = opts.conflictEvent?.(d.name, err.message) ?? { reason: 'ChildConflict', message: err.message };
        ctx.events.warning(parent, event.reason, event.message);
        ledger.unsettled.add(d.name);
      }
    });
    if (opts.prune ?? true) {
      const deleted = kept
        ? await deleteEach(ctx, kind, undesired)
        : await deleteUndesired(ctx, kind, parent, ledger.positions);
      for (const child of deleted) sync.deleted.push(child.metadata.name!);
    }
    if (opts.summarize)
      for (const i of looked) sync.tally.set(i, opts.summarize(sync.children.get(desired[i]!.name), desired[i]!));
  } catch (err) {
    // What this sync took from the ledger is not settled: the next one walks every child.
    ledgers?.drop(uid!);
    throw err;
  } finally {
    const plural = opts.childPlural ?? `${kind.kind}s`;
    announce(ctx, parent, sync, plural);
    announceRefusals(ctx, parent, kind.kind, plural, newlyRefused);
  }
  return sync;
}

async function deleteEach<T extends KubeObject>(ctx: ReportingContext, kind: KindRef<T>, children: T[]): Promise<T[]> {
  const deleted: T[] = [];
  for (const child of children) if (await deleteChild(ctx, kind, child)) deleted.push(child);
  return deleted;
}

/**
 * The reconcile's result after its syncs: look again after CONFLICT_RETRY_MS while some child
 * name is held by another owner, else done — every other change to a child wakes the parent
 * through its `owns` watch, and an invalid child waits for the parent's spec to change.
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
 * One Warning per kind of write refused, when first met (a refusal remembered from an earlier
 * sync is not news), worded as the ReplicaSet controller words a Pod it cannot create.
 */
function announceRefusals(
  ctx: ReportingContext,
  parent: KubeObject,
  kind: string,
  plural: string,
  refused: readonly InvalidChild[],
): void {
  for (const verb of ['create', 'update'] as const) {
    const these = refused.filter((p) => p.verb === verb).sort((a, b) => (a.name < b.name ? -1 : 1));
    if (these.length === 0) continue;
    const reason = verb === 'create' ? 'FailedCreate' : 'FailedUpdate';
    const message =
      these.length === 1
        ? `cannot ${verb} ${kind} ${these[0]!.name}: ${these[0]!.message}`
        : `cannot ${verb} ${these.length} ${plural}; the first: ${these[0]!.message}`;
    ctx.events.warning(parent, reason, message);
  }
}

/** The API server's own words (its Status message), without our client's request prefix. */
function serverMessage(err: unknown): string {
  const e = err as { status?: { message?: string }; message?: string };
  return e.status?.message ?? e.message ?? String(err);
}

/**
 * Children the server refused for one parent at one generation, per client (one per manager):
 * a refused child is not sent again until the parent's spec changes — a new generation starts
 * afresh. Lost on restart, which costs one more try. Bounded: forgetting a parent costs one
 * more try and one more Warning event.
 */
interface Refusals {
  generation: number | undefined;
  byName: Map<string, InvalidChild>;
}
const MAX_PARENTS_WITH_REFUSALS = 10_000;
const refusals = new WeakMap<object, Map<string, Refusals>>();

function refusalsOf(client: object, parent: KubeObject, kind: KindRef) {
  let byParent = refusals.get(client);
  if (!byParent) refusals.set(client, (byParent = new Map<string, Refusals>()));
  const key = `${parent.metadata.uid ?? `${parent.metadata.namespace}/${parent.metadata.name}`}/${kind.apiVersion}/${kind.kind}`;
  const generation = parent.metadata.generation;
  const current = () => {
    const r = byParent.get(key);
    if (r && r.generation === generation) return r;
    if (r) byParent.delete(key);
    return undefined;
  };
  return {
    get: (name: string) => current()?.byName.get(name),
    remember(problem: InvalidChild) {
      let r = current();
      if (!r) {
        byParent.set(key, (r = { generation, byName: new Map() }));
        if (byParent.size > MAX_PARENTS_WITH_REFUSALS) byParent.delete(byParent.keys().next().value!);
      }
      r.byName.set(problem.name, problem);
    },
  };
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
