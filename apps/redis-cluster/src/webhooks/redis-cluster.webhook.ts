import { fieldInvalid, type FieldError, type WebhookServer } from '@kubeloop/runtime';
import { MIN_SIZE, RedisCluster, type RedisClusterObject } from '../api/v1/redis-cluster.ts';

/**
 * Defaulting (kubebuilder's Default): fills in what the user left out, on create and update,
 * before the API server validates and stores the object. Mutate `obj` in place; the webhook
 * server answers with the JSON patch of the change. Runs on every write, so it must be
 * idempotent and leave set fields alone.
 *
 * The source's rule, on create and update: a size under 6 (or none) becomes 6.
 */
export function defaultRedisCluster(obj: RedisClusterObject): void {
  obj.spec ??= {};
  if ((obj.spec.size ?? 0) < MIN_SIZE) obj.spec.size = MIN_SIZE;
}

/**
 * Validation (kubebuilder's ValidateCreate/Update/Delete): return a field error for each thing
 * wrong, and the API server refuses the request with kube-apiserver's message format
 * (`The RedisCluster "name" is invalid: spec.x: Invalid value: …`). No error accepts it.
 *
 * The source's rule, on create only: `addr` split on ":" gives exactly two parts (Go's
 * strings.Split, so "a:b" passes and "1.2.3.4" or "::1:6379" do not), else
 * `spec.addr: Invalid value: "<addr>": invalid ip port, ip:port`.
 */
export function validateRedisClusterCreate(obj: RedisClusterObject): FieldError[] {
  const addr = obj.spec?.addr ?? '';
  return addr.split(':').length === 2 ? [] : [fieldInvalid('spec.addr', addr, 'invalid ip port, ip:port')];
}

/** Updates are not validated, as in the source (its scaffold's TODO): a bad addr is accepted on update. */
export function validateRedisClusterUpdate(oldObj: RedisClusterObject, obj: RedisClusterObject): FieldError[] {
  void oldObj;
  void obj;
  return [];
}

/** Deletes are not validated (as in the source): refusing one could leave users stuck with an object. */
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
