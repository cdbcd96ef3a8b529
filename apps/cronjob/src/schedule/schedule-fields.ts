import type { CronScheduleFields } from '../api/v2/cron-job.ts';

const FIELDS = ['minute', 'hour', 'dayOfMonth', 'month', 'dayOfWeek'] as const;

/** v2 → v1: the five fields joined by single spaces, a missing one as `*`. */
export function scheduleFromFields(s: CronScheduleFields | undefined): string {
  return FIELDS.map((f) => s?.[f] ?? '*').join(' ');
}

/**
 * v1 → v2: exactly five fields separated by single spaces (the book splits on " ", so `@hourly`
 * or a double space cannot be expressed in v2); `*` becomes an absent field.
 */
export function scheduleToFields(schedule: string): CronScheduleFields {
  const parts = schedule.split(' ');
  if (parts.length !== 5) throw new Error('invalid schedule: not a standard 5-field schedule');
  const out: Record<string, string> = {};
  parts.forEach((p, i) => {
    if (p !== '*') out[FIELDS[i]!] = p;
  });
  return out as CronScheduleFields;
}
