import { FERMAT_LABEL, parentLabel } from './labels.ts';

export interface DesiredTuple {
  name: string;
  numbers: [number, number];
  labels: Record<string, string>;
}

/**
 * The Tuples a Fermat should own: one per split of n into two positive parts, i + (n−i) with
 * 1 ≤ i ≤ ⌊n/2⌋, named `<fermat>-<i>-and-<n−i>`, in increasing i (the order witnesses are looked
 * for). 0 and 1 have no such split.
 */
export function desiredTuples(fermat: { metadata: { name?: string }; spec?: { number?: number } }): DesiredTuple[] {
  const name = fermat.metadata.name!;
  // The schema does not require spec itself: a Fermat without one has nothing to split.
  const n = fermat.spec?.number ?? 0;
  const labels = parentLabel(FERMAT_LABEL, name);
  const out: DesiredTuple[] = [];
  for (let i = 1; i <= Math.floor(n / 2); i++) {
    out.push({ name: `${name}-${i}-and-${n - i}`, numbers: [i, n - i], labels });
  }
  return out;
}
