import {
  ChildTally,
  childrenReadyCondition,
  hasObservedCurrentSpec,
  type InvalidChild,
  isTrue,
  setCondition,
} from '@kubeloop/reconcile';
import type { FermatObject, FermatStatus } from '../api/v1beta1/fermat.ts';
import type { TupleObject } from '../api/v1beta1/tuple.ts';
import { integerSqrt, isPrime } from '../arithmetic/arithmetic.ts';
import { desiredTuples, type DesiredTuple } from '../desired/fermat-tuples.ts';
import { FERMAT_LABEL, parentLabel } from '../desired/labels.ts';

/** What a Fermat needs of each Tuple: not reported yet, reported, or reported all squares. */
export type TupleReport = 'pending' | 'reported' | 'squares';

/**
 * A Tuple counts as reported when it carries the desired pair, has observed its current
 * generation and is Ready (all its Numbers reported) — only then does its `allSquares` mean
 * anything.
 */
export function tupleReport(child: TupleObject | undefined, d: DesiredTuple): TupleReport {
  const numbers = child?.spec?.numbers;
  const samePair = numbers?.length === 2 && numbers[0] === d.numbers[0] && numbers[1] === d.numbers[1];
  if (!child || !samePair || !hasObservedCurrentSpec(child) || !isTrue(child.status?.conditions, 'Ready'))
    return 'pending';
  return child.status?.allSquares === true ? 'squares' : 'reported';
}

/**
 * A Fermat's status from the cache's Tuples (a walk of all of them: for tests and the bench's
 * floor; the controller keeps the tally between reconciles, see fermatStatusOf).
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
  const tally = new ChildTally<TupleReport>(desired.length);
  desired.forEach((d, i) => tally.set(i, tupleReport(byName.get(d.name), d)));
  return fermatStatusOf(fermat, desired, tally, now, invalid);
}

/**
 * A Fermat's status from its Tuples' reports (`tally`, by desired position): constant work,
 * whatever the number of Tuples. The witness is the all-squares split with the smallest i,
 * written `a^2 + b^2` with exact integer roots, shown once every smaller split has reported
 * (so it is never replaced by a smaller one later: one status write, not one per candidate).
 * Nothing here changes as each Tuple reports unless an answer does: the pending message names
 * the count and the label to list them by, not the pending names.
 */
export function fermatStatusOf(
  fermat: FermatObject,
  desired: readonly DesiredTuple[],
  tally: ChildTally,
  now = new Date(),
  invalid: readonly InvalidChild[] = [],
): FermatStatus {
  const reported = (word: TupleReport) => tally.count(word);
  const pending = desired.length - reported('reported') - reported('squares');
  const firstSquares = tally.firstIndex('squares');
  const firstPending = tally.firstIndex('pending');
  // Final answers only: with a smaller split still pending, this one may not stay the first.
  const w =
    firstSquares !== undefined && (firstPending === undefined || firstSquares < firstPending)
      ? desired[firstSquares]!.numbers
      : undefined;
  const generation = fermat.metadata.generation;
  return {
    twoSquaresFound: reported('squares') > 0,
    ...(w !== undefined ? { witness: `${integerSqrt(w[0])}^2 + ${integerSqrt(w[1])}^2` } : {}),
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
