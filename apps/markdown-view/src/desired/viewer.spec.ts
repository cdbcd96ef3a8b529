import { hardeningProblems } from '@kubeloop/envtest';
import type { ConfigMap, Deployment, Service } from '@kubeloop/runtime';
import { describe, expect, it } from 'vitest';
import { sampleView } from '../test-fixtures.test-helpers.ts';
import {
  applyConfigMap,
  applyDeployment,
  applyService,
  configMapName,
  DEFAULT_VIEWER_IMAGE,
  viewerImage,
  viewerName,
} from './viewer.ts';

const meta = (name: string) => ({ name, namespace: 'docs' });

describe('desired viewer children', () => {
  it('names children after the MarkdownView', () => {
    expect(configMapName('book')).toBe('markdowns-book');
    expect(viewerName('book')).toBe('viewer-book');
  });

  it('ConfigMap data equals spec.markdowns exactly, dropping keys no longer in the spec', () => {
    const cm: ConfigMap = {
      metadata: meta('markdowns-book'),
      data: { 'old.md': 'gone', 'page.md': 'stale' },
      binaryData: { x: 'AA==' },
    };
    applyConfigMap(cm, sampleView());
    expect(cm.data).toEqual({ 'SUMMARY.md': '# Book\n\n- [Page](page.md)\n', 'page.md': '# Page\n' });
    expect(cm.binaryData).toBeUndefined();
    expect(cm.metadata.labels).toEqual({
      'app.kubernetes.io/name': 'markdown-viewer',
      'app.kubernetes.io/instance': 'book',
      'app.kubernetes.io/managed-by': 'markdown-view',
    });
  });

  it('Deployment runs the viewer image with replicas, port, read-only mount, probes and a locked-down context', () => {
    const d: Deployment = { metadata: meta('viewer-book') };
    applyDeployment(d, sampleView(), viewerImage(sampleView()));
    expect(d.spec!.replicas).toBe(2);
    expect(d.spec!.selector).toEqual({
      matchLabels: { 'app.kubernetes.io/name': 'markdown-viewer', 'app.kubernetes.io/instance': 'book' },
    });
    const pod = d.spec!.template.spec!;
    expect(d.spec!.template.metadata!.labels).toMatchObject(d.spec!.selector.matchLabels!);
    expect(pod.containers).toHaveLength(1);
    const c = pod.containers[0]!;
    expect(c.name).toBe('viewer');
    expect(c.image).toBe(DEFAULT_VIEWER_IMAGE);
    expect(c.ports).toEqual([{ name: 'http', containerPort: 3000, protocol: 'TCP' }]);
    expect(c.volumeMounts).toEqual([{ name: 'markdowns', mountPath: '/book/src', readOnly: true }]);
    expect(pod.volumes).toEqual([{ name: 'markdowns', configMap: { name: 'markdowns-book', defaultMode: 420 } }]);
    expect(c.readinessProbe!.httpGet).toEqual({ path: '/readyz', port: 'http', scheme: 'HTTP' });
    expect(c.livenessProbe!.httpGet).toEqual({ path: '/healthz', port: 'http', scheme: 'HTTP' });
    expect(c.command, 'the image entry point starts the viewer; args would replace nothing useful').toBeUndefined();
    expect(c.args).toBeUndefined();
  });

  it('the viewer pod is hardened as a kubebuilder v4 manager: non-root, read-only, no privileges, seccomp, resources, probes', () => {
    const d: Deployment = { metadata: meta('viewer-book') };
    applyDeployment(d, sampleView(), DEFAULT_VIEWER_IMAGE);
    const pod = d.spec!.template.spec!;
    expect(hardeningProblems(pod as never)).toEqual([]);
    expect(pod.securityContext).toEqual({
      runAsNonRoot: true,
      runAsUser: 65532,
      runAsGroup: 65532,
      seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(pod.containers[0]!.securityContext).toEqual({
      runAsNonRoot: true,
      readOnlyRootFilesystem: true,
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
    });
    expect(pod.containers[0]!.resources).toEqual({
      requests: { cpu: '10m', memory: '32Mi' },
      limits: { cpu: '500m', memory: '128Mi' },
    });
    expect(pod.automountServiceAccountToken).toBe(false);
    // A pod without one of them fails the check: it is not vacuous.
    const weakened = structuredClone(pod);
    delete weakened.containers[0]!.securityContext!.readOnlyRootFilesystem;
    delete weakened.containers[0]!.resources!.limits;
    expect(hardeningProblems(weakened as never)).toEqual([
      'container viewer: readOnlyRootFilesystem is not true',
      'container viewer: no cpu limit',
      'container viewer: no memory limit',
    ]);
  });

  it('Deployment uses spec.viewerImage and defaults replicas to 1', () => {
    const view = sampleView({ viewerImage: 'registry.example/viewer:2', replicas: undefined });
    delete view.spec.replicas;
    const d: Deployment = { metadata: meta('viewer-book') };
    applyDeployment(d, view, viewerImage(view));
    expect(d.spec!.replicas).toBe(1);
    expect(d.spec!.template.spec!.containers[0]!.image).toBe('registry.example/viewer:2');
  });

  it('is idempotent and keeps what others set (server defaults, rollout-restart annotations, extra labels)', () => {
    const d: Deployment = { metadata: { ...meta('viewer-book'), labels: { team: 'docs' } } };
    applyDeployment(d, sampleView(), DEFAULT_VIEWER_IMAGE);
    d.spec!.template.metadata!.annotations = { 'kubectl.kubernetes.io/restartedAt': '2026-01-01T00:00:00Z' };
    d.spec!.revisionHistoryLimit = 3;
    const once = JSON.parse(JSON.stringify(d));
    applyDeployment(d, sampleView(), DEFAULT_VIEWER_IMAGE);
    expect(d).toEqual(once);
    expect(d.metadata.labels!['team']).toBe('docs');
  });

  it('Service is ClusterIP port 80 to the named http port, keeping server-assigned fields', () => {
    const svc: Service = { metadata: meta('viewer-book'), spec: { clusterIP: '10.0.0.7', sessionAffinity: 'None' } };
    applyService(svc, sampleView());
    expect(svc.spec).toEqual({
      clusterIP: '10.0.0.7',
      sessionAffinity: 'None',
      type: 'ClusterIP',
      selector: { 'app.kubernetes.io/name': 'markdown-viewer', 'app.kubernetes.io/instance': 'book' },
      ports: [{ name: 'http', protocol: 'TCP', port: 80, targetPort: 'http' }],
    });
  });
});
