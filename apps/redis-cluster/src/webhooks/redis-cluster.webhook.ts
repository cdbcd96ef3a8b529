import type { FieldError, WebhookServer } from '@kubeloop/runtime';
import { RedisCluster, type RedisClusterObject } from '../api/v1/redis-cluster.ts';

/**
 * Defaulting (kubebuilder's Default): fills in what the user left out, on create and update,
 * before the API server validates and stores the object. Mutate `obj` in place; the webhook
 * server answers with the JSON patch of the change. Runs on every write, so it must be
 * idempotent and leave set fields alone.
 * TODO(user): set defaults here.
 */
export function defaultRedisCluster(obj: RedisClusterObject): void {
  void obj;
}

/**
 * Validation (kubebuilder's ValidateCreate/Update/Delete): return a field error for each thing
 * wrong, and the API server refuses the request with kube-apiserver's message format
 * (`The RedisCluster "name" is invalid: spec.x: Invalid value: …`). No error accepts it.
 * TODO(user): check what the schema cannot (cross-field rules, immutable fields).
 */
export function validateRedisClusterCreate(obj: RedisClusterObject): FieldError[] {
  void obj;
  return [];
}

export function validateRedisClusterUpdate(oldObj: RedisClusterObject, obj: RedisClusterObject): FieldError[] {
  void oldObj;
  void obj;
  return [];
}

/** Refusing a delete can leave users stuck with an object: keep this for real invariants. */
export function validateRedisClusterDelete(obj: RedisClusterObject): FieldError[] {
  void obj;
  return [];
}

/**
 * Registers the RedisCluster webhooks on the manager's webhook server (listed in manifests.ts, so
 * `nx run redis-cluster:manifests` renders their configurations from these registrations):
 * defaulting at /mutate-bytewang123-redis-kubebuilder-io-v1-rediscluster (mrediscluster-v1.kb.io),
 * validation at /validate-bytewang123-redis-kubebuilder-io-v1-rediscluster (vrediscluster-v1.kb.io),
 * failurePolicy Fail.
 */
export function setupRedisClusterWebhooks(server: Pick<WebhookServer, 'defaulter' | 'validator' | 'converter'>): void {
  server.defaulter(RedisCluster, defaultRedisCluster);
  server.validator(RedisCluster, {
    create: validateRedisClusterCreate,
    update: validateRedisClusterUpdate,
    delete: validateRedisClusterDelete,
  });
}
