import { childrenReadyCondition, hasObservedCurrentSpec, type InvalidChild, setCondition } from '@kubeloop/reconcile';
import type { NumberObject } from '../api/v1beta1/number.ts';
import type { TupleObject, TupleStatus } from '../api/v1beta1/tuple.ts';
import { desiredNumbers } from '../desired/tuple-numbers.ts';
import { parentLabel, TUPLE_LABEL } from '../desired/labels.ts';

/**
 * A Tuple's status from what the cache shows of its Numbers (`owned`: the Numbers it controls).
 * A desired Number counts as reported when it exists, carries the desired value, and its status
 * was computed from its current generation. `allSquares` is true only when every desired Number
 * has reported and is a square (vacuously true for an empty tuple); until all have reported,
 * Ready is False with reason ChildrenPending and a message that does not change as Numbers
 * report, so a Tuple's status is written twice on the way to Ready (pending, then ready) rather
 * than once per Number. `invalid`: Numbers the API server refuses (a name over 253 characters):
 * Ready is False with the server's reason until the spec changes.
 */
export function tupleStatus(
  tuple: TupleObject,
  owned: Iterable<NumberObject>,
  now = new Date(),
  invalid: readonly InvalidChild[] = [],
): TupleStatus {
  const byName = new Map<string | undefined, NumberObject>();
  for (const n of owned) byName.set(n.metadata.name, n);
  const desired = desiredNumbers(tuple);
  let pending = 0;
  let allSquares = true;
  for (const d of desired) {
    const child = byName.get(d.name);
    if (
      !child ||
      child.spec?.value !== d.value ||
      !hasObservedCurrentSpec(child) ||
      child.status?.isSquare === undefined
    ) {
      pending++;
      continue;
    }
    if (!child.status.isSquare) allSquares = false;
  }
  const generation = tuple.metadata.generation;
  return {
    count: desired.length,
    allSquares: pending === 0 && allSquares,
    ...(generation !== undefined ? { observedGeneration: generation } : {}),
    conditions: setCondition(
      tuple.status?.conditions,
      childrenReadyCondition({
        desired: desired.length,
        pending,
        childPlural: 'Numbers',
        invalid,
        selector: parentLabel(TUPLE_LABEL, tuple.metadata.name ?? ''),
        ...(generation !== undefined ? { observedGeneration: generation } : {}),
      }),
      now,
    ),
  };
}
