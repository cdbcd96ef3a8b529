import { eventually, operatorTestHarness } from '@kubeloop/envtest';
import { Client, crdFor, startLocalManager } from '@kubeloop/runtime';
import { MarkdownView, type MarkdownViewObject } from '../src/api/v1/markdown-view.ts';
import { setupMarkdownView } from '../src/setup.ts';

export const TEST_VIEWER_IMAGE = 'registry.example/markdown-viewer:test';

/**
 * A control plane with the MarkdownView CRD, and the markdown-view manager running in-process
 * with its webhook server on a free local port. Both webhook configurations are registered
 * pointing at that URL with the test CA, so admission goes through the API server exactly as in
 * a cluster (where the Service is the only difference). `webhookUrl` and `caPem` are that
 * server's; `availability` is the manager's gauge.
 */
export const startMarkdownView = operatorTestHarness({
  crds: [crdFor(MarkdownView)],
  namespacePrefix: 'mdv-probe-',
  async start({ cp, namespace }) {
    const local = await startLocalManager({
      name: 'markdown-view',
      kubeConfig: cp.kubeConfig,
      setup: (mgr) => setupMarkdownView(mgr, { viewerImage: TEST_VIEWER_IMAGE }),
    });
    const { webhookUrl } = local;
    if (!webhookUrl) {
      await local.stop();
      throw new Error('the manager did not start its webhook server');
    }
    const client = new Client(cp.kubeConfig, { fieldManager: 'markdown-view-test' });
    // The API server picks up new webhook configurations asynchronously (a real one within about a
    // second): wait until the validating webhook answers for a dry-run create.
    await eventually(
      async () => {
        const error = await client
          .resource(MarkdownView)
          .create(newView(namespace, 'probe', { markdowns: { 'page.md': 'x' } }), { dryRun: true })
          .then(
            () => undefined,
            (e: unknown) => e as Error,
          );
        if (!error || !String(error.message).includes('vmarkdownview.kb.io'))
          throw new Error(`webhook not active yet: ${error?.message}`);
      },
      { timeout: 20_000, interval: 200 },
    ).catch(async (error: unknown) => {
      await local.stop();
      throw error;
    });
    return { ...local, webhookUrl, client, availability: local.setup.availability };
  },
});

export type MarkdownViewEnv = Awaited<ReturnType<typeof startMarkdownView>>;

export function newView(
  namespace: string,
  name: string,
  spec: Partial<MarkdownViewObject['spec']> = {},
): MarkdownViewObject {
  return {
    apiVersion: 'view.kubebuilder.example.com/v1',
    kind: 'MarkdownView',
    metadata: { name, namespace },
    spec: {
      markdowns: {
        'SUMMARY.md': '# Summary\n\n- [Page 1](page1.md)\n- [Page 2](page2.md)\n',
        'page1.md': '# Page 1\n',
        'page2.md': '# Page 2\n',
      },
      ...spec,
    },
  };
}
