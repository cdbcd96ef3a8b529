import { setCondition } from '@kubeloop/reconcile';
import type { NumberObject } from '../api/v1beta1/number.ts';
import type { TupleObject, TupleStatus } from '../api/v1beta1/tuple.ts';
import { desiredNumbers } from '../desired/tuple-numbers.ts';
import { parentLabel, TUPLE_LABEL } from '../desired/labels.ts';
import { hasObservedCurrentSpec, pendingMessage } from './children-report.ts';

/**
 * A Tuple's status from what the cache shows of its Numbers (`owned`: the Numbers it controls).
 * A desired Number counts as reported when it exists, carries the desired value, and its status
 * was computed from its current generation. `allSquares` is true only when every desired Number
 * has reported and is a square (vacuously true for an empty tuple); until all have reported,
 * Ready is False with reason ChildrenPending and a message that does not change as Numbers
 * report, so a Tuple's status is written twice on the way to Ready (pending, then ready) rather
 * than once per Number.
 */
export function tupleStatus(tuple: TupleObject, owned: readonly NumberObject[], now = new Date()): TupleStatus {
  const byName = new Map(owned.map((n) => [n.metadata.name, n]));
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
  const og = generation !== undefined ? { observedGeneration: generation } : {};
  const ready = pending === 0;
  return {
    count: desired.length,
    allSquares: ready && allSquares,
    ...og,
    conditions: setCondition(
      tuple.status?.conditions,
      ready
        ? {
            type: 'Ready',
            status: 'True',
            reason: 'ChildrenReady',
            message: `all ${desired.length} Numbers reported`,
            ...og,
          }
        : {
            type: 'Ready',
            status: 'False',
            reason: 'ChildrenPending',
            message: pendingMessage(desired.length, 'Numbers', parentLabel(TUPLE_LABEL, tuple.metadata.name ?? '')),
            ...og,
          },
      now,
    ),
  };
}
