import { Conditions, defineKind, ObservedGeneration, Type, type ObjectOf } from '@kubeloop/runtime';

/**
 * Foo is the Schema for the foos API: the single source of truth of its CRD
 * (`nx run sample-controller:manifests` renders deploy/sample-controller/crd/samplecontroller.k8s.io_foos.yaml from it).
 * TODO(user): describe what a Foo is for.
 */
export const Foo = defineKind({
  group: 'samplecontroller.k8s.io',
  version: 'v1alpha1',
  kind: 'Foo',
  plural: 'foos',
  scope: 'Namespaced',
  description: 'Foo is the Schema for the foos API.',
  // The desired state. TODO(user): declare the fields, with their bounds and defaults (the API
  // server enforces them: a bad spec is refused before any controller sees it).
  spec: Type.Object({
    foo: Type.Optional(Type.String({ description: 'An example field of Foo; edit or remove it.' })),
  }),
  // The observed state, written only by the controller (the /status subresource).
  status: Type.Object({
    observedGeneration: Type.Optional(ObservedGeneration),
    conditions: Type.Optional(Conditions('Ready: the Foo is reconciled.')),
  }),
});

export type FooObject = ObjectOf<typeof Foo>;
