import type { Manager } from '@kubeloop/runtime';
import {
  cronJobController,
  newCronJobController,
  type CronJobControllerOptions,
} from './controllers/cron-job.controller.ts';
import { controllers, webhooks } from './manifests.ts';

/**
 * Everything the cronjob manager runs: the controllers and webhooks listed in manifests.ts
 * (the generators add them there). Shared by main.ts and the tests, so both run the same thing;
 * tests pass a clock of their own (the CronJob controller reads the time only through it).
 */
export function setupCronjob(mgr: Manager, options: CronJobControllerOptions = {}): void {
  for (const controller of controllers)
    mgr.add(controller === cronJobController && options.clock ? newCronJobController(options) : controller);
  webhooks(mgr.webhooks);
}
