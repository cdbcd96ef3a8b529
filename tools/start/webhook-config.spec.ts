import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { loadManifests } from '@kubeloop/envtest';
import { localWebhookConfigurations } from './webhook-config.ts';

const root = join(import.meta.dirname, '../..');

describe('localWebhookConfigurations', () => {
  it('points the committed markdown-view webhooks at a local URL with the CA, keeping rules and policy', () => {
    const docs = loadManifests(join(root, 'deploy/markdown-view/webhook/manifests.yaml'));
    const out = localWebhookConfigurations(docs, 'https://127.0.0.1:9443', 'CA PEM') as {
      kind: string;
      metadata: { annotations?: Record<string, string> };
      webhooks: { name: string; clientConfig: object; rules: object[]; failurePolicy: string }[];
    }[];
    expect(out.map((c) => c.kind).sort()).toEqual(['MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration']);
    const hooks = out.flatMap((c) => c.webhooks);
    expect(hooks.map((h) => h.name).sort()).toEqual(['mmarkdownview.kb.io', 'vmarkdownview.kb.io']);
    for (const hook of hooks) {
      expect(hook.clientConfig).toEqual({
        url: expect.stringMatching(/^https:\/\/127\.0\.0\.1:9443\/(mutate|validate)-view-kubebuilder-example-com-v1-markdownview$/),
        caBundle: Buffer.from('CA PEM').toString('base64'),
      });
      expect(hook.failurePolicy).toBe('Fail');
      expect(hook.rules.length).toBeGreaterThan(0);
    }
    for (const c of out) expect(c.metadata.annotations?.['cert-manager.io/inject-ca-from']).toBeUndefined();
    // the input is left alone
    expect(JSON.stringify(docs)).toContain('markdown-view-webhook-service');
  });

  it('fails when the input holds no webhook configuration', () => {
    expect(() => localWebhookConfigurations([{ kind: 'Service' }], 'https://x', 'ca')).toThrow(/no Mutating\/ValidatingWebhookConfiguration/);
  });
});
