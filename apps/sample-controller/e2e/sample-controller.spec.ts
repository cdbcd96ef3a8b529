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
 * The sample-controller operator as a user runs it (kubebuilder's `make test-e2e`): its image built from
 * the workspace Dockerfile and delivered to the cluster, `nx run sample-controller:deploy`, the samples,
 * `nx run sample-controller:undeploy`. Runs against the current kubeconfig's cluster and fails, saying
 * why, when it has no Ready node.
 */
const ROOT = resolve(import.meta.dirname, '../../..');
const APP = 'sample-controller';

let cluster: E2ECluster | undefined;
let tree: OperatorTree;
let deployed = false;

interface Sample {
  kind: string;
  metadata: { name: string };
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

describe('sample-controller on a real cluster', () => {
  it('the manager Deployment is Available with the hardened securityContext', async () => {
    const pods = await step('manager Available', () =>
      waitForDeploymentAvailable(cluster!, tree.manager.namespace, tree.manager.name),
    );
    expect(pods).toHaveLength(1);
    expect(hardeningProblems(pods[0]!.spec)).toEqual([]);
  });

  it("every sample Foo gets its Deployment and mirrors the Deployment's availableReplicas", async () => {
    const samplesDir = resolve(ROOT, 'deploy', APP, 'samples');
    const samples = loadManifests(await kubectlOk(cluster!, ['kustomize', samplesDir])) as Sample[];
    expect(samples.length, `no sample in ${samplesDir}: nx g @kubeloop/nx:api adds one`).toBeGreaterThan(0);
    const ns = await createTestNamespace(cluster!, `${APP}-e2e-`);
    await applyThroughWebhooks(cluster!, ['-n', ns, '-k', samplesDir]);
    const get = async (kind: string, name: string) =>
      JSON.parse(await kubectlOk(cluster!, ['get', '-n', ns, kind, name, '-o', 'json'])) as Sample & {
        metadata: { uid?: string; ownerReferences?: { uid: string; controller?: boolean }[] };
        spec?: { deploymentName?: string };
        status?: { availableReplicas?: number };
      };
    // Foo has no Ready condition (upstream's kind): synced = its Deployment exists, controlled by
    // it, and status.availableReplicas was written equal to the Deployment's (an image the node
    // cannot pull keeps that at 0).
    await step('samples synced', () =>
      eventually(
        async () => {
          for (const sample of samples) {
            const foo = await get(sample.kind, sample.metadata.name);
            const deployment = await get('deployment', foo.spec!.deploymentName!);
            expect(deployment.metadata.ownerReferences?.find((r) => r.controller)?.uid).toBe(foo.metadata.uid);
            expect(foo.status?.availableReplicas, JSON.stringify(foo.status)).toBe(
              deployment.status?.availableReplicas ?? 0,
            );
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
