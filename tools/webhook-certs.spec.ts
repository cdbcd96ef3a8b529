import { X509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createCA, createCert } from '@kubeloop/certs';
import { tlsSecret, webhookCertSteps, type WebhookCertConfig } from './webhook-certs.ts';

const config: WebhookCertConfig = {
  namespace: 'demo-system',
  secretName: 'demo-webhook-server-cert',
  serviceName: 'demo-webhook-service',
  mutating: ['demo-mutating'],
  validating: ['demo-validating'],
  namespaceManifest: 'namespace.yaml',
  certManagerDir: 'cert-manager',
};

describe('webhook certificate steps', () => {
  it('a dry run creates nothing and patches nothing', async () => {
    const steps = webhookCertSteps(config);
    const calls: string[][] = [];
    const ctx = {
      options: { dryRun: true, timeout: '1s' },
      dir: '/x',
      log: () => {},
      kubectl: async (args: string[]) => (calls.push(args), 0),
    };
    await steps.beforeApply[0]!.run(ctx as never);
    await steps.afterApply[0]!.run(ctx as never);
    expect(calls).toEqual([]);
  });

  it('stores the serving pair and the CA in a kubernetes.io/tls Secret the manager can mount', () => {
    const ca = createCA({ commonName: 'test-ca' });
    const leaf = createCert(ca, {
      commonName: 'demo-webhook-service.demo-system.svc',
      dnsNames: ['demo-webhook-service.demo-system.svc'],
    });
    const secret = tlsSecret(config, ca.cert, leaf.cert, leaf.key) as {
      type: string;
      metadata: { name: string; namespace: string };
      data: Record<string, string>;
    };
    expect(secret.type).toBe('kubernetes.io/tls');
    expect(secret.metadata).toMatchObject({ name: 'demo-webhook-server-cert', namespace: 'demo-system' });
    const decoded = (k: string) => Buffer.from(secret.data[k]!, 'base64').toString('utf8');
    expect(new X509Certificate(decoded('tls.crt')).checkIssued(new X509Certificate(decoded('ca.crt')))).toBe(true);
    expect(decoded('tls.key')).toContain('PRIVATE KEY');
  });
});
