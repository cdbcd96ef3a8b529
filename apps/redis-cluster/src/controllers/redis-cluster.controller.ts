import { ownedChildren, reportStatus, resultOf, syncOwnedChildren } from '@kubeloop/reconcile';
import { controllerFor, done, Pod, type ReconcileContext, type Request, type Result } from '@kubeloop/runtime';
import { RedisCluster } from '../api/v1/redis-cluster.ts';
import { applyRedisPod, desiredRedisPods, redisPodMatches } from '../desired/redis-pods.ts';
import { redisClusterStatus } from '../status/redis-cluster-status.ts';

/**
 * Keeps at least spec.size Redis Pods (`app=redis`, controlled by the RedisCluster) and reports
 * how many exist and are Ready. Level-based: a deleted Pod wakes the reconcile (`owns(Pod)`) and
 * is created again; the garbage collector removes the Pods with their RedisCluster. Pods beyond
 * size (left by a larger size earlier) are kept, as the source never deletes one: `prune: false`.
 */
export async function reconcileRedisCluster(req: Request, ctx: ReconcileContext): Promise<Result> {
  const cluster = ctx.cache.reader(RedisCluster).get(req.namespace, req.name);
  if (!cluster || cluster.metadata.deletionTimestamp) return done();
  const pods = await syncOwnedChildren(ctx, cluster, Pod, desiredRedisPods(cluster), {
    apply: applyRedisPod,
    matches: redisPodMatches,
    prune: false,
  });
  // The Pods just written as stored, and the others (extras) as the cache has them.
  const all = new Map(ownedChildren(ctx, Pod, cluster).map((p) => [p.metadata.name!, p]));
  for (const [name, pod] of pods.children) all.set(name, pod);
  await reportStatus(ctx, RedisCluster, cluster, (current) =>
    redisClusterStatus(current, [...all.values()], pods.invalid),
  );
  return resultOf(pods);
}

export const redisClusterController = controllerFor(RedisCluster)
  .owns(Pod)
  .named('rediscluster')
  .complete(reconcileRedisCluster);
