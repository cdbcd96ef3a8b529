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

const sample = (): RedisClusterObject => ({
  apiVersion: RedisCluster.apiVersion,
  kind: RedisCluster.kind,
  metadata: { name: 'rediscluster-sample', namespace: 'default' },
  spec: { foo: 'bar' },
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

  // TODO(user): one case per default, and that a value the user set is kept.
  it('defaulting keeps a complete object as it is', () => {
    const obj = sample();
    defaultRedisCluster(obj);
    expect(obj).toEqual(sample());
  });

  // TODO(user): one case per rule, with the exact field error the API server will show.
  it('validation accepts a valid object on create, update and delete', () => {
    expect(validateRedisClusterCreate(sample())).toEqual([]);
    expect(validateRedisClusterUpdate(sample(), sample())).toEqual([]);
    expect(validateRedisClusterDelete(sample())).toEqual([]);
  });
});
