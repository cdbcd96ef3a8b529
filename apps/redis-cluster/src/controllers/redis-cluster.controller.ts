import { reportStatus, setCondition } from '@kubeloop/reconcile';
import { controllerFor, done, type ReconcileContext, type Request, type Result } from '@kubeloop/runtime';
import { RedisCluster } from '../api/v1/redis-cluster.ts';

/**
 * Makes the world match a RedisCluster's spec, then reports it. Level-based: it is never told why
 * it runs, so it reads the object and acts on what is, not on what changed.
 *
 * TODO(user): create or update what the RedisCluster describes (children with a controller
 * reference — syncOwnedChildren or createOrUpdate from @kubeloop/reconcile — declared with
 * `.owns(Kind)` below so their changes wake this controller), and compute Ready from them.
 */
export async function reconcileRedisCluster(req: Request, ctx: ReconcileContext): Promise<Result> {
  const redisCluster = ctx.cache.reader(RedisCluster).get(req.namespace, req.name);
  if (!redisCluster || redisCluster.metadata.deletionTimestamp) return done();
  await reportStatus(ctx, RedisCluster, redisCluster, (current) => ({
    ...current.status,
    observedGeneration: current.metadata.generation,
    conditions: setCondition(current.status?.conditions, {
      type: 'Ready',
      status: 'True',
      reason: 'Reconciled',
      message: 'the RedisCluster is reconciled',
      observedGeneration: current.metadata.generation,
    }),
  }));
  return done();
}

export const redisClusterController = controllerFor(RedisCluster).named('rediscluster').complete(reconcileRedisCluster);
