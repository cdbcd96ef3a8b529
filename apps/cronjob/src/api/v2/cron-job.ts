import { Conditions, defineKind, ObservedGeneration, Type, type ObjectOf } from '@kubeloop/runtime';

/**
 * CronJob is the Schema for the cronjobs API: the single source of truth of its CRD
 * (`nx run cronjob:manifests` renders deploy/cronjob/crd/batch.tutorial.kubebuilder.io_cronjobs.yaml from it).
 * TODO(user): describe what a CronJob is for.
 */
export const CronJob = defineKind({
  group: 'batch.tutorial.kubebuilder.io',
  version: 'v2',
  kind: 'CronJob',
  plural: 'cronjobs',
  scope: 'Namespaced',
  description: 'CronJob is the Schema for the cronjobs API.',
  // The desired state. TODO(user): declare the fields, with their bounds and defaults (the API
  // server enforces them: a bad spec is refused before any controller sees it).
  spec: Type.Object({
    foo: Type.Optional(Type.String({ description: 'An example field of CronJob; edit or remove it.' })),
  }),
  // The observed state, written only by the controller (the /status subresource).
  status: Type.Object({
    observedGeneration: Type.Optional(ObservedGeneration),
    conditions: Type.Optional(Conditions('Ready: the CronJob is reconciled.')),
  }),
});

export type CronJobObject = ObjectOf<typeof CronJob>;
