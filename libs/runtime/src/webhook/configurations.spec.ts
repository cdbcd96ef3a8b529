import { describe, expect, it } from 'vitest';
import { defineKind, Type } from '../kinds/kind.ts';
import { webhookConfigurations, webhookName } from './configurations.ts';
import { WebhookServer } from './server.ts';

const RedisCluster = defineKind({
  group: 'bytewang123-redis.kubebuilder.io',
  version: 'v1',
  kind: 'RedisCluster',
  plural: 'redisclusters',
  scope: 'Namespaced',
  spec: Type.Object({ size: Type.Integer() }),
});

function registrations() {
  const s = new WebhookServer({ certDir: '' });
  s.defaulter(RedisCluster, () => {});
  s.validator(RedisCluster, { create: () => [] });
  return s.registrations();
}

describe('webhook configurations from registrations', () => {
  it('names webhooks as controller-gen does: m<kind>-<version>.kb.io / v<kind>-<version>.kb.io', () => {
    expect(webhookName('mutating', RedisCluster)).toBe('mrediscluster-v1.kb.io');
    expect(webhookName('validating', RedisCluster)).toBe('vrediscluster-v1.kb.io');
  });

  it("renders kubebuilder's configurations reached through the Service, with the CA annotation", () => {
    const { mutating, validating } = webhookConfigurations(registrations(), {
      app: 'redis-cluster',
      target: { service: { name: 'redis-cluster-webhook-service', namespace: 'redis-cluster-system' } },
      annotations: { 'cert-manager.io/inject-ca-from': 'redis-cluster-system/redis-cluster-serving-cert' },
    });
    expect(mutating).toEqual({
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'MutatingWebhookConfiguration',
      metadata: {
        name: 'redis-cluster-mutating-webhook-configuration',
        labels: { 'app.kubernetes.io/name': 'redis-cluster' },
        annotations: { 'cert-manager.io/inject-ca-from': 'redis-cluster-system/redis-cluster-serving-cert' },
      },
      webhooks: [
        {
          name: 'mrediscluster-v1.kb.io',
          admissionReviewVersions: ['v1'],
          clientConfig: {
            service: {
              name: 'redis-cluster-webhook-service',
              namespace: 'redis-cluster-system',
              path: '/mutate-bytewang123-redis-kubebuilder-io-v1-rediscluster',
              port: 443,
            },
          },
          failurePolicy: 'Fail',
          sideEffects: 'None',
          rules: [
            {
              apiGroups: ['bytewang123-redis.kubebuilder.io'],
              apiVersions: ['v1'],
              operations: ['CREATE', 'UPDATE'],
              resources: ['redisclusters'],
              scope: 'Namespaced',
            },
          ],
        },
      ],
    });
    // Only the operations the validator handles: a create-only validator is called on create only.
    expect(validating!.webhooks![0]).toMatchObject({
      name: 'vrediscluster-v1.kb.io',
      clientConfig: { service: { path: '/validate-bytewang123-redis-kubebuilder-io-v1-rediscluster' } },
      rules: [{ operations: ['CREATE'] }],
    });
  });

  it("reaches a local server by URL with its CA, and keeps a registration's own name", () => {
    const s = new WebhookServer({ certDir: '' });
    s.validator(RedisCluster, { create: () => [], update: () => [] }, { name: 'vredis.kb.io' });
    const { mutating, validating } = webhookConfigurations(s.registrations(), {
      app: 'r',
      target: { url: 'https://127.0.0.1:9443/', caBundle: 'Q0E=' },
    });
    expect(mutating).toBeUndefined();
    expect(validating!.metadata.annotations).toBeUndefined();
    expect(validating!.webhooks![0]).toMatchObject({
      name: 'vredis.kb.io',
      clientConfig: {
        url: 'https://127.0.0.1:9443/validate-bytewang123-redis-kubebuilder-io-v1-rediscluster',
        caBundle: 'Q0E=',
      },
      rules: [{ operations: ['CREATE', 'UPDATE'] }],
    });
  });

  it('leaves conversion registrations to the CRD', () => {
    const s = new WebhookServer({ certDir: '' }).converter(RedisCluster);
    expect(webhookConfigurations(s.registrations(), { app: 'r', target: { url: 'https://x', caBundle: '' } })).toEqual(
      {},
    );
  });
});
