import { WebhookServer } from '@kubeloop/runtime';
import { describe, expect, it } from 'vitest';
import { RedisCluster, type RedisClusterObject } from '../api/v1/redis-cluster.ts';
import {
  defaultRedisCluster,
  setupRedisClusterWebhooks,
  validateRedisClusterCreate,
  validateRedisClusterDelete,
  validateRedisClusterUpdate,
} from './redis-cluster.webhook.ts';

const sample = (spec: RedisClusterObject['spec'] = { addr: '127.0.0.1:6379', size: 6 }): RedisClusterObject => ({
  apiVersion: RedisCluster.apiVersion,
  kind: RedisCluster.kind,
  metadata: { name: 'rediscluster-sample', namespace: 'default' },
  spec,
});

describe('RedisCluster webhooks', () => {
  it("are served at kubebuilder's paths", () => {
    const server = new WebhookServer({ certDir: '' });
    setupRedisClusterWebhooks(server);
    expect(server.registrations().map((r) => [r.type, r.path])).toEqual([
      ['mutating', '/mutate-bytewang123-redis-kubebuilder-io-v1-rediscluster'],
      ['validating', '/validate-bytewang123-redis-kubebuilder-io-v1-rediscluster'],
    ]);
  });

  it.each([
    [3, 6],
    [0, 6],
    [-1, 6],
    [5, 6],
    [6, 6],
    [7, 7],
  ])('defaulting: size %i becomes %i', (size, want) => {
    const obj = sample({ addr: 'a:b', size });
    defaultRedisCluster(obj);
    expect(obj.spec).toEqual({ addr: 'a:b', size: want });
  });

  it('defaulting: no size, or no spec at all, becomes size 6', () => {
    const noSize = sample({ addr: 'a:b' });
    defaultRedisCluster(noSize);
    expect(noSize.spec).toEqual({ addr: 'a:b', size: 6 });
    const noSpec = { ...sample(), spec: undefined } as unknown as RedisClusterObject;
    defaultRedisCluster(noSpec);
    expect(noSpec.spec).toEqual({ size: 6 });
  });

  it.each(['1.2.3.4:6379', 'a:b', ':'])('validation on create accepts addr %j (two parts)', (addr) => {
    expect(validateRedisClusterCreate(sample({ addr, size: 6 }))).toEqual([]);
  });

  it.each(['', '1.2.3.4', '::1:6379', 'a:b:c'])('validation on create refuses addr %j', (addr) => {
    expect(validateRedisClusterCreate(sample({ addr, size: 6 }))).toEqual([
      expect.objectContaining({ field: 'spec.addr', type: 'FieldValueInvalid' }),
    ]);
  });

  it('validation on create refuses a missing addr as "" (the field error the API server shows)', () => {
    const [error] = validateRedisClusterCreate(sample({ size: 6 }));
    expect(error).toMatchObject({ field: 'spec.addr', value: '', detail: 'invalid ip port, ip:port' });
  });

  it('update and delete are not validated, as in the source: a bad addr passes', () => {
    const bad = sample({ addr: 'no-port', size: 6 });
    expect(validateRedisClusterUpdate(sample(), bad)).toEqual([]);
    expect(validateRedisClusterDelete(bad)).toEqual([]);
  });
});
