import { defineKind, Type, type ObjectOf } from '@kubeloop/runtime';
import { cronJobSpecFields, cronJobStatus, cronJobPrinterColumns } from '../shared/cron-job-fields.ts';

export const GROUP = 'batch.tutorial.kubebuilder.io';

/**
 * A CronJob runs a Job on a cron schedule (the kubebuilder book's example): at each scheduled
 * instant the controller creates the Job `<name>-<unix seconds>` from `jobTemplate`, keeps the
 * newest finished Jobs up to the history limits, and reports the running ones in `status.active`.
 * v1 is the storage version and the hub of the conversion webhook (v2 converts through it).
 */
export const CronJob = defineKind({
  group: GROUP,
  version: 'v1',
  kind: 'CronJob',
  plural: 'cronjobs',
  scope: 'Namespaced',
  categories: ['kubeloop'],
  description: 'CronJob is the Schema for the cronjobs API: a Job run on a cron schedule.',
  spec: Type.Object({
    schedule: Type.String({
      minLength: 0,
      description: 'The schedule in Cron format, see https://en.wikipedia.org/wiki/Cron.',
    }),
    ...cronJobSpecFields,
  }),
  status: cronJobStatus,
  printerColumns: cronJobPrinterColumns,
});

export type CronJobObject = ObjectOf<typeof CronJob>;
export type CronJobSpec = CronJobObject['spec'];
export type CronJobStatus = NonNullable<CronJobObject['status']>;
