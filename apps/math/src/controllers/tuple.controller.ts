import {
  AlreadyOwnedError,
  createOrUpdate,
  deleteUndesired,
  ownedChildren,
  setControllerReference,
  withLatestStatus,
} from '@kubeloop/reconcile';
import { controllerFor, done, requeueAfter, type ReconcileContext, type Request, type Result } from '@kubeloop/runtime';
import { Number as NumberKind } from '../api/v1beta1/number.ts';
import { Tuple } from '../api/v1beta1/tuple.ts';
import { desiredNumbers } from '../desired/tuple-numbers.ts';
import { upToDate } from '../desired/up-to-date.ts';
import { tupleStatus } from '../status/tuple-status.ts';
import { ChildWrites, forEachLimit, reportStatus } from './report.ts';

/** While a child name is held by another owner, look again this often (its release sends us no event). */
const CONFLICT_RETRY_MS = 30_000;

/**
 * Keeps one Number `<tuple>-<i>` per item of spec.numbers, deletes the Numbers it controls that
 * are no longer wanted, and reports from the cache whether all of them are squares. A Number
 * deleted or edited by hand comes back because its change re-queues this Tuple (`owns`).
 */
export async function reconcileTuple(req: Request, ctx: ReconcileContext): Promise<Result> {
  const tuple = ctx.cache.reader(Tuple).get(req.namespace, req.name);
  // Being deleted: the garbage collector removes the Numbers through their ownerReferences.
  if (!tuple || tuple.metadata.deletionTimestamp) return done();

  const desired = desiredNumbers(tuple);
  const cached = ctx.cache.reader(NumberKind);
  const stale = desired.filter((d) => {
    const n = cached.get(req.namespace, d.name);
    return !upToDate(n, tuple, d.labels, () => n!.spec?.value === d.value);
  });
  let conflicts = 0;
  const writes = new ChildWrites(tuple, 'Number');
  try {
    await forEachLimit(stale, 8, async (d) => {
      try {
        const { result } = await createOrUpdate(ctx, NumberKind, { namespace: req.namespace, name: d.name }, (n) => {
          setControllerReference(tuple, n);
          n.metadata.labels = { ...n.metadata.labels, ...d.labels };
          n.spec = { ...n.spec, value: d.value };
        });
        writes.add(d.name, result);
      } catch (err) {
        if (!(err instanceof AlreadyOwnedError)) throw err;
        conflicts++;
        ctx.events.warning(tuple, 'ChildConflict', err.message);
      }
    });

    const deleted = await deleteUndesired(ctx, NumberKind, tuple, new Set(desired.map((d) => d.name)));
    for (const n of deleted) writes.add(n.metadata.name!, 'deleted');
  } finally {
    writes.record(ctx);
  }
  // From the status last written, if the cache has not shown it yet (see withLatestStatus).
  const current = withLatestStatus(ctx, Tuple, tuple);
  await reportStatus(ctx, Tuple, current, tupleStatus(current, ownedChildren(ctx, NumberKind, tuple)));
  return conflicts > 0 ? requeueAfter(CONFLICT_RETRY_MS) : done();
}

export const tupleController = controllerFor(Tuple)
  .owns(NumberKind)
  .named('tuple')
  .withConcurrency(4)
  .complete(reconcileTuple);
