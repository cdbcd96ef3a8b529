import { join } from 'node:path';
import { eventually, loadManifests } from '@kubeloop/envtest';
import { ApiError, Pod } from '@kubeloop/runtime';
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
const pods = () => env.client.resource(Pod);
const readyOf = (obj: RedisClusterObject | undefined) => obj?.status?.conditions?.find((c) => c.type === 'Ready');
const sample = () => (loadManifests(SAMPLE) as unknown as RedisClusterObject[])[0]!;
const named = (name: string, spec: RedisClusterObject['spec']): RedisClusterObject => ({
  apiVersion: RedisCluster.apiVersion,
  kind: RedisCluster.kind,
  metadata: { name, namespace: env.namespace },
  spec,
});

/** The Pods a RedisCluster controls, by name. */
const podsOf = async (cluster: RedisClusterObject) => {
  const list = await pods().list({ namespace: env.namespace, labelSelector: 'app=redis' });
  return list.items
    .filter((p) => p.metadata.ownerReferences?.some((r) => r.controller && r.uid === cluster.metadata.uid))
    .sort((a, b) => a.metadata.name!.localeCompare(b.metadata.name!));
};

/** Stands in for the kubelet, which neither test API server runs: the Pod reports Ready. */
const markReady = (name: string) =>
  pods().patchStatus(env.namespace, name, {
    status: {
      conditions: [
        { type: 'Ready', status: 'True', lastTransitionTime: new Date().toISOString().replace(/\.\d+Z$/, 'Z') },
      ],
    },
  });

/**
 * The Status message: the API server puts its own prefix before the webhook's NewInvalid
 * message; kubectl prints neither, but `The RedisCluster "<name>" is invalid: ` and the causes.
 */
const STATUS_MESSAGE = (name: string) =>
  `admission webhook "vrediscluster-v1.kb.io" denied the request: RedisCluster.bytewang123-redis.kubebuilder.io "${name}" is invalid: spec.addr: Invalid value: "": invalid ip port, ip:port`;

describe('RedisCluster', () => {
  it('the sample (size 3) is stored with size 6 and gets 6 redis:7 Pods, Ready once 6 Pods are', async () => {
    expect(sample().spec).toEqual({ addr: '127.0.0.1:6379', size: 3 });
    const created = await redisClusters().create({
      ...sample(),
      metadata: { ...sample().metadata, namespace: env.namespace },
    });
    expect(created.spec.size).toBe(6);

    const children = await eventually(
      async () => {
        const got = await podsOf(created);
        expect(got.map((p) => p.metadata.name)).toEqual([0, 1, 2, 3, 4, 5].map((i) => `rediscluster-sample-${i}`));
        return got;
      },
      { timeout: 20_000 },
    );
    for (const pod of children) {
      expect(pod.metadata.labels).toMatchObject({ app: 'redis' });
      expect(pod.spec!.containers.map((c) => [c.name, c.image])).toEqual([['redis', 'redis:7']]);
    }
    const pending = await eventually(
      async () => {
        const got = (await redisClusters().get(env.namespace, 'rediscluster-sample'))!;
        expect(got.status).toMatchObject({ pods: 6, readyPods: 0, observedGeneration: created.metadata.generation });
        return got;
      },
      { timeout: 20_000 },
    );
    expect(readyOf(pending)).toMatchObject({
      status: 'False',
      reason: 'ChildrenPending',
      message: 'not all 6 Pods have reported yet; see kubectl get pods -l app=redis',
    });

    for (const pod of children) await markReady(pod.metadata.name!);
    await eventually(
      async () => {
        const got = (await redisClusters().get(env.namespace, 'rediscluster-sample'))!;
        expect(got.status).toMatchObject({ pods: 6, readyPods: 6 });
        expect(readyOf(got)).toMatchObject({
          status: 'True',
          reason: 'ChildrenReady',
          observedGeneration: created.metadata.generation,
        });
      },
      { timeout: 20_000 },
    );

    // A Pod deleted is created again.
    const lost = children[2]!;
    await pods().delete(env.namespace, lost.metadata.name!);
    await eventually(
      async () => {
        const again = await pods().get(env.namespace, lost.metadata.name!);
        expect(again?.metadata.uid).toBeDefined();
        expect(again!.metadata.uid).not.toBe(lost.metadata.uid);
        expect(await podsOf(created)).toHaveLength(6);
      },
      { timeout: 20_000 },
    );
  });

  it('takes the image from the spec; an update below 6 is defaulted to 6 again, and one above adds Pods', async () => {
    const created = await redisClusters().create(
      named('custom', { addr: '10.0.0.1:7000', size: 1, image: 'redis:7.2' }),
    );
    expect(created.spec.size).toBe(6);
    const updated = await redisClusters().patch(env.namespace, 'custom', { spec: { size: 2 } }, 'merge');
    expect(updated.spec.size).toBe(6);
    const grown = await redisClusters().patch(env.namespace, 'custom', { spec: { size: 8 } }, 'merge');
    await eventually(
      async () => {
        const got = await podsOf(grown);
        expect(got).toHaveLength(8);
        expect(new Set(got.map((p) => p.spec!.containers[0]!.image))).toEqual(new Set(['redis:7.2']));
        const cluster = (await redisClusters().get(env.namespace, 'custom'))!;
        expect(cluster.status).toMatchObject({ pods: 8, readyPods: 0, observedGeneration: grown.metadata.generation });
      },
      { timeout: 20_000 },
    );
  });

  it("refuses on create an addr that is not ip:port, with the source's message, and stores nothing", async () => {
    for (const addr of [undefined, '', '1.2.3.4', '::1:6379']) {
      const error = await redisClusters()
        .create(named('rediscluster-sample-bad', { ...(addr === undefined ? {} : { addr }), size: 3 }))
        .then(
          () => undefined,
          (e: unknown) => e,
        );
      expect(error, String(addr)).toBeInstanceOf(ApiError);
      const { status } = error as ApiError;
      const shown = JSON.stringify(addr ?? '');
      expect(status).toMatchObject({
        code: 422,
        reason: 'Invalid',
        message: STATUS_MESSAGE('rediscluster-sample-bad').replace('Invalid value: ""', `Invalid value: ${shown}`),
        details: {
          name: 'rediscluster-sample-bad',
          group: 'bytewang123-redis.kubebuilder.io',
          kind: 'RedisCluster',
          causes: [
            {
              reason: 'FieldValueInvalid',
              field: 'spec.addr',
              message: `Invalid value: ${shown}: invalid ip port, ip:port`,
            },
          ],
        },
      });
      expect(await redisClusters().get(env.namespace, 'rediscluster-sample-bad')).toBeUndefined();
    }
  });

  it('does not validate updates, as the source: a bad addr is accepted on update', async () => {
    await redisClusters().create(named('lenient', { addr: 'a:b', size: 6 }));
    const updated = await redisClusters().patch(env.namespace, 'lenient', { spec: { addr: 'no-port' } }, 'merge');
    expect(updated.spec.addr).toBe('no-port');
    expect(await redisClusters().delete(env.namespace, 'lenient')).toBe(true);
  });
});
