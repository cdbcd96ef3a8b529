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
  portForward,
  renderOperatorTree,
  runKubectl,
  runNxTarget,
  step,
  stepReport,
  waitForDeploymentAvailable,
  waitForTreeGone,
  type E2ECluster,
  type OperatorTree,
  type PodLike,
  type PortForward,
} from '@kubeloop/envtest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selectorLabels, viewerName } from '../src/desired/viewer.ts';

/**
 * markdown-view as a user runs it (kubebuilder's `make test-e2e`): both images (manager and
 * viewer) built from the workspace Dockerfile and delivered to the cluster, `nx run
 * markdown-view:deploy` (webhook certificates included), the sample book served through
 * `kubectl port-forward` to its Service, an edit showing up in the served page, an invalid
 * MarkdownView refused by the webhook through the API server, and `nx run
 * markdown-view:undeploy`. Fails, saying why, when the current kubeconfig has no Ready node.
 */
const ROOT = resolve(import.meta.dirname, '../../..');
const APP = 'markdown-view';
const SAMPLE = 'markdownview-sample';

let cluster: E2ECluster | undefined;
let tree: OperatorTree;
let deployed = false;
let ns: string;
const forwards: PortForward[] = [];

beforeAll(async () => {
  cluster = await step('cluster: current kubeconfig, a Ready node', () => connectCluster());
  tree = await renderOperatorTree(ROOT, APP);
  const managerImage = tree.manager.container.image;
  // The viewer image the manager puts into new books: what must be on the nodes.
  const viewerImage = tree.manager.container.env?.find((e) => e.name === 'MARKDOWN_VIEWER_IMAGE')?.value;
  expect(viewerImage, 'deploy/markdown-view sets MARKDOWN_VIEWER_IMAGE').toBeDefined();
  await step(`image ${viewerImage} (build + deliver)`, () =>
    buildAppImage(ROOT, 'markdown-viewer', viewerImage!, cluster!),
  );
  await step(`image ${managerImage} (build + deliver)`, () => buildAppImage(ROOT, APP, managerImage, cluster!));
  if (
    (await kubectlOk(cluster, ['get', 'namespace', tree.manager.namespace, '--ignore-not-found', '-o', 'name'])).trim()
  ) {
    await step('undeploy what an earlier run left', () => runNxTarget(ROOT, `${APP}:undeploy`, cluster!));
  }
  await step(`nx run ${APP}:deploy`, () => runNxTarget(ROOT, `${APP}:deploy`, cluster!));
  deployed = true;
  ns = await createTestNamespace(cluster, 'mdv-e2e-');
});

afterAll(async () => {
  try {
    for (const f of forwards) await f.stop();
    if (cluster && deployed && !process.env.E2E_KEEP) await runNxTarget(ROOT, `${APP}:undeploy`, cluster);
  } finally {
    await cluster?.stop();
    console.log(`\n${APP} e2e steps:\n${stepReport()}`);
  }
});

const viewerSelector = Object.entries(selectorLabels(SAMPLE))
  .map(([k, v]) => `${k}=${v}`)
  .join(',');

/** GET a path through the port-forward; the text of the page. */
async function fetchPage(forward: PortForward, path: string): Promise<string> {
  const res = await fetch(`${forward.url}${path}`, { signal: AbortSignal.timeout(10_000) });
  expect(res.status, `GET ${path}`).toBe(200);
  return res.text();
}

