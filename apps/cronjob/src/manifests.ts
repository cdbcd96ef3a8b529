import type { WebhookServer } from '@kubeloop/runtime';
import { CronJob } from './api/v1/cron-job.ts';
import { cronJobController } from './controllers/cron-job.controller.ts';
import { setupCronJobWebhooks } from './webhooks/cron-job.webhook.ts';
import { CronJob as CronJobV2 } from './api/v2/cron-job.ts';
// +kubeloop:scaffold:imports

/**
 * The cronjob operator as `nx run cronjob:manifests` renders it: one CRD per kind under
 * deploy/cronjob/crd/, the manager's ClusterRole deploy/cronjob/rbac/role.yaml from the
 * permissions the controllers declare, and deploy/cronjob/webhook/manifests.yaml from the
 * webhooks' registrations. `nx g @kubeloop/nx:api` and `:webhook` add their lines at the
 * `+kubeloop:scaffold` markers; keep the markers.
 */
export const app = 'cronjob';
/**
 * The manager watches every namespace; its RBAC is a ClusterRole.
 */
export const namespaced = false;
export const kinds = [
  CronJob,
  CronJobV2,
  // +kubeloop:scaffold:kinds
];
export const controllers = [
  cronJobController,
  // +kubeloop:scaffold:controllers
];
export function webhooks(server: WebhookServer): void {
  void server;
  setupCronJobWebhooks(server);
  // +kubeloop:scaffold:webhooks
}

export default { app, namespaced, kinds, controllers, webhooks };
