import { isControlledBy, type KubeObject } from '@kubeloop/reconcile';

/**
 * Whether a cached child already is exactly what the parent's mutate function would make it:
 * controlled by this parent (by UID), carrying the desired labels, and `specMatches`. When true,
 * createOrUpdate would compare and find nothing to write; skipping it saves a deep copy per
 * child, which matters for a Fermat of 10000 whose every reconcile walks 5000 Tuples in the same
 * process as everything else. Anything else (missing, foreign, drifted) goes through
 * createOrUpdate, which decides for real.
 */
export function upToDate(
  child: KubeObject | undefined,
  parent: KubeObject,
  labels: Record<string, string>,
  specMatches: () => boolean,
): boolean {
  if (!child || child.metadata.deletionTimestamp || !isControlledBy(child, parent)) return false;
  const ref = child.metadata.ownerReferences!.find((r) => r.controller === true)!;
  if (
    ref.apiVersion !== parent.apiVersion ||
    ref.kind !== parent.kind ||
    ref.name !== parent.metadata.name ||
    ref.blockOwnerDeletion !== true
  )
    return false;
  const have = child.metadata.labels ?? {};
  for (const [k, v] of Object.entries(labels)) if (have[k] !== v) return false;
  return specMatches();
}
