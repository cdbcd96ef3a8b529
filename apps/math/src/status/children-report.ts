/**
 * Whether a child has reported on the spec its parent wants: its status was computed from its
 * current generation (observedGeneration === metadata.generation). Until then its status fields
 * describe an older spec, or nothing, and must not be trusted by the parent.
 */
export function hasObservedCurrentSpec(child: { metadata: { generation?: number }; status?: { observedGeneration?: number } }): boolean {
  const gen = child.metadata.generation;
  return gen !== undefined && child.status?.observedGeneration === gen;
}

/** "a, b, c and 7 more": names in messages stay short even for thousands of children. */
export function nameList(names: string[], max = 5): string {
  if (names.length <= max) return names.join(', ');
  return `${names.slice(0, max).join(', ')} and ${names.length - max} more`;
}
