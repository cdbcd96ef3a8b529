import { Conditions, defineKind, ObservedGeneration, Type, type ObjectOf } from '@kubeloop/runtime';

/**
 * MyCronJob is the Schema for the mycronjobs API: the single source of truth of its CRD
 * (`nx run mycronjob:manifests` renders deploy/mycronjob/crd/batch.wzj.kubebuilder.io_mycronjobs.yaml from it).
 * TODO(user): describe what a MyCronJob is for.
 */
export const MyCronJob = defineKind({
  group: 'batch.wzj.kubebuilder.io',
  version: 'v1',
  kind: 'MyCronJob',
  plural: 'mycronjobs',
  scope: 'Namespaced',
  description: 'MyCronJob is the Schema for the mycronjobs API.',
  // The desired state. TODO(user): declare the fields, with their bounds and defaults (the API
  // server enforces them: a bad spec is refused before any controller sees it).
  spec: Type.Object({
    foo: Type.Optional(Type.String({ description: 'An example field of MyCronJob; edit or remove it.' })),
  }),
  // The observed state, written only by the controller (the /status subresource).
  status: Type.Object({
    observedGeneration: Type.Optional(ObservedGeneration),
    conditions: Type.Optional(Conditions('Ready: the MyCronJob is reconciled.')),
  }),
});

export type MyCronJobObject = ObjectOf<typeof MyCronJob>;
