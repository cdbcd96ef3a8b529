import type { DesiredChild } from '@kubeloop/reconcile';
import type { Pod } from '@kubeloop/runtime';
import type { RedisClusterObject } from '../api/v1/redis-cluster.ts';

/** A pinned major, never `latest`: a Pod recreated later must run the same Redis. */
export const DEFAULT_REDIS_IMAGE = 'redis:7';
export const REDIS_CONTAINER = 'redis';
export const REDIS_PORT = 6379;
/** The source's label on its Pods. */
export const REDIS_LABELS: Readonly<Record<string, string>> = { app: 'redis' };

export interface DesiredRedisPod extends DesiredChild {
  image: string;
}

/** The size the controller keeps: spec.size as stored (the webhook raised it to 6 or more; with webhooks off it is taken as given). */
export const desiredSize = (cluster: RedisClusterObject): number => Math.max(0, cluster.spec?.size ?? 0);

/**
 * The Redis Pods a RedisCluster wants: `<name>-0` … `<name>-<size-1>`. Named by the parent,
 * not `redis-<unix time>` as the source names them, so a reconcile that runs before the cache
 * shows its last creation cannot create a duplicate.
 */
export function desiredRedisPods(cluster: RedisClusterObject): DesiredRedisPod[] {
  const image = cluster.spec?.image || DEFAULT_REDIS_IMAGE;
  return Array.from({ length: desiredSize(cluster) }, (_, i) => ({
    name: `${cluster.metadata.name}-${i}`,
    labels: { ...REDIS_LABELS },
    image,
  }));
}

/**
 * Sets what the RedisCluster owns on a Pod. A Pod's spec is immutable except its containers'
 * images, so an existing Pod only has its Redis container's image put back; a new one gets the
 * whole spec.
 */
export function applyRedisPod(pod: Pod, desired: DesiredRedisPod): void {
  const existing = pod.spec?.containers?.find((c) => c.name === REDIS_CONTAINER);
  if (existing) {
    existing.image = desired.image;
    return;
  }
  pod.spec = {
    containers: [
      {
        name: REDIS_CONTAINER,
        image: desired.image,
        ports: [{ name: 'redis', containerPort: REDIS_PORT, protocol: 'TCP' }],
      },
    ],
  };
}

/** Whether a cached Pod already runs the desired image (syncOwnedChildren's fast path). */
export const redisPodMatches = (pod: Pod, desired: DesiredRedisPod): boolean =>
  pod.spec?.containers?.find((c) => c.name === REDIS_CONTAINER)?.image === desired.image;

/** A Pod counts as Ready when the kubelet says so (its Ready condition), as `kubectl get pods` shows READY. */
export const isPodReady = (pod: Pod): boolean =>
  pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') === true;
