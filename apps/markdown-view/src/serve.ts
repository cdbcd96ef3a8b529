import { ensureLocalWebhookCerts, runManager } from '@kubeloop/runtime';
import { resolve } from 'node:path';
import { setupMarkdownView } from './setup.ts';
import { applyWebhookConfigurations, webhookConfigurationsFor } from './webhooks/markdown-view.webhook.ts';

/**
 * `nx run markdown-view:serve` — the manager on a developer's machine against the current
 * kubeconfig (kubebuilder's `make run`). With webhooks (the default) it makes a self-signed CA
 * and serving certificate under .kubeloop/markdown-view/webhook-certs (reused while valid),
 * serves the webhooks on https://127.0.0.1:<WEBHOOK_PORT, default 9443>, and registers both
 * webhook configurations with that URL and CA — which works when the API server runs on this
 * machine (the local API server, or a kube-apiserver started here). ENABLE_WEBHOOKS=false runs
 * the controller alone.
 */
const env = process.env;
const webhooks = env['ENABLE_WEBHOOKS'] !== 'false';
let caBundle = '';
if (webhooks) {
  const certDir = env['WEBHOOK_CERT_DIR'] || resolve('.kubeloop/markdown-view/webhook-certs');
  caBundle = ensureLocalWebhookCerts(certDir, ['localhost', '127.0.0.1']).caBundle;
  env['WEBHOOK_CERT_DIR'] = certDir;
}

await runManager('markdown-view', async (mgr) => {
  setupMarkdownView(mgr, { viewerImage: env['MARKDOWN_VIEWER_IMAGE'] });
  if (!webhooks) {
    mgr.logger.info('ENABLE_WEBHOOKS=false: running without admission webhooks');
    return;
  }
  const port = (mgr.options.webhook || {}).port ?? 9443;
  const url = `https://127.0.0.1:${port}`;
  await applyWebhookConfigurations(mgr.client, webhookConfigurationsFor(url, caBundle));
  mgr.logger.info({ url }, 'registered the mutating and validating webhook configurations for this local manager');
});
