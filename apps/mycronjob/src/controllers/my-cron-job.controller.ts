import { applyJobTemplate, syncOwnedChildren } from '@kubeloop/reconcile';
import {
  controllerFor,
  done,
  Job,
  requeueAfter,
  type JobTemplateSpec,
  type ReconcileContext,
  type Request,
  type Result,
} from '@kubeloop/runtime';
import { MyCronJob } from '../api/v1/my-cron-job.ts';

/** How often a MyCronJob gets a new Job. */
export const PERIOD_MS = 5_000;

/** Where the controller reads the time; tests pass their own. */
export interface Clock {
  now(): number;
}

/**
 * Seed 001's reconcile: create the Job `<name>-<unix seconds of now>` from the template, owned by
 * the MyCronJob, and look again in 5 s. The name is the whole second, so a second reconcile in
 * the same second finds its Job and makes none (the source ignored the AlreadyExists); nothing is
 * ever cleaned up (prune: false), as in the source. Any event on the MyCronJob reconciles at
 * once, so edits can add Jobs between the 5 s ticks, also as in the source.
 */
export function reconcileMyCronJob(clock: Clock = { now: () => Date.now() }) {
  return async (req: Request, ctx: ReconcileContext): Promise<Result> => {
    const obj = ctx.cache.reader(MyCronJob).get(req.namespace, req.name);
    if (!obj || obj.metadata.deletionTimestamp) return done();
    const name = `${obj.metadata.name}-${Math.floor(clock.now() / 1000)}`;
    await syncOwnedChildren(ctx, obj, Job, [{ name }], {
      prune: false,
      matches: () => true,
      apply: (job) => applyJobTemplate(job, obj.spec.jobTemplate as JobTemplateSpec),
    });
    return requeueAfter(PERIOD_MS);
  };
}

export const myCronJobController = controllerFor(MyCronJob).owns(Job).named('mycronjob').complete(reconcileMyCronJob());
