import type { Manager } from '@kubeloop/runtime';
import {
  myCronJobController,
  newMyCronJobController,
  type MyCronJobControllerOptions,
} from './controllers/my-cron-job.controller.ts';
import { controllers, webhooks } from './manifests.ts';

/**
 * Everything the mycronjob manager runs: the controllers and webhooks listed in manifests.ts
 * (the generators add them there). Shared by main.ts and the tests, so both run the same thing;
 * tests pass a clock of their own (the MyCronJob controller reads the time only through it).
 */
export function setupMycronjob(mgr: Manager, options: MyCronJobControllerOptions = {}): void {
  for (const controller of controllers)
    mgr.add(controller === myCronJobController && options.clock ? newMyCronJobController(options) : controller);
  webhooks(mgr.webhooks);
}
