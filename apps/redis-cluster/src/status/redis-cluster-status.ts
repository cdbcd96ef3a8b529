import { childrenReadyCondition, setCondition, type InvalidChild } from '@kubeloop/reconcile';
import type { Pod } from '@kubeloop/runtime';
import type { RedisClusterObject, RedisClusterStatus } from '../api/v1/redis-cluster.ts';
import { desiredSize, isPodReady, REDIS_LABELS } from '../desired/redis-pods.ts';

/**
 * The status of a RedisCluster from its Pods as the controller last saw them (those it
 * controls, not being deleted): how many exist and how many are Ready, and Ready=True once at
 * least spec.size of them are — the source keeps *at least* size Pods, so extra Ready ones
 * count. A Pod the API server refuses (e.g. a name over 253 characters) makes Ready False with
 * its message, since waiting will not help.
 */
export function redisClusterStatus(
  cluster: RedisClusterObject,
  pods: readonly Pod[],
  invalid: readonly InvalidChild[] = [],
): RedisClusterStatus {
  const generation = cluster.metadata.generation;
  const size = desiredSize(cluster);
  const live = pods.filter((p) => !p.metadata.deletionTimestamp);
  const ready = live.filter(isPodReady).length;
  return {
    pods: live.length,
    readyPods: ready,
    observedGeneration: generation,
    conditions: setCondition(
      cluster.status?.conditions,
      childrenReadyCondition({
        desired: size,
        pending: Math.max(0, size - ready),
        childPlural: 'Pods',
        selector: REDIS_LABELS,
        observedGeneration: generation,
        invalid,
      }),
    ),
  };
}
