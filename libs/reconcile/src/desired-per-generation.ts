import type { KubeObject } from './object.ts';

/** Parents whose desired lists are remembered, per compute function; the least recently used goes first. */
const MAX_PARENTS = 256;
type Memo = { generation: number | undefined; desired: readonly unknown[] };
const memos = new WeakMap<object, Map<string, Memo>>();
const stable = new WeakSet<readonly unknown[]>();

/**
 * The parent's desired children, computed once per spec: the same array is returned while the
 * parent's UID and metadata.generation stay the same, so `compute` must depend on nothing else
 * than the parent's name and spec. Passing such an array to syncOwnedChildren lets it keep a
 * ledger of the children between reconciles and look only at those that changed — what makes
 * a parent of thousands of children cost, per child's report, one child's work.
 */
export function desiredPerGeneration<P extends KubeObject, D>(parent: P, compute: (parent: P) => D[]): readonly D[] {
  const uid = parent.metadata.uid;
  if (!uid) return compute(parent);
  let byParent = memos.get(compute);
  if (!byParent) memos.set(compute, (byParent = new Map<string, Memo>()));
  const generation = parent.metadata.generation;
  const known = byParent.get(uid);
  byParent.delete(uid);
  if (known && known.generation === generation) {
    byParent.set(uid, known);
    return known.desired as readonly D[];
  }
  const desired = compute(parent);
  stable.add(desired);
  byParent.set(uid, { generation, desired });
  if (byParent.size > MAX_PARENTS) byParent.delete(byParent.keys().next().value!);
  return desired;
}

/** Whether `desired` came from desiredPerGeneration (and so may be kept with its ledger). */
export function isPerGeneration(desired: readonly unknown[]): boolean {
  return stable.has(desired);
}
