import type { Manager } from '@kubeloop/runtime';
import { controllers, webhooks } from './manifests.ts';

/**
 * Everything the mycronjob manager runs: the controllers and webhooks listed in manifests.ts
 * (the generators add them there). Shared by main.ts and the tests, so both run the same thing.
 */
export function setupMycronjob(mgr: Manager): void {
  for (const controller of controllers) mgr.add(controller);
  webhooks(mgr.webhooks);
}
