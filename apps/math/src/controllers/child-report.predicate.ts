import { findCondition, jsonEqual, type Condition } from '@kubeloop/reconcile';
import type { KubeObject, Predicate } from '@kubeloop/runtime';

type Child = KubeObject & { status?: { observedGeneration?: number; allSquares?: boolean; conditions?: Condition[] } };

/**
 * Lets a child Tuple's update re-queue its Fermat only when something the Fermat reads changed:
 * spec (generation), labels, owner references, deletion, or the child's report (observed
 * generation, Ready status, allSquares). A Tuple rewrites its Ready *message* as each of its
 * Numbers reports; without this filter every such rewrite would make a Fermat of 10000 walk its
 * 5000 Tuples again. Create and delete always pass. The reconcile stays level-based: this only
 * drops events whose content the reconcile would not look at.
 */
export function childReportChanged(): Predicate<Child> {
  return {
    update(oldObj, newObj) {
      const o = oldObj.metadata;
      const n = newObj.metadata;
      return (
        o.generation !== n.generation ||
        o.deletionTimestamp !== n.deletionTimestamp ||
        !jsonEqual(o.labels, n.labels) ||
        !jsonEqual(o.ownerReferences, n.ownerReferences) ||
        oldObj.status?.observedGeneration !== newObj.status?.observedGeneration ||
        oldObj.status?.allSquares !== newObj.status?.allSquares ||
        findCondition(oldObj.status?.conditions, 'Ready')?.status !==
          findCondition(newObj.status?.conditions, 'Ready')?.status
      );
    },
  };
}
