import { defineKind, Type, UNAPPROVED_EXPERIMENTAL, type ObjectOf } from '@kubeloop/runtime';

/**
 * Foo is kubernetes/sample-controller's kind, field for field as upstream's
 * artifacts/examples/crd-status-subresource.yaml declares it, so that upstream's Go controller and
 * this one run against the same CRD (the benchmark runs both): nothing required, no defaults, no
 * printer columns of its own. A Foo asks for a Deployment named `spec.deploymentName` running
 * `spec.replicas` nginx Pods; `status.availableReplicas` mirrors the Deployment's.
 */
export const Foo = defineKind({
  group: 'samplecontroller.k8s.io',
  version: 'v1alpha1',
  kind: 'Foo',
  plural: 'foos',
  scope: 'Namespaced',
  description: 'Foo is the Schema for the foos API.',
  // samplecontroller.k8s.io is a group the Kubernetes project protects: kube-apiserver refuses
  // its CRD without the api-approved.kubernetes.io annotation. Upstream carries this value too.
  apiApproval: UNAPPROVED_EXPERIMENTAL,
  spec: Type.Object({
    deploymentName: Type.Optional(
      Type.String({ description: 'The Deployment this Foo makes and keeps: its name in the Foo’s namespace.' }),
    ),
    replicas: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: 10,
        description: 'The Deployment’s replicas; unset leaves them to the Deployment (the API server defaults 1).',
      }),
    ),
  }),
  status: Type.Object({
    availableReplicas: Type.Optional(
      Type.Integer({ description: 'The Deployment’s status.availableReplicas, as last seen (0 when it has none).' }),
    ),
  }),
});

export type FooObject = ObjectOf<typeof Foo>;
