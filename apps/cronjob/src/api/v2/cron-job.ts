import { defineKind, Type, type ObjectOf } from '@kubeloop/runtime';
import { GROUP } from '../v1/cron-job.ts';
import { cronJobPrinterColumns, cronJobSpecFields, cronJobStatus } from '../shared/cron-job-fields.ts';

const CronField = (what: string) =>
  Type.Optional(Type.String({ description: `${what} field of the cron schedule; unset means *.` }));

/** v2's schedule: the five cron fields by name (the book's multi-version tutorial). */
export const CronSchedule = Type.Object(
  {
    minute: CronField('The minute'),
    hour: CronField('The hour'),
    dayOfMonth: CronField('The day-of-month'),
    month: CronField('The month'),
    dayOfWeek: CronField('The day-of-week'),
  },
  { description: 'The schedule as its five cron fields.' },
);

/**
 * CronJob v2: v1 with `schedule` as a structure `{minute, hour, dayOfMonth, month, dayOfWeek}`.
 * Served, never stored: the API server converts through the manager's conversion webhook
 * (v1 is the hub), so a v1 schedule that is not five space-separated fields cannot be read as v2.
 */
export const CronJob = defineKind({
  group: GROUP,
  version: 'v2',
  kind: 'CronJob',
  plural: 'cronjobs',
  scope: 'Namespaced',
  categories: ['kubeloop'],
  description: 'CronJob is the Schema for the cronjobs API: a Job run on a cron schedule.',
  spec: Type.Object({ schedule: CronSchedule, ...cronJobSpecFields }),
  status: cronJobStatus,
  printerColumns: cronJobPrinterColumns,
});

export type CronJobObject = ObjectOf<typeof CronJob>;
export type CronScheduleFields = NonNullable<CronJobObject['spec']>['schedule'];
