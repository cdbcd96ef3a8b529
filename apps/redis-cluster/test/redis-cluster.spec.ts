import { join } from 'node:path';
import { eventually, loadManifests } from '@kubeloop/envtest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisCluster, type RedisClusterObject } from '../src/api/v1/redis-cluster.ts';
import { startRedisCluster, type RedisClusterEnv } from './harness.ts';

const SAMPLE = join(
  import.meta.dirname,
  '../../../deploy/redis-cluster/samples/bytewang123-redis_v1_rediscluster.yaml',
);

let env: RedisClusterEnv;
beforeAll(async () => {
  env = await startRedisCluster();
}, 120_000);
afterAll(async () => {
  await env?.stop();
});

const redisClusters = () => env.client.resource(RedisCluster);
const readyOf = (obj: RedisClusterObject | undefined) => obj?.status?.conditions?.find((c) => c.type === 'Ready');

describe('RedisCluster controller', () => {
  it('reconciles the sample: Ready=True for the generation it saw', async () => {
    const [sample] = loadManifests(SAMPLE) as unknown as RedisClusterObject[];
    const created = await redisClusters().create({
      ...sample!,
      metadata: { ...sample!.metadata, namespace: env.namespace },
    });
    const reconciled = await eventually(
      async () => {
        const got = await redisClusters().get(env.namespace, created.metadata.name!);
        expect(readyOf(got)).toMatchObject({ status: 'True', observedGeneration: created.metadata.generation });
        return got!;
      },
      { timeout: 20_000 },
    );
    expect(reconciled.status?.observedGeneration).toBe(created.metadata.generation);
  });
});
