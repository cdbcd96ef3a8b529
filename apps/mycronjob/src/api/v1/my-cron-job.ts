import { defineKind, JobTemplateSchema, Type, type ObjectOf } from '@kubeloop/runtime';

/**
 * Seed 001's MyCronJob: every 5 seconds its controller creates a Job `<name>-<unix seconds>` from
 * `jobTemplate`, owned by the MyCronJob. No schedule, no history cleanup, no status (as in the
 * source): the Jobs accumulate until the MyCronJob is deleted, which garbage-collects them.
 */
export const MyCronJob = defineKind({
  group: 'batch.wzj.kubebuilder.io',
  version: 'v1',
  kind: 'MyCronJob',
  plural: 'mycronjobs',
  scope: 'Namespaced',
  categories: ['kubeloop'],
  description: 'MyCronJob is the Schema for the mycronjobs API: a Job every 5 seconds.',
  spec: Type.Object({ jobTemplate: JobTemplateSchema('The Job created every 5 seconds.') }),
  status: Type.Object({}),
});

export type MyCronJobObject = ObjectOf<typeof MyCronJob>;
