/**
 * Whether a child has reported on the spec its parent wants: its status was computed from its
 * current generation (observedGeneration === metadata.generation). Until then its status fields
 * describe an older spec, or nothing, and must not be trusted by the parent.
 */
export function hasObservedCurrentSpec(child: {
  metadata: { generation?: number };
  status?: { observedGeneration?: number };
}): boolean {
  const gen = child.metadata.generation;
  return gen !== undefined && child.status?.observedGeneration === gen;
}

/** "a, b, c and 7 more": as many names as fit in `maxChars`, so messages stay short for thousands of children. */
export function namesWithin(names: readonly string[], maxChars: number): string {
  const all = names.join(', ');
  if (all.length <= maxChars) return all;
  let out = '';
  for (let i = 0; i < names.length; i++) {
    const next = out === '' ? names[i]! : `${out}, ${names[i]}`;
    if (next.length + ` and ${names.length - i - 1} more`.length > maxChars)
      return `${out || '…'} and ${names.length - i} more`;
    out = next;
  }
  return out;
}

/**
 * Ready=False message while children have not all reported. It must not change as each child
 * reports — every change is a status write, a watch event for every watcher of the kind and,
 * for a Tuple, a re-queue of its Fermat — so it names the count of desired children and how to
 * list them rather than which are still pending (`kubectl get` shows those: their status columns
 * are blank). It changes only when the desired set's size does.
 */
export function pendingMessage(desiredCount: number, childPlural: string, labels: Record<string, string>): string {
  const labelSelector = Object.entries(labels)
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
  const base = `not all ${desiredCount} ${childPlural} have reported yet`;
  return labelSelector ? `${base}; see kubectl get ${childPlural.toLowerCase()} -l ${labelSelector}` : base;
}
