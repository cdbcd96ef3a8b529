import { applyJobTemplate, syncOwnedChildren } from '@kubeloop/reconcile';
import {
  controllerFor,
  done,
  Job,
  realClock,
  requeueAfter,
  type Clock,
  type JobTemplateSpec,
  type Predicate,
  type ReconcileContext,
  type Request,
  type Result,
} from '@kubeloop/runtime';
import { MyCronJob } from '../api/v1/my-cron-job.ts';

/** How often a MyCronJob gets a new Job. */
export const PERIOD_MS = 5_000;

export interface MyCronJobControllerOptions {
  /** Where the Job names' seconds come from (default: the wall clock); tests pass their own. */
  clock?: Pick<Clock, 'now'>;
}

/**
 * Seed 001's reconcile: create the Job `<name>-<unix seconds of now>` from the template, owned by
 * the MyCronJob, and look again in 5 s. The name is the whole second, so a second reconcile in
 * the same second finds its Job and makes none (the source ignored the AlreadyExists); nothing is
 * ever cleaned up (prune: false), as in the source. Any event on the MyCronJob reconciles at
 * once, so edits can add Jobs between the 5 s ticks, also as in the source.
 */
export function reconcileMyCronJob(options: MyCronJobControllerOptions = {}) {
  const clock = options.clock ?? realClock;
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

const IGNORE_JOB_EVENTS: Predicate<Job> = { create: () => false, update: () => false, delete: () => false };

export function newMyCronJobController(options: MyCronJobControllerOptions = {}) {
  // The Jobs are read from the cache (and their RBAC derived), but their events wake nothing:
  // the source watches only MyCronJob, so a Job's creation or completion adds no Job.
  return controllerFor(MyCronJob)
    .owns(Job, { predicates: [IGNORE_JOB_EVENTS] })
    .named('mycronjob')
    .complete(reconcileMyCronJob(options));
}

export const myCronJobController = newMyCronJobController();
