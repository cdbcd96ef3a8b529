import type { WebhookServer } from '@kubeloop/runtime';
import { MarkdownView } from '../api/v1/markdown-view.ts';
import { DEFAULT_VIEWER_IMAGE } from '../desired/viewer.ts';
import { defaultMarkdownView, validateMarkdownView } from './markdown-view.validation.ts';

/**
 * Webhook names as the original kubebuilder project registered them (users' configs name them),
 * rather than today's default `mmarkdownview-v1.kb.io`.
 */
export const MUTATING_WEBHOOK_NAME = 'mmarkdownview.kb.io';
export const VALIDATING_WEBHOOK_NAME = 'vmarkdownview.kb.io';

/**
 * Registers the defaulting and validating webhooks on the manager's webhook server; `nx run
 * markdown-view:manifests` renders deploy/markdown-view/webhook/manifests.yaml from the same
 * registrations. Deletes are not validated: refusing to delete a broken object would leave
 * users stuck with it.
 */
export function setupMarkdownViewWebhooks(
  webhooks: Pick<WebhookServer, 'defaulter' | 'validator'>,
  defaultViewerImage = DEFAULT_VIEWER_IMAGE,
): void {
  webhooks.defaulter(MarkdownView, (view) => defaultMarkdownView(view, defaultViewerImage), {
    name: MUTATING_WEBHOOK_NAME,
  });
  webhooks.validator(
    MarkdownView,
    {
      create: (view) => validateMarkdownView(view, 'CREATE'),
      update: (_old, view) => validateMarkdownView(view, 'UPDATE'),
    },
    { name: VALIDATING_WEBHOOK_NAME },
  );
}
