import { Conditions, JobTemplateSchema, Type, type PrinterColumn } from '@kubeloop/runtime';

/**
 * The CronJob fields v1 and v2 share (only `schedule` differs between them): declared once so
 * the two versions cannot drift apart, which the conversion webhook relies on.
 */

/** `spec.jobTemplate`: a batch/v1 JobTemplateSpec whose metadata labels and annotations are kept. */
export const JobTemplate = JobTemplateSchema('The Job that will be created when executing a CronJob.');

export const ConcurrencyPolicy = Type.Union([Type.Literal('Allow'), Type.Literal('Forbid'), Type.Literal('Replace')], {
  default: 'Allow',
  description:
    'How to treat concurrent executions of a Job: Allow (default) runs them concurrently; Forbid skips a new run while the previous one is still running; Replace cancels the running Job and replaces it with a new one.',
});

export const cronJobSpecFields = {
  startingDeadlineSeconds: Type.Optional(
    Type.Integer({
      format: 'int64',
      minimum: 0,
      description:
        'Deadline in seconds for starting the Job if it misses its scheduled time; missed runs are counted as failed.',
    }),
  ),
  concurrencyPolicy: Type.Optional(ConcurrencyPolicy),
  suspend: Type.Optional(
    Type.Boolean({ description: 'Suspends subsequent executions; does not apply to already started ones.' }),
  ),
  jobTemplate: JobTemplate,
  successfulJobsHistoryLimit: Type.Optional(
    Type.Integer({ format: 'int32', minimum: 0, description: 'Finished successful Jobs to keep.' }),
  ),
  failedJobsHistoryLimit: Type.Optional(
    Type.Integer({ format: 'int32', minimum: 0, description: 'Finished failed Jobs to keep.' }),
  ),
};

const ObjectReference = Type.Object({
  apiVersion: Type.Optional(Type.String()),
  kind: Type.Optional(Type.String()),
  name: Type.Optional(Type.String()),
  namespace: Type.Optional(Type.String()),
  uid: Type.Optional(Type.String()),
  resourceVersion: Type.Optional(Type.String()),
});

export const cronJobStatus = Type.Object({
  active: Type.Optional(
    Type.Array(ObjectReference, { 'x-kubernetes-list-type': 'atomic', description: 'The running Jobs.' }),
  ),
  lastScheduleTime: Type.Optional(
    Type.String({ format: 'date-time', description: 'When a Job was last successfully scheduled.' }),
  ),
  conditions: Type.Optional(Conditions('Available, Progressing and Degraded.')),
});

/** What `kubectl get cronjobs.batch.tutorial.kubebuilder.io` shows, as the built-in CronJob's table does. */
export const cronJobPrinterColumns: PrinterColumn[] = [
  { name: 'Schedule', type: 'string', jsonPath: '.spec.schedule' },
  { name: 'Suspend', type: 'boolean', jsonPath: '.spec.suspend' },
  { name: 'Active', type: 'string', jsonPath: '.status.active[*].name' },
  { name: 'Last Schedule', type: 'date', jsonPath: '.status.lastScheduleTime' },
];
