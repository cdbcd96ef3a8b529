import { reportStatus, resultOf, syncOwnedChildren, type SyncChildrenOptions } from '@kubeloop/reconcile';
import { controllerFor, done, type ReconcileContext, type Request, type Result } from '@kubeloop/runtime';
import { Fermat } from '../api/v1beta1/fermat.ts';
import { Tuple, type TupleObject } from '../api/v1beta1/tuple.ts';
import { desiredTuples, type DesiredTuple } from '../desired/fermat-tuples.ts';
import { fermatStatus } from '../status/fermat-status.ts';
import { childReportChanged } from './child-report.predicate.ts';

/** A Tuple child carries the split `[i, n−i]` as spec.numbers. */
const tupleChildren: SyncChildrenOptions<TupleObject, DesiredTuple> = {
  apply: (t, d) => {
    t.spec = { ...t.spec, numbers: [...d.numbers] };
  },
  matches: (t, d) =>
    t.spec?.numbers?.length === 2 && t.spec.numbers[0] === d.numbers[0] && t.spec.numbers[1] === d.numbers[1],
};

/**
 * Keeps one Tuple `[i, n−i]` per split of spec.number, and reports from the cache whether one of
 * them is all squares. Each Tuple's own controller makes its Numbers; a Tuple's status change
 * re-queues this Fermat through `owns(Tuple)`, so status flows upward by watches alone.
 */
export async function reconcileFermat(req: Request, ctx: ReconcileContext): Promise<Result> {
  const fermat = ctx.cache.reader(Fermat).get(req.namespace, req.name);
  if (!fermat || fermat.metadata.deletionTimestamp) return done();

  const tuples = await syncOwnedChildren(ctx, fermat, Tuple, desiredTuples(fermat), tupleChildren);
  await reportStatus(ctx, Fermat, fermat, (current) =>
    fermatStatus(current, tuples.children.values(), new Date(), tuples.invalid),
  );
  return resultOf(tuples);
}

export const fermatController = controllerFor(Fermat)
  .owns(Tuple, { predicates: [childReportChanged()] })
  .named('fermat')
  .withConcurrency(2)
  .complete(reconcileFermat);
