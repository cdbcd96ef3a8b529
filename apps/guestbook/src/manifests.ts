import type { WebhookServer } from '@kubeloop/runtime';
import { Guestbook } from './api/v1/guestbook.ts';
import { guestbookController } from './controllers/guestbook.controller.ts';
// +kubeloop:scaffold:imports

/**
 * The guestbook operator as `nx run guestbook:manifests` renders it: one CRD per kind under
 * deploy/guestbook/crd/, the manager's Role deploy/guestbook/rbac/role.yaml from the
 * permissions the controllers declare, and deploy/guestbook/webhook/manifests.yaml from the
 * webhooks' registrations. `nx g @kubeloop/nx:api` and `:webhook` add their lines at the
 * `+kubeloop:scaffold` markers; keep the markers.
 */
export const app = 'guestbook';
/**
 * The manager watches only WATCH_NAMESPACE; its RBAC is a Role in that namespace.
 */
export const namespaced = true;
export const kinds = [
  Guestbook,
  // +kubeloop:scaffold:kinds
];
export const controllers = [
  guestbookController,
  // +kubeloop:scaffold:controllers
];
export function webhooks(server: WebhookServer): void {
  void server;
  // +kubeloop:scaffold:webhooks
}

export default { app, namespaced, kinds, controllers, webhooks };
