import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadManifests } from '@kubeloop/envtest';
import {
  crdYaml,
  mutatingConfigurationName,
  mutatePath,
  validatingConfigurationName,
  validatePath,
  webhookConfigurations,
  WebhookServer,
} from '@kubeloop/runtime';
import { describe, expect, it } from 'vitest';
import { MarkdownView, type MarkdownViewObject } from '../src/api/v1/markdown-view.ts';
import { validateMarkdownView } from '../src/webhooks/markdown-view.validation.ts';
import { webhooks } from '../src/manifests.ts';

const MUTATING_CONFIGURATION = mutatingConfigurationName('markdown-view');
const VALIDATING_CONFIGURATION = validatingConfigurationName('markdown-view');
/** What `serve` registers: the same webhooks, reached by URL. */
const webhookConfigurationsFor = (url: string, caBundle: string) => {
  const server = new WebhookServer({ certDir: '' });
  webhooks(server);
  return webhookConfigurations(server.registrations(), { app: 'markdown-view', target: { url, caBundle } });
};

const ROOT = resolve(import.meta.dirname, '../../..');
const DEPLOY = join(ROOT, 'deploy/markdown-view');
const hasKubectl = spawnSync('sh', ['-c', 'command -v kubectl']).status === 0;

type Obj = {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; annotations?: Record<string, string> };
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- generated manifests: the tests walk into their fields and expect() checks each one
  [k: string]: any;
};
const kustomize = (dir: string): Obj[] => {
  const r = spawnSync('kubectl', ['kustomize', dir], { encoding: 'utf8' });
  expect(r.stderr).toBe('');
  return loadManifests(r.stdout) as Obj[];
};

describe('deploy/markdown-view generated files', () => {
  it('the committed CRD is what `nx run markdown-view:manifests` renders', () => {
    const file = join(DEPLOY, 'crd', `${MarkdownView.group}_${MarkdownView.plural}.yaml`);
    expect(readFileSync(file, 'utf8'), 'run `npx nx run markdown-view:manifests` and commit deploy/markdown-view').toBe(
      crdYaml(MarkdownView, { app: 'markdown-view' }),
    );
  });

  it('the committed CRD, ClusterRole and webhook configurations are up to date (manifests --check)', () => {
    const r = spawnSync(
      process.execPath,
      ['--import', 'tsx', '--conditions=@kubeloop/source', 'tools/manifests.ts', 'markdown-view', '--check'],
      { cwd: ROOT, encoding: 'utf8' },
    );
    expect(r.stderr + r.stdout).toContain('up to date');
    expect(r.status).toBe(0);
  }, 120_000); // a tsx process that loads every kind: seconds, more on a busy machine

  it('the CRD carries the replicas bounds and default, short name, category and columns', () => {
    const [crd] = loadManifests(join(DEPLOY, 'crd', `${MarkdownView.group}_${MarkdownView.plural}.yaml`)) as Obj[];
    const version = crd!.spec.versions[0];
    expect(version.schema.openAPIV3Schema.properties.spec.properties.replicas).toMatchObject({
      minimum: 1,
      maximum: 5,
      default: 1,
    });
    expect(version.schema.openAPIV3Schema.properties.spec.properties.markdowns).toMatchObject({
      type: 'object',
      additionalProperties: { type: 'string' },
    });
    expect(crd!.spec.names).toMatchObject({ shortNames: ['mdv'], categories: ['kubeloop'] });
    expect(version.additionalPrinterColumns.map((c: { name: string }) => c.name)).toEqual([
      'Replicas',
      'Available',
      'Age',
    ]);
    expect(version.subresources).toEqual({ status: {} });
  });
});

describe('deploy/markdown-view/samples', () => {
  it('one MarkdownView with a SUMMARY.md and two pages, valid for the webhook', () => {
    const files = readdirSync(join(DEPLOY, 'samples')).filter((f) => f !== 'kustomization.yaml');
    expect(files).toEqual(['view_v1_markdownview.yaml']);
    const [sample] = loadManifests(join(DEPLOY, 'samples', files[0]!)) as unknown as MarkdownViewObject[];
    expect(sample!.kind).toBe('MarkdownView');
    expect(Object.keys(sample!.spec.markdowns).sort()).toEqual(['SUMMARY.md', 'page1.md', 'page2.md']);
    expect(validateMarkdownView(sample!, 'CREATE')).toEqual([]);
  });
});

