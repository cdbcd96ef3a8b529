import {
  applyJobTemplate,
  ownedChildren,
  reportStatus,
  setCondition,
  syncOwnedChildren,
  type Condition,
} from '@kubeloop/reconcile';
import {
  controllerFor,
  done,
  Job,
  realClock,
  requeueAfter,
  type JobTemplateSpec,
  type ReconcileContext,
  type Request,
  type Result,
} from '@kubeloop/runtime';
import { CronJob, type CronJobObject, type CronJobStatus } from '../api/v1/cron-job.ts';
import { planRun, type Clock, type RunPlan } from './cron-job-schedule.ts';
import {
  classifyJobs,
  jobsBeyondHistory,
  lastScheduleTime,
  SCHEDULED_AT,
  type ClassifiedJobs,
} from './cron-job-jobs.ts';

export { SCHEDULED_AT };

export interface CronJobControllerOptions {
  /** Where the time comes from (default: the wall clock); tests pass their own. */
  clock?: Clock;
}

function rfc3339(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/**
 * The kubebuilder book's CronJob reconcile, level-based:
 *
 * 1. the child Jobs, through the owner-UID index (the book's `.metadata.controller` index),
 *    classified by their Complete / Failed conditions;
 * 2. the finished Jobs beyond the history limits, oldest `startTime` first (no startTime = oldest);
 * 3. unless suspended, the most recent missed run since `lastScheduleTime` (or creation), bounded
 *    by `startingDeadlineSeconds` (more than 100 missed runs is an error that says to set or
 *    lower it), and the next run;
 * 4. the Job for the missed run — named `<cronjob>-<unix seconds of the run>`, so one scheduled
 *    instant can never get two Jobs, with the `scheduled-at` annotation and a controller
 *    reference — unless the deadline passed or `Forbid` finds one running; `Replace` deletes the
 *    running ones;
 * 5. status: the running Jobs, the last schedule time, conditions Available / Progressing /
 *    Degraded with the book's reasons; then a requeue at the next run.
 *
 * Steps 2 and 4 are one syncOwnedChildren call: the desired Jobs are the ones kept plus the new
 * one; the ones left out (history, Replace) are deleted, with a UID precondition, and announced
 * in one event per kind of write.
 */
export function reconcileCronJob(options: CronJobControllerOptions = {}) {
  const clock = options.clock ?? realClock;
  return async (req: Request, ctx: ReconcileContext): Promise<Result> => {
    const cronJob = ctx.cache.reader(CronJob).get(req.namespace, req.name);
    if (!cronJob || cronJob.metadata.deletionTimestamp) return done();
    const now = clock.now();

    const jobs = classifyJobs(ownedChildren(ctx, Job, cronJob));
    const spec = cronJob.spec;
    const drop = new Set(
      [
        ...jobsBeyondHistory(jobs.failed, spec.failedJobsHistoryLimit),
        ...jobsBeyondHistory(jobs.successful, spec.successfulJobsHistoryLimit),
      ].map((j) => j.metadata.name!),
    );

    const plan: RunPlan = spec.suspend
      ? { kind: 'suspended' }
      : planRun(cronJob, lastScheduleTime(jobs.all), now, jobs.active.length);
    const created = plan.kind === 'run' ? `${cronJob.metadata.name}-${Math.floor(plan.at / 1000)}` : undefined;
    if (plan.kind === 'run' && spec.concurrencyPolicy === 'Replace')
      for (const j of jobs.active) drop.add(j.metadata.name!);

    const desired = jobs.all.filter((j) => !drop.has(j.metadata.name!)).map((j) => ({ name: j.metadata.name! }));
    if (created && !desired.some((d) => d.name === created)) desired.push({ name: created });

    let creationError: string | undefined;
    let children = new Map(jobs.all.map((j) => [j.metadata.name!, j]));
    try {
      const sync = await syncOwnedChildren(ctx, cronJob, Job, desired, {
        // Jobs are never updated (applyJobTemplate leaves existing ones alone).
        matches: () => true,
        apply: (job) => {
          if (job.metadata.name === created && plan.kind === 'run')
            applyJobTemplate(job, spec.jobTemplate as JobTemplateSpec, { [SCHEDULED_AT]: rfc3339(plan.at) });
        },
      });
      children = sync.children;
    } catch (e) {
      if (!created) throw e;
      creationError = (e as Error).message;
    }

    await reportStatus(ctx, CronJob, cronJob, (current) =>
      statusOf(current, classifyJobs([...children.values()]), plan, created, creationError, now),
    );
    if (creationError) throw new Error(`Failed to create job ${created}: ${creationError}`);
    if (plan.kind === 'suspended' || plan.kind === 'error') return done();
    return requeueAfter(Math.max(0, plan.next - now));
  };
}

function statusOf(
  cronJob: CronJobObject,
  jobs: ClassifiedJobs,
  plan: RunPlan,
  created: string | undefined,
  creationError: string | undefined,
  now: number,
): CronJobStatus {
  const generation = cronJob.metadata.generation;
  let conditions: Condition[] | undefined = cronJob.status?.conditions;
  const set = (type: string, status: 'True' | 'False', reason: string, message: string) => {
    conditions = setCondition(
      conditions,
      { type, status, reason, message, observedGeneration: generation },
      new Date(now),
    );
  };
  const failed = jobs.failed.length;
  const active = jobs.active.length;
  if (plan.kind === 'suspended') set('Available', 'False', 'Suspended', 'CronJob is suspended');
  else if (failed > 0) {
    set('Degraded', 'True', 'JobsFailed', `${failed} job(s) have failed`);
    set('Available', 'False', 'JobsFailed', `${failed} job(s) have failed`);
  } else if (active > 0) {
    set('Progressing', 'True', 'JobsActive', `${active} job(s) are currently active`);
    set('Available', 'True', 'JobsActive', `CronJob is progressing with ${active} active job(s)`);
  } else {
    set('Available', 'True', 'AllJobsCompleted', 'All jobs have completed successfully');
    set('Progressing', 'False', 'NoJobsActive', 'No jobs are currently active');
  }
  if (plan.kind === 'error') set('Degraded', 'True', 'InvalidSchedule', `Failed to parse schedule: ${plan.message}`);
  if (plan.kind === 'missedDeadline')
    set('Degraded', 'True', 'MissedSchedule', `Missed starting deadline for run at ${rfc3339(plan.at)}`);
  if (creationError) set('Degraded', 'True', 'JobCreationFailed', `Failed to create job: ${creationError}`);
  else if (created && jobs.all.some((j) => j.metadata.name === created))
    set('Progressing', 'True', 'JobCreated', `Created job ${created}`);

  const last = lastScheduleTime(jobs.all);
  return {
    ...(jobs.active.length
      ? {
          active: jobs.active.map((j) => ({
            apiVersion: 'batch/v1',
            kind: 'Job',
            namespace: j.metadata.namespace!,
            name: j.metadata.name!,
            uid: j.metadata.uid!,
            resourceVersion: j.metadata.resourceVersion!,
          })),
        }
      : {}),
    ...(last !== undefined ? { lastScheduleTime: rfc3339(last) } : {}),
    ...(conditions ? { conditions } : {}),
  };
}

/** The CronJob controller; it owns Jobs (a Job's change wakes its CronJob). */
export function newCronJobController(options: CronJobControllerOptions = {}) {
  return controllerFor(CronJob).owns(Job).named('cronjob').complete(reconcileCronJob(options));
}

export const cronJobController = newCronJobController();
