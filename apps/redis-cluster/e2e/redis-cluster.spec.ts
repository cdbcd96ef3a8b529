import { resolve } from 'node:path';
import {
  applyThroughWebhooks,
  buildAppImage,
  connectCluster,
  createTestNamespace,
  describePods,
  eventually,
  hardeningProblems,
  kubectlOk,
  listPods,
  loadManifests,
  renderOperatorTree,
  runNxTarget,
  step,
  stepReport,
  waitForDeploymentAvailable,
  waitForTreeGone,
  type E2ECluster,
  type OperatorTree,
} from '@kubeloop/envtest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * The redis-cluster operator as a user runs it (kubebuilder's `make test-e2e`): its image built from
 * the workspace Dockerfile and delivered to the cluster, `nx run redis-cluster:deploy`, the samples,
 * `nx run redis-cluster:undeploy`. Runs against the current kubeconfig's cluster and fails, saying
 * why, when it has no Ready node. TODO(user): check what your samples should become.
 */
const ROOT = resolve(import.meta.dirname, '../../..');
const APP = 'redis-cluster';

let cluster: E2ECluster | undefined;
let tree: OperatorTree;
let deployed = false;

interface Sample {
  kind: string;
  metadata: { name: string };
  spec?: Record<string, unknown>;
  status?: { conditions?: { type: string; status: string }[] };
}

beforeAll(async () => {
  cluster = await step('cluster: current kubeconfig, a Ready node', () => connectCluster());
  tree = await renderOperatorTree(ROOT, APP);
  const image = tree.manager.container.image;
  await step(`image ${image} (build + deliver)`, () => buildAppImage(ROOT, APP, image, cluster!));
  if (
    (await kubectlOk(cluster, ['get', 'namespace', tree.manager.namespace, '--ignore-not-found', '-o', 'name'])).trim()
  ) {
    // Same tag, unchanged spec: a leftover Deployment would keep running the previous image.
    await step('undeploy what an earlier run left', () => runNxTarget(ROOT, `${APP}:undeploy`, cluster!));
  }
  await step(`nx run ${APP}:deploy`, () => runNxTarget(ROOT, `${APP}:deploy`, cluster!));
  deployed = true;
});

afterAll(async () => {
  try {
    if (cluster && deployed && !process.env.E2E_KEEP) await runNxTarget(ROOT, `${APP}:undeploy`, cluster);
  } finally {
    await cluster?.stop();
    console.log(`\n${APP} e2e steps:\n${stepReport()}`);
  }
});

describe('redis-cluster on a real cluster', () => {
  it('the manager Deployment is Available with the hardened securityContext', async () => {
    const pods = await step('manager Available', () =>
      waitForDeploymentAvailable(cluster!, tree.manager.namespace, tree.manager.name),
    );
    expect(pods).toHaveLength(1);
    expect(hardeningProblems(pods[0]!.spec)).toEqual([]);
  });

  it('every sample becomes Ready', async () => {
    const samplesDir = resolve(ROOT, 'deploy', APP, 'samples');
    const samples = loadManifests(await kubectlOk(cluster!, ['kustomize', samplesDir])) as Sample[];
    expect(samples.length, `no sample in ${samplesDir}: nx g @kubeloop/nx:api adds one`).toBeGreaterThan(0);
    // A namespaced manager watches only its own namespace.
    const ns = await createTestNamespace(cluster!, `${APP}-e2e-`);
    // The Pods run spec.image (redis:7 unless set). A node that cannot pull it (an offline one) is given an
    // image it has through E2E_REDIS_IMAGE (the realk8s node: registry.k8s.io/pause:3.10.2): the operator
    // only creates and counts Pods, it never talks to Redis.
    const image = process.env.E2E_REDIS_IMAGE;
    if (image) {
      const items = samples.map((sample) => ({ ...sample, spec: { ...sample.spec, image } }));
      await applyThroughWebhooks(cluster!, ['-n', ns, '-f', '-'], {
        input: JSON.stringify({ apiVersion: 'v1', kind: 'List', items }),
      });
    } else await applyThroughWebhooks(cluster!, ['-n', ns, '-k', samplesDir]);
    await step('samples Ready', () =>
      eventually(
        async () => {
          for (const sample of samples) {
            const got = JSON.parse(
              await kubectlOk(cluster!, ['get', '-n', ns, sample.kind, sample.metadata.name, '-o', 'json']),
            ) as Sample;
            const ready = got.status?.conditions?.find((c) => c.type === 'Ready');
            expect(ready?.status, `${sample.kind}/${sample.metadata.name}: ${JSON.stringify(got.status)}`).toBe('True');
          }
        },
        { timeout: 120_000, interval: 1000 },
      ),
    );
  });

  it('the manager never restarted', async () => {
    const pods = await listPods(cluster!, tree.manager.namespace, tree.manager.selector);
    expect(pods.length, describePods(pods)).toBeGreaterThan(0);
    for (const p of pods)
      for (const c of p.status?.containerStatuses ?? []) expect(c.restartCount, describePods(pods)).toBe(0);
  });

  it(`nx run ${APP}:undeploy removes everything deploy created`, async () => {
    await step(`nx run ${APP}:undeploy`, () => runNxTarget(ROOT, `${APP}:undeploy`, cluster!));
    deployed = false;
    await step('deploy tree gone', () => waitForTreeGone(ROOT, tree, cluster!));
  });
});
