import { reportStatus, setCondition } from '@kubeloop/reconcile';
import { controllerFor, done, type ReconcileContext, type Request, type Result } from '@kubeloop/runtime';
import { MyCronJob } from '../api/v1/my-cron-job.ts';

/**
 * Makes the world match a MyCronJob's spec, then reports it. Level-based: it is never told why
 * it runs, so it reads the object and acts on what is, not on what changed.
 *
 * TODO(user): create or update what the MyCronJob describes (children with a controller
 * reference — syncOwnedChildren or createOrUpdate from @kubeloop/reconcile — declared with
 * `.owns(Kind)` below so their changes wake this controller), and compute Ready from them.
 */
export async function reconcileMyCronJob(req: Request, ctx: ReconcileContext): Promise<Result> {
  const myCronJob = ctx.cache.reader(MyCronJob).get(req.namespace, req.name);
  if (!myCronJob || myCronJob.metadata.deletionTimestamp) return done();
  await reportStatus(ctx, MyCronJob, myCronJob, (current) => ({
    ...current.status,
    observedGeneration: current.metadata.generation,
    conditions: setCondition(current.status?.conditions, {
      type: 'Ready',
      status: 'True',
      reason: 'Reconciled',
      message: 'the MyCronJob is reconciled',
      observedGeneration: current.metadata.generation,
    }),
  }));
  return done();
}

export const myCronJobController = controllerFor(MyCronJob).named('mycronjob').complete(reconcileMyCronJob);
