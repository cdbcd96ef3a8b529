/**
 * A SIMULATION of kube-controller-manager's Job controller (JOB-4). local-apiserver runs no
 * kubelet and no Pods, so without it a Job would never start or finish. It writes what the real
 * controller writes through /status:
 *
 * - a new Job starts at once: `startTime`, `active: 1`, `ready: 0`, `terminating: 0`,
 *   `uncountedTerminatedPods: {}` — exactly what the real controller shows on a control plane
 *   without nodes (its Pod stays Pending);
 * - with `completeAfterSeconds` set, a started Job completes that many seconds after its
 *   `startTime`: conditions SuccessCriteriaMet then Complete (reason CompletionsReached),
 *   `completionTime`, `succeeded` = completions, `active` dropped. Without it (the default for
 *   tests, as on a real control plane without nodes) Jobs stay active until someone writes their
 *   status.
 *
 * Like the real controller it leaves alone Jobs whose `spec.managedBy` names another manager
 * (tests use that to mark Jobs finished themselves on both servers), suspended Jobs and finished
 * ones. No Pods are created; failures, retries, parallelism and indexes are not simulated.
 */
import type { ControllerApi, GroupVersionResource, KubeObject, Obj } from '../types.ts';
import { Sweeper, type SweepingController } from './sweeper.ts';
import { jobFinished } from '../registry/strategies/job.ts';

const JOBS: GroupVersionResource = { group: 'batch', version: 'v1', resource: 'jobs' };
/** The value of spec.managedBy that means "the built-in Job controller". */
export const JOB_CONTROLLER_NAME = 'kubernetes.io/job-controller';

export interface JobSimulationOptions {
  /** Seconds from startTime to completion; undefined = Jobs never complete on their own. */
  completeAfterSeconds?: number;
}

function obj(v: unknown): Obj {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {};
}

function rfc3339(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function ours(job: KubeObject): boolean {
  const spec = obj(job.spec);
  const managedBy = spec.managedBy;
  return (managedBy === undefined || managedBy === null || managedBy === JOB_CONTROLLER_NAME) && spec.suspend !== true;
}

/**
 * One level-based pass over every Job; returns when the next Job is due to complete (epoch ms),
 * so the caller can wake up then.
 */
export async function reconcileJobs(
  api: ControllerApi,
  opts: JobSimulationOptions,
  nowMs: () => number = Date.now,
): Promise<number | undefined> {
  if (!api.resourceTypes().some((t) => t.group === 'batch' && t.plural === 'jobs')) return undefined;
  let nextDue: number | undefined;
  for (const job of api.list(JOBS)) {
    if (job.metadata?.deletionTimestamp || !ours(job) || jobFinished(job)) continue;
    const status = obj(job.status);
    const now = nowMs();
    if (typeof status.startTime !== 'string') {
      await api.update(
        JOBS,
        {
          ...job,
          status: {
            ...status,
            startTime: rfc3339(now),
            active: 1,
            ready: 0,
            terminating: 0,
            uncountedTerminatedPods: {},
          },
        },
        { subresource: 'status' },
      );
      if (opts.completeAfterSeconds !== undefined) {
        const due = Math.floor(now / 1000) * 1000 + opts.completeAfterSeconds * 1000;
        nextDue = nextDue === undefined ? due : Math.min(nextDue, due);
      }
      continue;
    }
    if (opts.completeAfterSeconds === undefined) continue;
    const due = Date.parse(status.startTime) + opts.completeAfterSeconds * 1000;
    if (due > now) {
      nextDue = nextDue === undefined ? due : Math.min(nextDue, due);
      continue;
    }
    const spec = obj(job.spec);
    const completions = typeof spec.completions === 'number' ? spec.completions : 1;
    const at = rfc3339(now);
    const condition = (type: string) => ({
      type,
      status: 'True',
      lastProbeTime: at,
      lastTransitionTime: at,
      reason: 'CompletionsReached',
      message: 'Reached expected number of succeeded pods',
    });
    const { active: _active, ...rest } = status;
    await api.update(
      JOBS,
      {
        ...job,
        status: {
          ...rest,
          conditions: [
            ...((status.conditions as Obj[] | undefined) ?? []),
            condition('SuccessCriteriaMet'),
            condition('Complete'),
          ],
          completionTime: at,
          succeeded: completions,
          ready: 0,
          terminating: 0,
          uncountedTerminatedPods: {},
        },
      },
      { subresource: 'status' },
    );
  }
  return nextDue;
}

/** Start the simulation on a controller API; it reacts to Job changes and wakes up when a Job is due. */
export function startJobSimulation(
  api: ControllerApi,
  opts: JobSimulationOptions = {},
  onError: (e: unknown) => void = () => {},
): SweepingController {
  let wake: NodeJS.Timeout | undefined;
  let stopped = false;
  const sweeper: Sweeper = new Sweeper(
    async () => {
      const due = await reconcileJobs(api, opts);
      if (wake) clearTimeout(wake);
      wake = undefined;
      if (due !== undefined && !stopped) {
        wake = setTimeout(() => sweeper.trigger(), Math.max(0, due - Date.now()) + 5);
        wake.unref?.();
      }
    },
    onError,
    1,
  );
  const unsubscribe = api.onChange((e) => {
    if (e.storageKey === 'batch/jobs') sweeper.trigger();
  });
  sweeper.trigger();
  return {
    stop() {
      stopped = true;
      unsubscribe();
      if (wake) clearTimeout(wake);
      sweeper.stop();
    },
    idle: () => sweeper.idle(),
  };
}
