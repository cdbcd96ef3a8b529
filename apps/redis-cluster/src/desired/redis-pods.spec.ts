import type { Pod } from '@kubeloop/runtime';
import { describe, expect, it } from 'vitest';
import { RedisCluster, type RedisClusterObject } from '../api/v1/redis-cluster.ts';
import { applyRedisPod, desiredRedisPods, isPodReady, redisPodMatches } from './redis-pods.ts';

const cluster = (spec: RedisClusterObject['spec']): RedisClusterObject => ({
  apiVersion: RedisCluster.apiVersion,
  kind: RedisCluster.kind,
  metadata: { name: 'rc', namespace: 'ns' },
  spec,
});

describe('desiredRedisPods', () => {
  it('names size Pods <name>-<i>, labelled app=redis, with redis:7 unless the spec names an image', () => {
    expect(desiredRedisPods(cluster({ size: 2 }))).toEqual([
      { name: 'rc-0', labels: { app: 'redis' }, image: 'redis:7' },
      { name: 'rc-1', labels: { app: 'redis' }, image: 'redis:7' },
    ]);
    expect(desiredRedisPods(cluster({ size: 1, image: 'redis:7.2' }))[0]!.image).toBe('redis:7.2');
  });

  it('wants none for no size or a negative one (webhooks off: taken as given)', () => {
    expect(desiredRedisPods(cluster({}))).toEqual([]);
    expect(desiredRedisPods(cluster({ size: -3 }))).toEqual([]);
  });
});

describe('applyRedisPod', () => {
  const desired = { name: 'rc-0', image: 'redis:7.2' };

  it('gives a new Pod its whole spec', () => {
    const pod: Pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'rc-0' } };
    applyRedisPod(pod, desired);
    expect(pod.spec).toEqual({
      containers: [
        { name: 'redis', image: 'redis:7.2', ports: [{ name: 'redis', containerPort: 6379, protocol: 'TCP' }] },
      ],
    });
    expect(redisPodMatches(pod, desired)).toBe(true);
  });

  it("changes only the image of an existing Pod (the rest of a Pod's spec is immutable, and defaulted by the server)", () => {
    const pod: Pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'rc-0' },
      spec: {
        containers: [{ name: 'redis', image: 'redis:7', imagePullPolicy: 'IfNotPresent' }],
        restartPolicy: 'Always',
      },
    };
    expect(redisPodMatches(pod, desired)).toBe(false);
    applyRedisPod(pod, desired);
    expect(pod.spec).toEqual({
      containers: [{ name: 'redis', image: 'redis:7.2', imagePullPolicy: 'IfNotPresent' }],
      restartPolicy: 'Always',
    });
  });
});

describe('isPodReady', () => {
  it("follows the Pod's Ready condition", () => {
    const pod = (status: 'True' | 'False'): Pod => ({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'p' },
      status: { phase: 'Running', conditions: [{ type: 'Ready', status, lastTransitionTime: '2026-01-01T00:00:00Z' }] },
    });
    expect(isPodReady(pod('True'))).toBe(true);
    expect(isPodReady(pod('False'))).toBe(false);
    expect(isPodReady({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' } })).toBe(false);
  });
});
