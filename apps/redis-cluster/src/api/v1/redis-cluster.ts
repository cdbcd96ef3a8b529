import { Conditions, defineKind, ObservedGeneration, Type, type ObjectOf } from '@kubeloop/runtime';

/** The least a RedisCluster runs: the defaulting webhook raises a smaller `size` to it, as the source's Default does. */
export const MIN_SIZE = 6;

/**
 * A ceiling the source does not have: without it, a typo (`size: 60000`) would have the
 * controller create sixty thousand Pods. The API server refuses more with its own message.
 */
export const MAX_SIZE = 100;

/**
 * RedisCluster is the Schema for the redisclusters API: the single source of truth of its CRD
 * (`nx run redis-cluster:manifests` renders deploy/redis-cluster/crd/bytewang123-redis.kubebuilder.io_redisclusters.yaml from it).
 * One of our sources' RedisCluster: at least `size` Redis Pods, labelled `app=redis` and owned
 * by the RedisCluster. Its webhooks default `size` and check `addr` on create
 * (webhooks/redis-cluster.webhook.ts); the schema holds only what the source's Go types say.
 */
export const RedisCluster = defineKind({
  group: 'bytewang123-redis.kubebuilder.io',
  version: 'v1',
  kind: 'RedisCluster',
  plural: 'redisclusters',
  scope: 'Namespaced',
  description: 'RedisCluster is the Schema for the redisclusters API.',
  spec: Type.Object({
    addr: Type.Optional(Type.String({ description: 'Address of the cluster, ip:port (checked on create).' })),
    size: Type.Optional(
      Type.Integer({
        maximum: MAX_SIZE,
        description: `How many Redis Pods to run at least; less than ${MIN_SIZE} becomes ${MIN_SIZE}.`,
      }),
    ),
    image: Type.Optional(Type.String({ minLength: 1, description: 'Image of the Redis Pods (default redis:7).' })),
  }),
  // The observed state, written only by the controller (the /status subresource).
  status: Type.Object({
    pods: Type.Optional(Type.Integer({ minimum: 0, description: 'Redis Pods of this RedisCluster that exist.' })),
    readyPods: Type.Optional(Type.Integer({ minimum: 0, description: 'Of those, the Ready ones.' })),
    observedGeneration: Type.Optional(ObservedGeneration),
    conditions: Type.Optional(Conditions('Ready: at least spec.size Redis Pods are Ready.')),
  }),
  printerColumns: [
    { name: 'Size', type: 'integer', jsonPath: '.spec.size' },
    { name: 'Pods', type: 'integer', jsonPath: '.status.pods' },
    { name: 'Ready', type: 'integer', jsonPath: '.status.readyPods' },
  ],
});

export type RedisClusterObject = ObjectOf<typeof RedisCluster>;
export type RedisClusterStatus = NonNullable<RedisClusterObject['status']>;
