import { runManager } from '@kubeloop/runtime';
import { setupMarkdownView } from './setup.ts';

/**
 * The markdown-view manager, as the container runs it. Flags and environment as every kubeloop
 * manager (--kubeconfig, --metrics-bind-address, --health-probe-bind-address, --leader-elect,
 * --webhook-port, --cert-dir / WEBHOOK_CERT_DIR, ENABLE_WEBHOOKS=false, --local-webhooks), plus
 * MARKDOWN_VIEWER_IMAGE: the viewer image new books get. `nx run markdown-view:serve` runs it
 * with --local-webhooks: a local CA under .kubeloop/markdown-view/webhook-certs and both webhook
 * configurations registered with https://127.0.0.1:<WEBHOOK_PORT, default 9443>.
 */
await runManager('markdown-view', (mgr) => {
  setupMarkdownView(mgr, { viewerImage: process.env['MARKDOWN_VIEWER_IMAGE'] });
});
