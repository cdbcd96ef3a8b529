import { isTrue, setCondition } from '@kubeloop/reconcile';
import type { FermatObject, FermatStatus } from '../api/v1beta1/fermat.ts';
import type { TupleObject } from '../api/v1beta1/tuple.ts';
import { integerSqrt, isPrime } from '../arithmetic/arithmetic.ts';
import { desiredTuples } from '../desired/fermat-tuples.ts';
import { hasObservedCurrentSpec, nameList } from './children-report.ts';

/**
 * A Fermat's status from what the cache shows of its Tuples. A Tuple counts as reported when it
 * carries the desired pair, has observed its current generation and is Ready (all its Numbers
 * reported) — only then does its `allSquares` mean anything. The witness is the reported
 * all-squares split with the smallest i, written `a^2 + b^2` with exact integer roots.
 */
export function fermatStatus(fermat: FermatObject, owned: readonly TupleObject[], now = new Date()): FermatStatus {
  const byName = new Map(owned.map((t) => [t.metadata.name, t]));
  const desired = desiredTuples(fermat);
  const pending: string[] = [];
  let witness: string | undefined;
  for (const d of desired) {
    const child = byName.get(d.name);
    const numbers = child?.spec?.numbers;
    const samePair = numbers?.length === 2 && numbers[0] === d.numbers[0] && numbers[1] === d.numbers[1];
    if (!child || !samePair || !hasObservedCurrentSpec(child) || !isTrue(child.status?.conditions, 'Ready')) {
      pending.push(d.name);
      continue;
    }
    if (witness === undefined && child.status?.allSquares === true) {
      witness = `${integerSqrt(d.numbers[0])}^2 + ${integerSqrt(d.numbers[1])}^2`;
    }
  }
  const generation = fermat.metadata.generation;
  const og = generation !== undefined ? { observedGeneration: generation } : {};
  const ready = pending.length === 0;
  return {
    twoSquaresFound: witness !== undefined,
    ...(witness !== undefined ? { witness } : {}),
    prime: isPrime(fermat.spec?.number ?? 0),
    ...og,
    conditions: setCondition(
      fermat.status?.conditions,
      ready
        ? { type: 'Ready', status: 'True', reason: 'ChildrenReady', message: `all ${desired.length} Tuples reported`, ...og }
        : {
            type: 'Ready',
            status: 'False',
            reason: 'ChildrenPending',
            message: `${pending.length} of ${desired.length} Tuples pending: ${nameList(pending)}`,
            ...og,
          },
      now,
    ),
  };
}
