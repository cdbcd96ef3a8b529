import type { Pod } from '@kubeloop/runtime';
import { describe, expect, it } from 'vitest';
import { RedisCluster, type RedisClusterObject } from '../api/v1/redis-cluster.ts';
import { redisClusterStatus } from './redis-cluster-status.ts';

const cluster: RedisClusterObject = {
  apiVersion: RedisCluster.apiVersion,
  kind: RedisCluster.kind,
  metadata: { name: 'rc', namespace: 'ns', generation: 3 },
  spec: { addr: 'a:b', size: 6 },
};
const pod = (name: string, ready: boolean, deleting = false): Pod => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, ...(deleting ? { deletionTimestamp: '2026-01-01T00:00:00Z' } : {}) },
  status: {
    conditions: [{ type: 'Ready', status: ready ? 'True' : 'False', lastTransitionTime: '2026-01-01T00:00:00Z' }],
  },
});
const pods = (n: number, ready: number) => Array.from({ length: n }, (_, i) => pod(`rc-${i}`, i < ready));

describe('redisClusterStatus', () => {
  it('counts the Pods and the Ready ones; Ready=False while fewer than size are Ready', () => {
    const status = redisClusterStatus(cluster, pods(6, 5));
    expect(status).toMatchObject({ pods: 6, readyPods: 5, observedGeneration: 3 });
    expect(status.conditions![0]).toMatchObject({
      type: 'Ready',
      status: 'False',
      reason: 'ChildrenPending',
      observedGeneration: 3,
    });
  });

  it('Ready=True once at least size Pods are Ready, extra Pods included', () => {
    expect(redisClusterStatus(cluster, pods(6, 6)).conditions![0]).toMatchObject({
      status: 'True',
      reason: 'ChildrenReady',
    });
    const withExtra = [...pods(6, 5), pod('rc-6', true)];
    expect(redisClusterStatus(cluster, withExtra)).toMatchObject({ pods: 7, readyPods: 6 });
    expect(redisClusterStatus(cluster, withExtra).conditions![0]!.status).toBe('True');
  });

  it('does not count a Pod being deleted', () => {
    const status = redisClusterStatus(cluster, [...pods(5, 5), pod('rc-5', true, true)]);
    expect(status).toMatchObject({ pods: 5, readyPods: 5 });
    expect(status.conditions![0]!.status).toBe('False');
  });

  it('says why when the API server refuses a Pod', () => {
    const status = redisClusterStatus(cluster, pods(5, 5), [{ name: 'rc-5', verb: 'create', message: 'nope' }]);
    expect(status.conditions![0]).toMatchObject({
      status: 'False',
      reason: 'FailedCreate',
      message: '1 of 6 Pods cannot be created: nope',
    });
  });
});
