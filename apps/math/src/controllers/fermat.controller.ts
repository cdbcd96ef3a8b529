import {
  desiredPerGeneration,
  FIRST_PENDING_HOLD_MS,
  reportStatus,
  resultOf,
  syncOwnedChildren,
  type SyncChildrenOptions,
} from '@kubeloop/reconcile';
import { controllerFor, done, requeueAfter, type ReconcileContext, type Request, type Result } from '@kubeloop/runtime';
import { Fermat } from '../api/v1beta1/fermat.ts';
import { Tuple, type TupleObject } from '../api/v1beta1/tuple.ts';
import { desiredTuples, type DesiredTuple } from '../desired/fermat-tuples.ts';
import { fermatStatusOf, tupleReport } from '../status/fermat-status.ts';
import { childReportChanged } from './child-report.predicate.ts';

/** A Tuple child carries the split `[i, n−i]` as spec.numbers. */
const tupleChildren: SyncChildrenOptions<TupleObject, DesiredTuple> = {
  apply: (t, d) => {
    t.spec = { ...t.spec, numbers: [...d.numbers] };
  },
  matches: (t, d) =>
    t.spec?.numbers?.length === 2 && t.spec.numbers[0] === d.numbers[0] && t.spec.numbers[1] === d.numbers[1],
  summarize: tupleReport,
};

/**
 * Keeps one Tuple `[i, n−i]` per split of spec.number, and reports from the cache whether one of
 * them is all squares. Each Tuple's own controller makes its Numbers; a Tuple's status change
 * re-queues this Fermat through `owns(Tuple)`, so status flows upward by watches alone. The
 * desired list is the same array while the spec stays the same (desiredPerGeneration), so the
 * sync looks only at the Tuples that changed and the status is computed from their tally: a
 * Tuple's report costs one Tuple's work, not a walk of all ⌊n/2⌋.
 */
export async function reconcileFermat(req: Request, ctx: ReconcileContext): Promise<Result> {
  const fermat = ctx.cache.reader(Fermat).get(req.namespace, req.name);
  if (!fermat || fermat.metadata.deletionTimestamp) return done();

  const desired = desiredPerGeneration(fermat, desiredTuples);
  const tuples = await syncOwnedChildren(ctx, fermat, Tuple, desired, tupleChildren);
  const { retryAfterMs } = await reportStatus(
    ctx,
    Fermat,
    fermat,
    (current) => fermatStatusOf(current, desired, tuples.tally, new Date(), tuples.invalid),
    { holdFirstPendingMs: FIRST_PENDING_HOLD_MS, children: { kind: Tuple, objects: tuples.children.values() } },
  );
  return retryAfterMs !== undefined ? requeueAfter(retryAfterMs) : resultOf(tuples);
}

export const fermatController = controllerFor(Fermat)
  .owns(Tuple, { predicates: [childReportChanged()] })
  .named('fermat')
  .withConcurrency(2)
  .complete(reconcileFermat);
