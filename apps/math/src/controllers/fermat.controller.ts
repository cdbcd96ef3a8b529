import {
  AlreadyOwnedError,
  createOrUpdate,
  deleteUndesired,
  ownedChildren,
  setControllerReference,
  withLatestStatus,
} from '@kubeloop/reconcile';
import { controllerFor, done, requeueAfter, type ReconcileContext, type Request, type Result } from '@kubeloop/runtime';
import { Fermat } from '../api/v1beta1/fermat.ts';
import { Tuple } from '../api/v1beta1/tuple.ts';
import { desiredTuples } from '../desired/fermat-tuples.ts';
import { upToDate } from '../desired/up-to-date.ts';
import { fermatStatus } from '../status/fermat-status.ts';
import { childReportChanged } from './child-report.predicate.ts';
import { ChildWrites, forEachLimit, reportStatus } from './report.ts';

const CONFLICT_RETRY_MS = 30_000;

/**
 * Keeps one Tuple `[i, n−i]` per split of spec.number, and reports from the cache whether one of
 * them is all squares. Each Tuple's own controller makes its Numbers; a Tuple's status change
 * re-queues this Fermat through `owns(Tuple)`, so status flows upward by watches alone.
 */
export async function reconcileFermat(req: Request, ctx: ReconcileContext): Promise<Result> {
  const fermat = ctx.cache.reader(Fermat).get(req.namespace, req.name);
  if (!fermat || fermat.metadata.deletionTimestamp) return done();

  const desired = desiredTuples(fermat);
  const cached = ctx.cache.reader(Tuple);
  const stale = desired.filter((d) => {
    const t = cached.get(req.namespace, d.name);
    return !upToDate(
      t,
      fermat,
      d.labels,
      () =>
        t!.spec?.numbers?.length === 2 && t!.spec.numbers[0] === d.numbers[0] && t!.spec.numbers[1] === d.numbers[1],
    );
  });
  let conflicts = 0;
  const writes = new ChildWrites(fermat, 'Tuple');
  try {
    await forEachLimit(stale, 8, async (d) => {
      try {
        const { result } = await createOrUpdate(ctx, Tuple, { namespace: req.namespace, name: d.name }, (t) => {
          setControllerReference(fermat, t);
          t.metadata.labels = { ...t.metadata.labels, ...d.labels };
          t.spec = { ...t.spec, numbers: [...d.numbers] };
        });
        writes.add(d.name, result);
      } catch (err) {
        if (!(err instanceof AlreadyOwnedError)) throw err;
        conflicts++;
        ctx.events.warning(fermat, 'ChildConflict', err.message);
      }
    });

    const deleted = await deleteUndesired(ctx, Tuple, fermat, new Set(desired.map((d) => d.name)));
    for (const t of deleted) writes.add(t.metadata.name!, 'deleted');
  } finally {
    writes.record(ctx);
  }
  // From the status last written, if the cache has not shown it yet (see withLatestStatus).
  const current = withLatestStatus(ctx, Fermat, fermat);
  await reportStatus(ctx, Fermat, current, fermatStatus(current, ownedChildren(ctx, Tuple, fermat)));
  return conflicts > 0 ? requeueAfter(CONFLICT_RETRY_MS) : done();
}

export const fermatController = controllerFor(Fermat)
  .owns(Tuple, { predicates: [childReportChanged()] })
  .named('fermat')
  .withConcurrency(2)
  .complete(reconcileFermat);
