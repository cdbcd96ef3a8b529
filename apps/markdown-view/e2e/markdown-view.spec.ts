import { resolve } from 'node:path';
import {
  describeOperatorE2E,
  describePods,
  eventually,
  hardeningProblems,
  kubectlOk,
  listPods,
  portForward,
  runKubectl,
  step,
  waitForDeploymentAvailable,
  type OperatorE2E,
  type PortForward,
} from '@kubeloop/envtest';
import { expect, it } from 'vitest';
import { selectorLabels, viewerName } from '../src/desired/viewer.ts';

/**
 * markdown-view as a user runs it (kubebuilder's `make test-e2e`): both images (manager and
 * viewer) built from the workspace Dockerfile and delivered to the cluster, `nx run
 * markdown-view:deploy` (webhook certificates included), the sample book Available with a
 * hardened viewer pod, served through `kubectl port-forward` to its Service, an edit showing up
 * in the served page, an invalid MarkdownView refused by the webhook through the API server, and
 * `nx run markdown-view:undeploy` taking the book's children with it. Fails, saying why, when the
 * current kubeconfig has no Ready node.
 */
const SAMPLE = 'markdownview-sample';

const viewerSelector = Object.entries(selectorLabels(SAMPLE))
  .map(([k, v]) => `${k}=${v}`)
  .join(',');

/** GET a path through the port-forward; the text of the page. */
async function fetchPage(forward: PortForward, path: string): Promise<string> {
  const res = await fetch(`${forward.url}${path}`, { signal: AbortSignal.timeout(10_000) });
  expect(res.status, `GET ${path}`).toBe(200);
  return res.text();
}

const viewerPods = (e2e: OperatorE2E) => listPods(e2e.cluster, e2e.namespace, viewerSelector);

describeOperatorE2E({
  root: resolve(import.meta.dirname, '../../..'),
  app: 'markdown-view',
  // The viewer image the manager puts into new books: what must be on the nodes.
  images: (tree) => {
    const viewer = tree.manager.container.env?.find((e) => e.name === 'MARKDOWN_VIEWER_IMAGE')?.value;
    if (!viewer) throw new Error('deploy/markdown-view does not set MARKDOWN_VIEWER_IMAGE on the manager');
    return [{ app: 'markdown-viewer', tag: viewer }];
  },
  expectSamples: [`MarkdownView/${SAMPLE}`],
  samplesTitle: 'the sample MarkdownView becomes Available',
  // The viewer pod starts on the node: its image is delivered, not pulled, but it still starts.
  samplesTimeout: 180_000,
  async checkSample(view, e2e) {
    const available = view.status?.conditions?.find((c) => c.type === 'Available');
    expect(available?.status, `${JSON.stringify(view.status)}\n${describePods(await viewerPods(e2e))}`).toBe('True');
  },
  tests: (e2e) => {
    it('the viewer pod is hardened too', async () => {
      const pods = await waitForDeploymentAvailable(e2e.cluster, e2e.namespace, viewerName(SAMPLE));
      expect(hardeningProblems(pods[0]!.spec)).toEqual([]);
      console.log(
        `viewer pod ${pods[0]!.metadata.name} securityContext: pod ${JSON.stringify(pods[0]!.spec.securityContext)}; ` +
          `container ${JSON.stringify((pods[0]!.spec.containers[0] as { securityContext?: unknown }).securityContext)}`,
      );
    });

    it('kubectl port-forward to the viewer Service serves the book; an edit of the MarkdownView shows up', async () => {
      const forward = await step(`kubectl port-forward svc/${viewerName(SAMPLE)} :80`, () =>
        portForward(e2e.cluster, `svc/${viewerName(SAMPLE)}`, 80, { namespace: e2e.namespace }),
      );
      try {
        const index = await fetchPage(forward, '/');
        expect(index).toContain('Page 1');
        expect(await fetchPage(forward, '/page1.html')).toContain('一ページ目のコンテンツです');

        const marker = `Edited by the e2e suite at ${new Date().toISOString()}`;
        await kubectlOk(e2e.cluster, [
          'patch',
          '-n',
          e2e.namespace,
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
      } finally {
        await forward.stop();
      }
    });

    it('an invalid MarkdownView is refused by the validating webhook, through the API server', async () => {
      const invalid = {
        apiVersion: 'view.kubebuilder.example.com/v1',
        kind: 'MarkdownView',
        metadata: { name: 'no-summary', namespace: e2e.namespace },
        spec: { markdowns: { 'page.md': '# no SUMMARY.md' } },
      };
      const r = await runKubectl(e2e.cluster, ['create', '-f', '-'], { input: JSON.stringify(invalid) });
      expect(r.code, r.output).not.toBe(0);
      // Only the webhook knows this rule (the CRD schema does not require SUMMARY.md); its field
      // errors come back through the API server as an Invalid status, as controller-runtime's do.
      expect(r.stderr.trim()).toBe(
        'The MarkdownView "no-summary" is invalid: spec.markdowns: Required value: markdowns must have SUMMARY.md.',
      );
      const gone = await runKubectl(e2e.cluster, ['get', '-n', e2e.namespace, 'markdownview', 'no-summary']);
      expect(gone.stderr).toContain('NotFound');
    });

    it('the viewer never restarted', async () => {
      const pods = await viewerPods(e2e);
      expect(pods.length, describePods(pods)).toBeGreaterThan(0);
      for (const p of pods)
        for (const c of p.status?.containerStatuses ?? []) expect(c.restartCount, describePods(pods)).toBe(0);
    });
  },
  // The CRD went, so did the MarkdownView, and the garbage collector took its children.
  async undeployed(e2e) {
    const left = await kubectlOk(e2e.cluster, [
      'get',
      '-n',
      e2e.namespace,
      'deployments,services,configmaps',
      '-l',
      viewerSelector,
      '-o',
      'name',
    ]);
    expect(left.trim()).toBe('');
  },
});
