import type { WebhookServer } from '@kubeloop/runtime';
import { MyCronJob } from './api/v1/my-cron-job.ts';
import { myCronJobController } from './controllers/my-cron-job.controller.ts';
// +kubeloop:scaffold:imports

/**
 * The mycronjob operator as `nx run mycronjob:manifests` renders it: one CRD per kind under
 * deploy/mycronjob/crd/, the manager's ClusterRole deploy/mycronjob/rbac/role.yaml from the
 * permissions the controllers declare, and deploy/mycronjob/webhook/manifests.yaml from the
 * webhooks' registrations. `nx g @kubeloop/nx:api` and `:webhook` add their lines at the
 * `+kubeloop:scaffold` markers; keep the markers.
 */
export const app = 'mycronjob';
/**
 * The manager watches every namespace; its RBAC is a ClusterRole.
 */
export const namespaced = false;
export const kinds = [
  MyCronJob,
  // +kubeloop:scaffold:kinds
];
export const controllers = [
  myCronJobController,
  // +kubeloop:scaffold:controllers
];
export function webhooks(server: WebhookServer): void {
  void server;
  // +kubeloop:scaffold:webhooks
}

export default { app, namespaced, kinds, controllers, webhooks };
