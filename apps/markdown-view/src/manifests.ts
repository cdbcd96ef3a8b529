import type { WebhookServer } from '@kubeloop/runtime';
import { MarkdownView } from './api/v1/markdown-view.ts';
import { markdownViewController } from './controllers/markdown-view.controller.ts';
import { setupMarkdownViewWebhooks } from './webhooks/markdown-view.webhook.ts';

/**
 * Everything `nx run markdown-view:manifests` turns into YAML: the CRD under
 * deploy/markdown-view/crd/, the ClusterRole deploy/markdown-view/rbac/role.yaml from the
 * permissions the controller declares, and deploy/markdown-view/webhook/manifests.yaml from the
 * webhooks' registrations.
 */
export const app = 'markdown-view';
export const kinds = [MarkdownView];
export const controllers = [markdownViewController()];
export const webhooks = (server: WebhookServer) => setupMarkdownViewWebhooks(server);

export default { app, kinds, controllers, webhooks };
