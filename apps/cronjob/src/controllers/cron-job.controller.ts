import { reportStatus, setCondition } from '@kubeloop/reconcile';
import { controllerFor, done, type ReconcileContext, type Request, type Result } from '@kubeloop/runtime';
import { CronJob } from '../api/v1/cron-job.ts';

/**
 * Makes the world match a CronJob's spec, then reports it. Level-based: it is never told why
 * it runs, so it reads the object and acts on what is, not on what changed.
 *
 * TODO(user): create or update what the CronJob describes (children with a controller
 * reference — syncOwnedChildren or createOrUpdate from @kubeloop/reconcile — declared with
 * `.owns(Kind)` below so their changes wake this controller), and compute Ready from them.
 */
export async function reconcileCronJob(req: Request, ctx: ReconcileContext): Promise<Result> {
  const cronJob = ctx.cache.reader(CronJob).get(req.namespace, req.name);
  if (!cronJob || cronJob.metadata.deletionTimestamp) return done();
  await reportStatus(ctx, CronJob, cronJob, (current) => ({
    ...current.status,
    observedGeneration: current.metadata.generation,
    conditions: setCondition(current.status?.conditions, {
      type: 'Ready',
      status: 'True',
      reason: 'Reconciled',
      message: 'the CronJob is reconciled',
      observedGeneration: current.metadata.generation,
    }),
  }));
  return done();
}

export const cronJobController = controllerFor(CronJob).named('cronjob').complete(reconcileCronJob);
