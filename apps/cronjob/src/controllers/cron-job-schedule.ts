import type { Clock as RuntimeClock } from '@kubeloop/runtime';
import type { CronJobObject } from '../api/v1/cron-job.ts';
import { parseStandard } from '../schedule/cron-schedule.ts';

/** Where the controller reads the time; injectable so tests never wait for a minute boundary. */
export type Clock = Pick<RuntimeClock, 'now'>;

/** More missed runs than this since the last one (or creation) is an error, as in the book. */
export const MAX_MISSED_RUNS = 100;

/** What a reconcile does about the schedule. All times are epoch milliseconds. */
export type RunPlan =
  | { kind: 'suspended' }
  | { kind: 'error'; message: string }
  /** Nothing missed: wait for `next`. */
  | { kind: 'wait'; next: number }
  /** The run at `at` was missed by more than startingDeadlineSeconds: skipped. */
  | { kind: 'missedDeadline'; at: number; next: number }
  /** Forbid, and a Job is still running: the run at `at` is skipped. */
  | { kind: 'forbidden'; at: number; next: number }
  /** Create the Job for the run at `at`. */
  | { kind: 'run'; at: number; next: number };

/**
 * The book's getNextSchedule and the decisions after it: the latest run missed since the last
 * scheduled run (or the CronJob's creation), not earlier than `now - startingDeadlineSeconds`,
 * and the next run after `now`.
 */
export function planRun(cronJob: CronJobObject, last: number | undefined, now: number, running: number): RunPlan {
  const spec = cronJob.spec;
  let schedule;
  try {
    schedule = parseStandard(spec.schedule);
  } catch (e) {
    return { kind: 'error', message: `unparseable schedule ${JSON.stringify(spec.schedule)}: ${(e as Error).message}` };
  }
  let earliest = last ?? Date.parse(cronJob.metadata.creationTimestamp!);
  const deadlineMs = spec.startingDeadlineSeconds !== undefined ? spec.startingDeadlineSeconds * 1000 : undefined;
  if (deadlineMs !== undefined) earliest = Math.max(earliest, now - deadlineMs);
  let missed: number | undefined;
  if (earliest <= now) {
    let runs = 0;
    for (let t = schedule.next(earliest); t !== undefined && t <= now; t = schedule.next(t)) {
      missed = t;
      if (++runs > MAX_MISSED_RUNS)
        return {
          kind: 'error',
          message: `Too many missed start times (> ${MAX_MISSED_RUNS}). Set or decrease .spec.startingDeadlineSeconds or check clock skew.`,
        };
    }
  }
  const next = schedule.next(now);
  if (next === undefined)
    return { kind: 'error', message: `no run of ${JSON.stringify(spec.schedule)} within five years` };
  if (missed === undefined) return { kind: 'wait', next };
  if (deadlineMs !== undefined && missed + deadlineMs < now) return { kind: 'missedDeadline', at: missed, next };
  if (spec.concurrencyPolicy === 'Forbid' && running > 0) return { kind: 'forbidden', at: missed, next };
  return { kind: 'run', at: missed, next };
}