describe.skipIf(!hasKubectl)('deploy/markdown-view (kubectl kustomize)', () => {
  const objs = hasKubectl ? kustomize(DEPLOY) : [];
  const one = (kind: string) => {
    const found = objs.filter((o) => o.kind === kind);
    expect(found, kind).toHaveLength(1);
    return found[0]!;
  };

  it('builds the namespace, CRD, RBAC, manager and webhook objects, all namespaced ones in markdown-view-system', () => {
    expect(objs.map((o) => `${o.kind}/${o.metadata.name}`).sort()).toEqual([
      'ClusterRole/markdown-view-manager-role',
      'ClusterRoleBinding/markdown-view-manager-rolebinding',
      'CustomResourceDefinition/markdownviews.view.kubebuilder.example.com',
      'Deployment/markdown-view-controller-manager',
      `MutatingWebhookConfiguration/${MUTATING_CONFIGURATION}`,
      'Namespace/markdown-view-system',
      'Role/markdown-view-leader-election-role',
      'RoleBinding/markdown-view-leader-election-rolebinding',
      'Service/markdown-view-controller-manager-metrics-service',
      'Service/markdown-view-webhook-service',
      'ServiceAccount/markdown-view-controller-manager',
      `ValidatingWebhookConfiguration/${VALIDATING_CONFIGURATION}`,
    ]);
    for (const o of objs) {
      if (['ServiceAccount', 'Role', 'RoleBinding', 'Deployment', 'Service'].includes(o.kind))
        expect(o.metadata.namespace, `${o.kind} ${o.metadata.name}`).toBe('markdown-view-system');
    }
  });

  it('the ClusterRole is least privilege and bound to the manager', () => {
    for (const rule of one('ClusterRole').rules) {
      expect(rule.verbs).not.toContain('*');
      expect(rule.resources).not.toContain('*');
    }
    expect(one('ClusterRoleBinding').subjects).toEqual([
      { kind: 'ServiceAccount', name: 'markdown-view-controller-manager', namespace: 'markdown-view-system' },
    ]);
  });

  it('the manager is locked down, probed, and mounts the webhook certificate the Service reaches', () => {
    const pod = one('Deployment').spec.template.spec;
    const c = pod.containers[0];
    expect(pod.serviceAccountName).toBe('markdown-view-controller-manager');
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true });
    expect(c.securityContext).toMatchObject({
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ['ALL'] },
    });
    expect(c.livenessProbe.httpGet.path).toBe('/healthz');
    expect(c.readinessProbe.httpGet.path).toBe('/readyz');
    expect(c.image).toBe('ghcr.io/kubeloop/markdown-view:v0.1.0');
    const mount = c.volumeMounts.find((m: { name: string }) => m.name === 'webhook-cert');
    const volume = pod.volumes.find((v: { name: string }) => v.name === 'webhook-cert');
    expect(mount.mountPath).toBe(c.env.find((e: { name: string }) => e.name === 'WEBHOOK_CERT_DIR').value);
    expect(volume.secret.secretName).toBe('markdown-view-webhook-server-cert');
    const webhookPort = c.ports.find((p: { name: string }) => p.name === 'webhook-server');
    const svc = objs.find((o) => o.kind === 'Service' && o.metadata.name === 'markdown-view-webhook-service')!;
    expect(svc.spec.ports[0]).toMatchObject({ port: 443, targetPort: 'webhook-server' });
    expect(webhookPort.containerPort).toBe(9443);
    expect(svc.spec.selector).toEqual(one('Deployment').spec.selector.matchLabels);
    const metrics = objs.find((o) => o.kind === 'Service' && o.metadata.name.endsWith('-metrics-service'))!;
    expect(metrics.spec.ports[0]).toMatchObject({ port: 8080, targetPort: 'metrics' });
    expect(c.ports.find((p: { name: string }) => p.name === 'metrics').containerPort).toBe(8080);
    expect(metrics.spec.selector).toEqual(one('Deployment').spec.selector.matchLabels);
  });

  it('the webhook configurations match what the manager serves, through the Service', () => {
    const local = webhookConfigurationsFor('https://127.0.0.1:9443', 'Q0E=');
    for (const [kind, expected, path] of [
      ['MutatingWebhookConfiguration', local.mutating, mutatePath(MarkdownView)],
      ['ValidatingWebhookConfiguration', local.validating, validatePath(MarkdownView)],
    ] as const) {
      const cfg = one(kind);
      expect(cfg.metadata.annotations!['cert-manager.io/inject-ca-from']).toBe(
        'markdown-view-system/markdown-view-serving-cert',
      );
      const [hook] = cfg.webhooks;
      const [want] = expected!.webhooks!;
      expect(hook.name).toBe(want!.name);
      expect(hook.rules).toEqual(want!.rules);
      expect(hook).toMatchObject({ sideEffects: 'None', failurePolicy: 'Fail', admissionReviewVersions: ['v1'] });
      expect(hook.clientConfig.service).toEqual({
        name: 'markdown-view-webhook-service',
        namespace: 'markdown-view-system',
        path,
        port: 443,
      });
      expect(want!.clientConfig.url).toBe(`https://127.0.0.1:9443${path}`);
    }
  });

  it('the cert-manager tree issues the Secret the manager mounts, for the Service DNS name', () => {
    const certs = kustomize(join(DEPLOY, 'cert-manager'));
    const cert = certs.find((o) => o.kind === 'Certificate')!;
    expect(cert.metadata.name).toBe('markdown-view-serving-cert');
    expect(cert.spec.secretName).toBe('markdown-view-webhook-server-cert');
    expect(cert.spec.dnsNames).toContain('markdown-view-webhook-service.markdown-view-system.svc');
    expect(certs.find((o) => o.kind === 'Issuer')).toBeDefined();
  });
});
