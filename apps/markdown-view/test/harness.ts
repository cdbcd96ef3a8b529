import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestNamespace, eventually, startControlPlane, type ControlPlane } from '@kubeloop/envtest';
import {
  Client,
  createLogger,
  crdFor,
  ensureLocalWebhookCerts,
  Manager,
  registerLocalWebhooks,
} from '@kubeloop/runtime';
import { MarkdownView, type MarkdownViewObject } from '../src/api/v1/markdown-view.ts';
import type { AvailabilityGauge } from '../src/metrics/availability.ts';
import { setupMarkdownView } from '../src/setup.ts';

export const TEST_VIEWER_IMAGE = 'registry.example/markdown-viewer:test';

export interface MarkdownViewEnv {
  cp: ControlPlane;
  client: Client;
  mgr: Manager;
  availability: AvailabilityGauge;
  /** https://127.0.0.1:PORT of the manager's webhook server, and the CA that signed it. */
  webhookUrl: string;
  caPem: string;
  stop(): Promise<void>;
}

/**
 * A control plane with the MarkdownView CRD, and the markdown-view manager running in-process
 * with its webhook server on a free local port. Both webhook configurations are registered
 * pointing at that URL with the test CA, so admission goes through the API server exactly as in
 * a cluster (where the Service is the only difference).
 */
export async function startMarkdownView(): Promise<MarkdownViewEnv> {
  const cp = await startControlPlane({ crds: [crdFor(MarkdownView)] });
  const certs = ensureLocalWebhookCerts(mkdtempSync(join(tmpdir(), 'mdv-webhook-')), ['127.0.0.1', 'localhost']);
  const abort = new AbortController();
  const mgr = new Manager({
    name: 'markdown-view',
    kubeConfig: cp.kubeConfig,
    metricsBindAddress: '0',
    healthProbeBindAddress: '0',
    leaderElection: false,
    gracefulShutdownMs: 5_000,
    webhook: { port: 0, host: '127.0.0.1', certDir: certs.certDir },
    logger: createLogger({ level: process.env['LOG_LEVEL'] ?? 'silent' }),
  });
  const { availability } = setupMarkdownView(mgr, { viewerImage: TEST_VIEWER_IMAGE });
  const running = mgr.start(abort.signal);
  running.catch(() => {});
  const { webhook } = await mgr.serving();
  if (!webhook) throw new Error('the manager did not start its webhook server');
  const client = new Client(cp.kubeConfig, { fieldManager: 'markdown-view-test' });
  await registerLocalWebhooks(client, 'markdown-view', mgr.webhooks.registrations(), {
    url: webhook,
    caBundle: certs.caBundle,
  });

  // The API server picks up new webhook configurations asynchronously (a real one within about a
  // second): wait until the validating webhook answers for a dry-run create.
  const probeNs = await createTestNamespace(cp, 'mdv-probe-');
  await eventually(
    async () => {
      const error = await client
        .resource(MarkdownView)
        .create(newView(probeNs, 'probe', { markdowns: { 'page.md': 'x' } }), { dryRun: true })
        .then(
          () => undefined,
          (e: unknown) => e as Error,
        );
      if (!error || !String(error.message).includes('vmarkdownview.kb.io'))
        throw new Error(`webhook not active yet: ${error?.message}`);
    },
    { timeout: 20_000, interval: 200 },
  );

  return {
    cp,
    client,
    mgr,
    availability,
    webhookUrl: webhook,
    caPem: certs.caPem,
    async stop() {
      abort.abort();
      await running.catch(() => {});
      await cp.stop();
    },
  };
}

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
