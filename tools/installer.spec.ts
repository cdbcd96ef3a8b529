import { X509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { appConfig, findKubectl, managerContainer, parseArgs, renderApp, type RenderedObject } from './deploy.ts';
import { installerObjects } from './installer.ts';

const app = appConfig('markdown-view')!;
const certs = app.webhookCerts!;
const obj = (kind: string, name: string, extra: object = {}): RenderedObject => ({
  apiVersion: 'v1',
  kind,
  metadata: { name, namespace: certs.namespace },
  ...extra,
});
const tree = (): RenderedObject[] => [
  obj('Namespace', certs.namespace),
  obj('Deployment', app.deployment),
  obj('MutatingWebhookConfiguration', certs.mutating[0]!, {
    metadata: { name: certs.mutating[0]!, annotations: { 'cert-manager.io/inject-ca-from': 'x/y' } },
    webhooks: [{ clientConfig: {} }],
  }),
  obj('ValidatingWebhookConfiguration', certs.validating[0]!, {
    webhooks: [{ clientConfig: {} }, { clientConfig: {} }],
  }),
];
const log = () => {};

describe('build-installer', () => {
  it('reads --image, --out and --webhook-certs', () => {
    expect(
      parseArgs([
        'build-installer',
        'markdown-view',
        '--image=r/m:1',
        '--out',
        'x.yaml',
        '--webhook-certs',
        'self-signed',
      ]).options,
    ).toMatchObject({ image: 'r/m:1', out: 'x.yaml', webhookCerts: 'self-signed' });
    expect(() => parseArgs(['build-installer', 'math', '--webhook-certs', 'maybe'])).toThrow(
      /cert-manager or self-signed/,
    );
  });

  it('an app without webhooks installs exactly its rendered tree', async () => {
    const objects = [obj('Namespace', 'math-system'), obj('Deployment', 'math-controller-manager')];
    expect(
      await installerObjects(objects, { app: 'math', config: appConfig('math')!, webhookCerts: 'cert-manager', log }),
    ).toBe(objects);
  });

  it('cert-manager: adds the Issuer and Certificate, keeps the inject annotations, holds no key', async () => {
    const issued = [obj('Issuer', 'selfsigned-issuer'), obj('Certificate', 'serving-cert')];
    const out = await installerObjects(tree(), {
      app: 'markdown-view',
      config: app,
      webhookCerts: 'cert-manager',
      certManagerObjects: async () => issued,
      log,
    });
    expect(out.map((o) => o.kind)).toEqual([
      'Namespace',
      'Deployment',
      'MutatingWebhookConfiguration',
      'ValidatingWebhookConfiguration',
      'Issuer',
      'Certificate',
    ]);
    expect(JSON.stringify(out)).not.toContain('PRIVATE KEY');
  });

  it('self-signed: the Secret right after its Namespace, and every webhook trusts its CA', async () => {
    const out = await installerObjects(tree(), { app: 'markdown-view', config: app, webhookCerts: 'self-signed', log });
    expect(out.map((o) => o.kind)).toEqual([
      'Namespace',
      'Secret',
      'Deployment',
      'MutatingWebhookConfiguration',
      'ValidatingWebhookConfiguration',
    ]);
    const secret = out[1] as RenderedObject & { data: Record<string, string> };
    expect(secret.metadata).toMatchObject({ name: certs.secretName, namespace: certs.namespace });
    const ca = new X509Certificate(Buffer.from(secret.data['ca.crt']!, 'base64'));
    const leaf = new X509Certificate(Buffer.from(secret.data['tls.crt']!, 'base64'));
    expect(leaf.checkIssued(ca)).toBe(true);
    expect(leaf.subjectAltName).toContain(`DNS:${certs.serviceName}.${certs.namespace}.svc`);
    const hooks = out
      .filter((o) => o.kind.endsWith('WebhookConfiguration'))
      .flatMap((o) => (o as unknown as { webhooks: { clientConfig: { caBundle: string } }[] }).webhooks);
    expect(hooks).toHaveLength(3);
    for (const h of hooks) expect(h.clientConfig.caBundle).toBe(secret.data['ca.crt']);
    expect(out[3]!.metadata.annotations).toEqual({});
    // The input is not modified.
    expect(tree()[2]!.metadata.annotations).toBeDefined();
  });

  it.skipIf(!findKubectl())('renderApp sets the manager image when asked (IMG)', async () => {
    const { container } = managerContainer(
      await renderApp('math', { image: 'registry.example/math:e2e' }),
      appConfig('math')!,
    );
    expect(container.image).toBe('registry.example/math:e2e');
    const { container: plain } = managerContainer(await renderApp('math'), appConfig('math')!);
    expect(plain.image).toBe('ghcr.io/kubeloop/math:0.1.0');
  });
});
