import {
  childrenReadyCondition,
  hasObservedCurrentSpec,
  type InvalidChild,
  isTrue,
  setCondition,
} from '@kubeloop/reconcile';
import type { FermatObject, FermatStatus } from '../api/v1beta1/fermat.ts';
import type { TupleObject } from '../api/v1beta1/tuple.ts';
import { integerSqrt, isPrime } from '../arithmetic/arithmetic.ts';
import { desiredTuples } from '../desired/fermat-tuples.ts';
import { FERMAT_LABEL, parentLabel } from '../desired/labels.ts';

/**
 * A Fermat's status from what the cache shows of its Tuples. A Tuple counts as reported when it
 * carries the desired pair, has observed its current generation and is Ready (all its Numbers
 * reported) — only then does its `allSquares` mean anything. The witness is the all-squares
 * split with the smallest i, written `a^2 + b^2` with exact integer roots, shown once every
 * smaller split has reported (so it is never replaced by a smaller one later: one status write,
 * not one per candidate). Nothing here changes as each Tuple reports unless an answer does: the
 * pending message names the count and the label to list them by, not the pending names.
 */
export function fermatStatus(
  fermat: FermatObject,
  owned: Iterable<TupleObject>,
  now = new Date(),
  invalid: readonly InvalidChild[] = [],
): FermatStatus {
  const byName = new Map<string | undefined, TupleObject>();
  for (const t of owned) byName.set(t.metadata.name, t);
  const desired = desiredTuples(fermat);
  let pending = 0;
  let anyAllSquares = false;
  let witness: string | undefined;
  for (const d of desired) {
    const child = byName.get(d.name);
    const numbers = child?.spec?.numbers;
    const samePair = numbers?.length === 2 && numbers[0] === d.numbers[0] && numbers[1] === d.numbers[1];
    if (!child || !samePair || !hasObservedCurrentSpec(child) || !isTrue(child.status?.conditions, 'Ready')) {
      pending++;
      continue;
    }
    if (child.status?.allSquares !== true) continue;
    anyAllSquares = true;
    // Final answers only: with a smaller split still pending, this one may not stay the first.
    if (witness === undefined && pending === 0)
      witness = `${integerSqrt(d.numbers[0])}^2 + ${integerSqrt(d.numbers[1])}^2`;
  }
  const generation = fermat.metadata.generation;
  return {
    twoSquaresFound: anyAllSquares,
    ...(witness !== undefined ? { witness } : {}),
    prime: isPrime(fermat.spec?.number ?? 0),
    ...(generation !== undefined ? { observedGeneration: generation } : {}),
    conditions: setCondition(
      fermat.status?.conditions,
      childrenReadyCondition({
        desired: desired.length,
        pending,
        childPlural: 'Tuples',
        invalid,
        selector: parentLabel(FERMAT_LABEL, fermat.metadata.name ?? ''),
        ...(generation !== undefined ? { observedGeneration: generation } : {}),
      }),
      now,
    ),
  };
}
