import type { Manager } from '@kubeloop/runtime';
import { markdownViewController } from './controllers/markdown-view.controller.ts';
import { DEFAULT_VIEWER_IMAGE } from './desired/viewer.ts';
import { createAvailabilityMetric, type AvailabilityGauge } from './metrics/availability.ts';
import { setupMarkdownViewWebhooks } from './webhooks/markdown-view.webhook.ts';

export interface MarkdownViewSetup {
  /** Image new MarkdownViews get (MARKDOWN_VIEWER_IMAGE). */
  viewerImage?: string;
}

/**
 * Everything the markdown-view manager runs: the controller, the `markdownview_available`
 * gauge on the manager's registry, and both webhooks (served only when the manager's webhook
 * server is enabled: ENABLE_WEBHOOKS=false turns it off). Shared by main.ts (also what `nx run
 * markdown-view:serve` runs) and the integration tests, so both run the same thing.
 */
export function setupMarkdownView(mgr: Manager, opts: MarkdownViewSetup = {}): { availability: AvailabilityGauge } {
  const viewerImage = opts.viewerImage || DEFAULT_VIEWER_IMAGE;
  const availability = createAvailabilityMetric(mgr.registry);
  mgr.add(markdownViewController({ defaultViewerImage: viewerImage, availability }));
  setupMarkdownViewWebhooks(mgr.webhooks, viewerImage);
  return { availability };
}
