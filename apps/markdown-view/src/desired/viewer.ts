import type { ConfigMap, Container, Deployment, PodTemplateSpec, Service } from '@kubeloop/runtime';
import { DEFAULT_REPLICAS, type MarkdownViewObject } from '../api/v1/markdown-view.ts';

/**
 * The project's viewer image (apps/markdown-viewer), used when spec.viewerImage is empty: the
 * mutating webhook writes it into the object, and the controller falls back to it when
 * webhooks are off. A pinned tag, never `latest`, so a pod restart cannot change the version.
 */
export const DEFAULT_VIEWER_IMAGE = 'ghcr.io/kubeloop/markdown-viewer:v0.1.0';

export const VIEWER_CONTAINER = 'viewer';
export const VIEWER_PORT = 3000;
export const BOOK_MOUNT_PATH = '/book/src';
export const BOOK_VOLUME = 'markdowns';
export const MANAGED_BY = 'markdown-view';

export const configMapName = (viewName: string): string => `markdowns-${viewName}`;
export const viewerName = (viewName: string): string => `viewer-${viewName}`;

/** Labels on every child; the first two also select the viewer pods. */
export function viewerLabels(viewName: string): Record<string, string> {
  return {
    'app.kubernetes.io/name': 'markdown-viewer',
    'app.kubernetes.io/instance': viewName,
    'app.kubernetes.io/managed-by': MANAGED_BY,
  };
}

export function selectorLabels(viewName: string): Record<string, string> {
  return { 'app.kubernetes.io/name': 'markdown-viewer', 'app.kubernetes.io/instance': viewName };
}

/** The ConfigMap's data is the spec's pages, exactly: keys removed from the spec disappear. */
export function desiredConfigMapData(view: MarkdownViewObject): Record<string, string> {
  return { ...view.spec.markdowns };
}

export function viewerImage(view: MarkdownViewObject, fallback = DEFAULT_VIEWER_IMAGE): string {
  return view.spec.viewerImage || fallback;
}

/**
 * The viewer's pod template, written out with every field the API server would otherwise
 * default (probe timings, protocols, termination message settings, pull policy, volume mode).
 * createOrUpdate compares the stored object with this; a field left to the server would differ
 * on every reconcile and turn each one into a write.
 */
export function desiredPodTemplate(view: MarkdownViewObject, image: string): PodTemplateSpec {
  const name = view.metadata.name!;
  const probe = (path: string, failureThreshold: number) => ({
    httpGet: { path, port: 'http', scheme: 'HTTP' },
    periodSeconds: 10,
    timeoutSeconds: 1,
    successThreshold: 1,
    failureThreshold,
  });
  const container: Container = {
    name: VIEWER_CONTAINER,
    image,
    imagePullPolicy: 'IfNotPresent',
    env: [
      { name: 'BOOK_DIR', value: BOOK_MOUNT_PATH },
      { name: 'PORT', value: String(VIEWER_PORT) },
    ],
    ports: [{ name: 'http', containerPort: VIEWER_PORT, protocol: 'TCP' }],
    volumeMounts: [{ name: BOOK_VOLUME, mountPath: BOOK_MOUNT_PATH, readOnly: true }],
    readinessProbe: probe('/readyz', 3),
    livenessProbe: probe('/healthz', 3),
    resources: { requests: { cpu: '10m', memory: '32Mi' }, limits: { cpu: '500m', memory: '128Mi' } },
    securityContext: {
      runAsNonRoot: true,
      readOnlyRootFilesystem: true,
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
    },
    terminationMessagePath: '/dev/termination-log',
    terminationMessagePolicy: 'File',
  };
  return {
    metadata: { labels: viewerLabels(name) },
    spec: {
      containers: [container],
      volumes: [{ name: BOOK_VOLUME, configMap: { name: configMapName(name), defaultMode: 0o644 } }],
      securityContext: {
        runAsNonRoot: true,
        runAsUser: 65532,
        runAsGroup: 65532,
        seccompProfile: { type: 'RuntimeDefault' },
      },
      automountServiceAccountToken: false,
      enableServiceLinks: false,
      restartPolicy: 'Always',
      terminationGracePeriodSeconds: 30,
      dnsPolicy: 'ClusterFirst',
      schedulerName: 'default-scheduler',
    },
  };
}

export function desiredReplicas(view: MarkdownViewObject): number {
  return view.spec.replicas ?? DEFAULT_REPLICAS;
}

/**
 * Sets the Deployment fields the controller owns, leaf by leaf, leaving everything else (status,
 * server-filled fields, annotations others add) as stored. Template annotations are kept so a
 * `kubectl rollout restart` is not undone by the next reconcile.
 */
export function applyDeployment(deployment: Deployment, view: MarkdownViewObject, image: string): void {
  const name = view.metadata.name!;
  deployment.metadata.labels = { ...deployment.metadata.labels, ...viewerLabels(name) };
  const template = desiredPodTemplate(view, image);
  const annotations = deployment.spec?.template?.metadata?.annotations;
  if (annotations) template.metadata = { ...template.metadata, annotations };
  deployment.spec = {
    ...deployment.spec,
    replicas: desiredReplicas(view),
    selector: { matchLabels: selectorLabels(name) },
    template,
    revisionHistoryLimit: deployment.spec?.revisionHistoryLimit ?? 10,
    progressDeadlineSeconds: deployment.spec?.progressDeadlineSeconds ?? 600,
    strategy: deployment.spec?.strategy ?? {
      type: 'RollingUpdate',
      rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' },
    },
  };
}

export function applyConfigMap(configMap: ConfigMap, view: MarkdownViewObject): void {
  configMap.metadata.labels = { ...configMap.metadata.labels, ...viewerLabels(view.metadata.name!) };
  configMap.data = desiredConfigMapData(view);
  delete configMap.binaryData;
}

/** ClusterIP on port 80 to the pods' `http` port; users `kubectl port-forward svc/viewer-<name> 3000:80`. */
export function applyService(service: Service, view: MarkdownViewObject): void {
  const name = view.metadata.name!;
  service.metadata.labels = { ...service.metadata.labels, ...viewerLabels(name) };
  service.spec ??= {};
  service.spec.type = 'ClusterIP';
  service.spec.selector = selectorLabels(name);
  service.spec.ports = [{ name: 'http', protocol: 'TCP', port: 80, targetPort: 'http' }];
}
