import { resolve } from 'node:path';
import {
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
  type PodLike,
} from '@kubeloop/envtest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * The math operator as a user runs it (kubebuilder's `make test-e2e`): the image built from the
 * workspace Dockerfile and delivered to the cluster, `nx run math:deploy`, the samples, what
 * `kubectl get` shows, `nx run math:undeploy`, and the single-file installer. Runs against the
 * current kubeconfig's cluster and fails, saying why, when it has no Ready node.
 */
const ROOT = resolve(import.meta.dirname, '../../..');
const APP = 'math';

let cluster: E2ECluster | undefined;
let tree: OperatorTree;
let deployed = false;

interface MathObject {
  kind: string;
  metadata: { name: string };
  status?: Record<string, unknown> & { conditions?: { type: string; status: string; reason?: string }[] };
}

/** What every sample in deploy/math/samples must show once reconciled (besides Ready=True). */
const EXPECTED: Record<string, Record<string, unknown>> = {
  'Number/number-sample': { fizzBuzz: 'FizzBuzz', isSquare: false },
  'Tuple/tuple-sample': { count: 3, allSquares: true },
  'Fermat/fermat-5': { twoSquaresFound: true, witness: '1^2 + 2^2', prime: true },
  'Fermat/fermat-13': { twoSquaresFound: true, witness: '2^2 + 3^2', prime: true },
  'Fermat/fermat-7': { twoSquaresFound: false, prime: true },
};

const managerPods = () => listPods(cluster!, tree.manager.namespace, tree.manager.selector);

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

describe('math on a real cluster', () => {
  it('the manager Deployment is Available, runs the image just built, with the hardened securityContext', async () => {
    const pods = await step('manager Available', () =>
      waitForDeploymentAvailable(cluster!, tree.manager.namespace, tree.manager.name),
    );
    expect(pods).toHaveLength(1);
    const [pod] = pods as [PodLike];
    expect(hardeningProblems(pod.spec)).toEqual([]);
    expect(pod.spec.containers[0]).toMatchObject({ image: tree.manager.container.image });
    console.log(
      `manager pod ${pod.metadata.name} securityContext: pod ${JSON.stringify(pod.spec.securityContext)}; ` +
        `container ${JSON.stringify((pod.spec.containers[0] as { securityContext?: unknown }).securityContext)}`,
    );
  });

  it('every sample Number, Tuple and Fermat becomes Ready with the right status', async () => {
    const ns = await createTestNamespace(cluster!, 'math-e2e-');
    const samples = loadManifests(
      await kubectlOk(cluster!, ['kustomize', resolve(ROOT, 'deploy/math/samples')]),
    ) as MathObject[];
    expect(samples.map((s) => `${s.kind}/${s.metadata.name}`).sort()).toEqual(Object.keys(EXPECTED).sort());
    await step('samples applied (kubectl apply -k deploy/math/samples)', () =>
      kubectlOk(cluster!, ['apply', '-n', ns, '-k', resolve(ROOT, 'deploy/math/samples')]),
    );
    await step('samples Ready', () =>
      eventually(
        async () => {
          const list = JSON.parse(
            await kubectlOk(cluster!, ['get', '-n', ns, 'numbers,tuples,fermats', '-o', 'json']),
          ) as {
            items: MathObject[];
          };
          const byKey = new Map(list.items.map((o) => [`${o.kind}/${o.metadata.name}`, o]));
          for (const [key, status] of Object.entries(EXPECTED)) {
            const got = byKey.get(key);
            expect(got, `${key} exists`).toBeDefined();
            const ready = got!.status?.conditions?.find((c) => c.type === 'Ready');
            expect(ready?.status, `${key} Ready (${JSON.stringify(got!.status)})`).toBe('True');
            expect(got!.status, key).toMatchObject(status);
            if (status.witness === undefined) expect(got!.status, key).not.toHaveProperty('witness');
          }
          // The Tuple's children: one Number per entry, each Ready.
          for (const i of [0, 1, 2])
            expect(
              byKey.get(`Number/tuple-sample-${i}`)?.status?.conditions?.find((c) => c.type === 'Ready')?.status,
            ).toBe('True');
        },
        { timeout: 120_000, interval: 1000 },
      ),
    );
  });

  it('the manager never restarted', async () => {
    const pods = await managerPods();
    expect(pods.length, describePods(pods)).toBeGreaterThan(0);
    for (const p of pods)
      for (const c of p.status?.containerStatuses ?? []) expect(c.restartCount, describePods(pods)).toBe(0);
  });

  it('nx run math:undeploy removes everything deploy created', async () => {
    await step(`nx run ${APP}:undeploy`, () => runNxTarget(ROOT, `${APP}:undeploy`, cluster!));
    deployed = false;
    await step('deploy tree gone', () => waitForTreeGone(ROOT, tree, cluster!));
    expect((await managerPods()).map((p) => p.metadata.name)).toEqual([]);
  });

  it('nx run math:build-installer writes dist/math/install.yaml; one kubectl apply -f installs it, delete -f removes it', async () => {
    await step(`nx run ${APP}:build-installer`, () => runNxTarget(ROOT, `${APP}:build-installer`, cluster!));
    const file = resolve(ROOT, 'dist', APP, 'install.yaml');
    await step('kubectl apply -f dist/math/install.yaml', () => kubectlOk(cluster!, ['apply', '-f', file]));
    deployed = true;
    const pods = await step('installed manager Available', () =>
      waitForDeploymentAvailable(cluster!, tree.manager.namespace, tree.manager.name),
    );
    expect(hardeningProblems(pods[0]!.spec)).toEqual([]);
    await step('kubectl delete -f dist/math/install.yaml', () =>
      kubectlOk(cluster!, ['delete', '-f', file, '--ignore-not-found', '--wait', '--timeout', '180s']),
    );
    deployed = false;
    await waitForTreeGone(ROOT, tree, cluster!);
  });
});