describe('markdown-view on a real cluster', () => {
  it('the manager Deployment is Available with the hardened securityContext', async () => {
    const pods = await step('manager Available', () =>
      waitForDeploymentAvailable(cluster!, tree.manager.namespace, tree.manager.name),
    );
    expect(pods).toHaveLength(1);
    const [pod] = pods as [PodLike];
    expect(hardeningProblems(pod.spec)).toEqual([]);
    console.log(
      `manager pod ${pod.metadata.name} securityContext: pod ${JSON.stringify(pod.spec.securityContext)}; ` +
        `container ${JSON.stringify((pod.spec.containers[0] as { securityContext?: unknown }).securityContext)}`,
    );
  });

  it('the sample MarkdownView becomes Available; its viewer pod is hardened too', async () => {
    await step('sample applied (kubectl apply -k deploy/markdown-view/samples)', () =>
      applyThroughWebhooks(cluster!, ['-n', ns, '-k', resolve(ROOT, 'deploy/markdown-view/samples')]),
    );
    await step('MarkdownView Available', () =>
      eventually(
        async () => {
          const view = JSON.parse(
            await kubectlOk(cluster!, ['get', '-n', ns, 'markdownview', SAMPLE, '-o', 'json']),
          ) as {
            status?: { conditions?: { type: string; status: string; message?: string }[] };
          };
          const available = view.status?.conditions?.find((c) => c.type === 'Available');
          const pods = await listPods(cluster!, ns, viewerSelector);
          expect(available?.status, `${JSON.stringify(view.status)}\n${describePods(pods)}`).toBe('True');
        },
        { timeout: 180_000, interval: 1000 },
      ),
    );
    const pods = await waitForDeploymentAvailable(cluster!, ns, viewerName(SAMPLE));
    expect(hardeningProblems(pods[0]!.spec)).toEqual([]);
    console.log(
      `viewer pod ${pods[0]!.metadata.name} securityContext: pod ${JSON.stringify(pods[0]!.spec.securityContext)}; ` +
        `container ${JSON.stringify((pods[0]!.spec.containers[0] as { securityContext?: unknown }).securityContext)}`,
    );
  });

  it('kubectl port-forward to the viewer Service serves the book; an edit of the MarkdownView shows up', async () => {
    const forward = await step(`kubectl port-forward svc/${viewerName(SAMPLE)} :80`, () =>
      portForward(cluster!, `svc/${viewerName(SAMPLE)}`, 80, { namespace: ns }),
    );
    forwards.push(forward);
    const index = await fetchPage(forward, '/');
    expect(index).toContain('Page 1');
    expect(await fetchPage(forward, '/page1.html')).toContain('一ページ目のコンテンツです');

    const marker = `Edited by the e2e suite at ${new Date().toISOString()}`;
    await kubectlOk(cluster!, [
      'patch',
      '-n',
      ns,
      'markdownview',
      SAMPLE,
      '--type',
      'merge',
      '-p',
      JSON.stringify({ spec: { markdowns: { 'page1.md': `# Page 1\n\n${marker}\n` } } }),
    ]);
    // The kubelet refreshes a mounted ConfigMap on its sync period (about a minute by default).
    await step('edit visible in the served page', () =>
      eventually(async () => expect(await fetchPage(forward, '/page1.html')).toContain(marker), {
        timeout: 240_000,
        interval: 2000,
      }),
    );
  });

  it('an invalid MarkdownView is refused by the validating webhook, through the API server', async () => {
    const invalid = {
      apiVersion: 'view.kubebuilder.example.com/v1',
      kind: 'MarkdownView',
      metadata: { name: 'no-summary', namespace: ns },
      spec: { markdowns: { 'page.md': '# no SUMMARY.md' } },
    };
    const r = await runKubectl(cluster!, ['create', '-f', '-'], { input: JSON.stringify(invalid) });
    expect(r.code, r.output).not.toBe(0);
    // Only the webhook knows this rule (the CRD schema does not require SUMMARY.md); its field
    // errors come back through the API server as an Invalid status, as controller-runtime's do.
    expect(r.stderr.trim()).toBe(
      'The MarkdownView "no-summary" is invalid: spec.markdowns: Required value: markdowns must have SUMMARY.md.',
    );
    const gone = await runKubectl(cluster!, ['get', '-n', ns, 'markdownview', 'no-summary']);
    expect(gone.stderr).toContain('NotFound');
  });

  it('the manager and the viewer never restarted', async () => {
    const pods = [
      ...(await listPods(cluster!, tree.manager.namespace, tree.manager.selector)),
      ...(await listPods(cluster!, ns, viewerSelector)),
    ];
    expect(pods.length, describePods(pods)).toBeGreaterThanOrEqual(2);
    for (const p of pods)
      for (const c of p.status?.containerStatuses ?? []) expect(c.restartCount, describePods(pods)).toBe(0);
  });

  it('nx run markdown-view:undeploy removes everything, and the book’s children with it', async () => {
    for (const f of forwards.splice(0)) await f.stop();
    await step(`nx run ${APP}:undeploy`, () => runNxTarget(ROOT, `${APP}:undeploy`, cluster!));
    deployed = false;
    await step('deploy tree gone', () => waitForTreeGone(ROOT, tree, cluster!));
    // The CRD went, so did the MarkdownView, and the garbage collector took its children.
    await step('viewer children garbage-collected', () =>
      eventually(
        async () => {
          const left = await kubectlOk(cluster!, [
            'get',
            '-n',
            ns,
            'deployments,services,configmaps',
            '-l',
            viewerSelector,
            '-o',
            'name',
          ]);
          expect(left.trim()).toBe('');
        },
        { timeout: 120_000, interval: 2000 },
      ),
    );
  });
});
