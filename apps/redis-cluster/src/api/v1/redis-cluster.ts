import { Conditions, defineKind, ObservedGeneration, Type, type ObjectOf } from '@kubeloop/runtime';

/**
 * RedisCluster is the Schema for the redisclusters API: the single source of truth of its CRD
 * (`nx run redis-cluster:manifests` renders deploy/redis-cluster/crd/bytewang123-redis.kubebuilder.io_redisclusters.yaml from it).
 * TODO(user): describe what a RedisCluster is for.
 */
export const RedisCluster = defineKind({
  group: 'bytewang123-redis.kubebuilder.io',
  version: 'v1',
  kind: 'RedisCluster',
  plural: 'redisclusters',
  scope: 'Namespaced',
  description: 'RedisCluster is the Schema for the redisclusters API.',
  // The desired state. TODO(user): declare the fields, with their bounds and defaults (the API
  // server enforces them: a bad spec is refused before any controller sees it).
  spec: Type.Object({
    foo: Type.Optional(Type.String({ description: 'An example field of RedisCluster; edit or remove it.' })),
  }),
  // The observed state, written only by the controller (the /status subresource).
  status: Type.Object({
    observedGeneration: Type.Optional(ObservedGeneration),
    conditions: Type.Optional(Conditions('Ready: the RedisCluster is reconciled.')),
  }),
});

export type RedisClusterObject = ObjectOf<typeof RedisCluster>;
