import type { WebhookServer } from '@kubeloop/runtime';
import { RedisCluster } from './api/v1/redis-cluster.ts';
import { redisClusterController } from './controllers/redis-cluster.controller.ts';
import { setupRedisClusterWebhooks } from './webhooks/redis-cluster.webhook.ts';
// +kubeloop:scaffold:imports

/**
 * The redis-cluster operator as `nx run redis-cluster:manifests` renders it: one CRD per kind under
 * deploy/redis-cluster/crd/, the manager's ClusterRole deploy/redis-cluster/rbac/role.yaml from the
 * permissions the controllers declare, and deploy/redis-cluster/webhook/manifests.yaml from the
 * webhooks' registrations. `nx g @kubeloop/nx:api` and `:webhook` add their lines at the
 * `+kubeloop:scaffold` markers; keep the markers.
 */
export const app = 'redis-cluster';
/**
 * The manager watches every namespace; its RBAC is a ClusterRole.
 */
export const namespaced = false;
export const kinds = [
  RedisCluster,
  // +kubeloop:scaffold:kinds
];
export const controllers = [
  redisClusterController,
  // +kubeloop:scaffold:controllers
];
export function webhooks(server: WebhookServer): void {
  setupRedisClusterWebhooks(server);
  // +kubeloop:scaffold:webhooks
}

export default { app, namespaced, kinds, controllers, webhooks };
