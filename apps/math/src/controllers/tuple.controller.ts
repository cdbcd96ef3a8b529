import {
  FIRST_PENDING_HOLD_MS,
  reportStatus,
  resultOf,
  syncOwnedChildren,
  type SyncChildrenOptions,
} from '@kubeloop/reconcile';
import { controllerFor, done, requeueAfter, type ReconcileContext, type Request, type Result } from '@kubeloop/runtime';
import { NumberKind, type NumberObject } from '../api/v1beta1/number.ts';
import { Tuple } from '../api/v1beta1/tuple.ts';
import { desiredNumbers, type DesiredNumber } from '../desired/tuple-numbers.ts';
import { tupleStatus } from '../status/tuple-status.ts';

/** A Number child carries the Tuple's item as spec.value. */
const numberChildren: SyncChildrenOptions<NumberObject, DesiredNumber> = {
  apply: (n, d) => {
    n.spec = { ...n.spec, value: d.value };
  },
  matches: (n, d) => n.spec?.value === d.value,
};

/**
 * Keeps one Number `<tuple>-<i>` per item of spec.numbers, deletes the Numbers it controls that
 * are no longer wanted, and reports from the cache whether all of them are squares. A Number
 * deleted or edited by hand comes back because its change re-queues this Tuple (`owns`).
 */
export async function reconcileTuple(req: Request, ctx: ReconcileContext): Promise<Result> {
  const tuple = ctx.cache.reader(Tuple).get(req.namespace, req.name);
  // Being deleted: the garbage collector removes the Numbers through their ownerReferences.
  if (!tuple || tuple.metadata.deletionTimestamp) return done();

  const numbers = await syncOwnedChildren(ctx, tuple, NumberKind, desiredNumbers(tuple), numberChildren);
  // A Tuple whose Numbers all report while they keep making their way is written once, Ready (apis.md).
  const { retryAfterMs } = await reportStatus(
    ctx,
    Tuple,
    tuple,
    (current) => tupleStatus(current, numbers.children.values(), new Date(), numbers.invalid),
    { holdFirstPendingMs: FIRST_PENDING_HOLD_MS, children: { kind: NumberKind, objects: numbers.children.values() } },
  );
  return retryAfterMs !== undefined ? requeueAfter(retryAfterMs) : resultOf(numbers);
}

export const tupleController = controllerFor(Tuple)
  .owns(NumberKind)
  .named('tuple')
  .withConcurrency(4)
  .complete(reconcileTuple);
