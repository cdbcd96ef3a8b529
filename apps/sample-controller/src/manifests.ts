import type { WebhookServer } from '@kubeloop/runtime';
import { Foo } from './api/v1alpha1/foo.ts';
import { fooController } from './controllers/foo.controller.ts';
// +kubeloop:scaffold:imports

/**
 * The sample-controller operator as `nx run sample-controller:manifests` renders it: one CRD per kind under
 * deploy/sample-controller/crd/, the manager's ClusterRole deploy/sample-controller/rbac/role.yaml from the
 * permissions the controllers declare, and deploy/sample-controller/webhook/manifests.yaml from the
 * webhooks' registrations. `nx g @kubeloop/nx:api` and `:webhook` add their lines at the
 * `+kubeloop:scaffold` markers; keep the markers.
 */
export const app = 'sample-controller';
/**
 * The manager watches every namespace; its RBAC is a ClusterRole.
 */
export const namespaced = false;
export const kinds = [
  Foo,
  // +kubeloop:scaffold:kinds
];
export const controllers = [
  fooController,
  // +kubeloop:scaffold:controllers
];
export function webhooks(server: WebhookServer): void {
  void server;
  // +kubeloop:scaffold:webhooks
}

export default { app, namespaced, kinds, controllers, webhooks };
