import type { Job } from '@kubeloop/runtime';

/** When the CronJob meant a Job to run (RFC 3339), on every Job it creates. */
export const SCHEDULED_AT = 'batch.tutorial.kubebuilder.io/scheduled-at';

export interface ClassifiedJobs {
  all: Job[];
  active: Job[];
  successful: Job[];
  failed: Job[];
}

function finished(job: Job): 'Complete' | 'Failed' | undefined {
  for (const c of job.status?.conditions ?? [])
    if ((c.type === 'Complete' || c.type === 'Failed') && c.status === 'True') return c.type;
  return undefined;
}

/** The book's classification: Complete=True is successful, Failed=True failed, anything else active. */
export function classifyJobs(jobs: readonly Job[]): ClassifiedJobs {
  const out: ClassifiedJobs = { all: [...jobs], active: [], successful: [], failed: [] };
  for (const job of jobs) {
    const state = finished(job);
    if (state === 'Complete') out.successful.push(job);
    else if (state === 'Failed') out.failed.push(job);
    else out.active.push(job);
  }
  return out;
}

/** The latest scheduled-at annotation among the Jobs (unparsable ones are skipped), epoch ms. */
export function lastScheduleTime(jobs: readonly Job[]): number | undefined {
  let last: number | undefined;
  for (const job of jobs) {
    const at = Date.parse(job.metadata.annotations?.[SCHEDULED_AT] ?? '');
    if (!Number.isNaN(at) && (last === undefined || at > last)) last = at;
  }
  return last;
}

/**
 * The finished Jobs to delete so that at most `limit` remain: the oldest first by
 * `status.startTime` (a Job without one counts as oldest). No limit, no cleanup.
 */
export function jobsBeyondHistory(jobs: readonly Job[], limit: number | undefined): Job[] {
  if (limit === undefined || jobs.length <= limit) return [];
  const start = (j: Job) => {
    const t = Date.parse(j.status?.startTime ?? '');
    return Number.isNaN(t) ? -Infinity : t;
  };
  return [...jobs].sort((a, b) => start(a) - start(b)).slice(0, jobs.length - limit);
}
