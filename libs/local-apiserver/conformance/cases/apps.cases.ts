import { del, get, nsd, patch, post, put, type Case } from '../harness/case.ts';
import type { CaseFile } from '../harness/suite.ts';

const C = (name: string, title: string, steps: Case['steps'], more: Partial<Case> = {}): Case => ({
  id: `apps/${name}`,
  title,
  steps,
  ...more,
});

const template = (labels: Record<string, string>, containers: unknown[] = [{ name: 'web', image: 'nginx:1.27' }]) => ({
  metadata: { labels },
  spec: { containers },
});

export const deployment = (
  name: string,
  spec: Record<string, unknown> = {},
  metadata: Record<string, unknown> = {},
) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name, ...metadata },
  spec: { selector: { matchLabels: { app: name } }, template: template({ app: name }), ...spec },
});

const replicaSet = (name: string, spec: Record<string, unknown> = {}) => ({
  apiVersion: 'apps/v1',
  kind: 'ReplicaSet',
  metadata: { name },
  spec: { replicas: 0, selector: { matchLabels: { rs: name } }, template: template({ rs: name }), ...spec },
});

/**
 * What kube-controller-manager's deployment controller writes concurrently (status, the revision
 * annotation, and so the resourceVersion of any read after the create): not fixed by the real
 * server itself, so not compared on reads. local-apiserver's Deployment simulation writes them too.
 */
const DEPLOYMENT_RACY = [
  'body.status',
  'body.metadata.resourceVersion',
  'body.metadata.annotations["deployment.kubernetes.io/revision"]',
];

export const appsCases: CaseFile = {
  file: 'apps',
  cases: [
    C('deployment-defaults', 'a minimal Deployment: every default, status {}', [
      post(nsd('apps/v1', 'deployments'), deployment('d1')),
      get(nsd('apps/v1', 'deployments', 'd1'), { racy: DEPLOYMENT_RACY }),
    ]),
    C('deployment-full-template', 'defaults inside a fuller pod template', [
      post(
        nsd('apps/v1', 'deployments'),
        deployment('d2', {
          replicas: 3,
          strategy: { type: 'Recreate' },
          template: template({ app: 'd2' }, [
            {
              name: 'web',
              image: 'nginx',
              ports: [{ containerPort: 80 }],
              env: [{ name: 'A', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }],
              livenessProbe: { httpGet: { path: '/', port: 80 } },
              volumeMounts: [{ name: 'data', mountPath: '/data' }],
            },
          ]),
        }),
        { note: 'a volume mount needs its volume' },
      ),
      post(nsd('apps/v1', 'deployments'), {
        ...deployment('d3', { replicas: 2 }),
        spec: {
          replicas: 2,
          selector: { matchLabels: { app: 'd3' } },
          template: {
            metadata: { labels: { app: 'd3' } },
            spec: {
              volumes: [
                { name: 'data', emptyDir: {} },
                { name: 'cfg', configMap: { name: 'cfg' } },
              ],
              initContainers: [{ name: 'init', image: 'busybox' }],
              containers: [
                {
                  name: 'web',
                  image: 'nginx',
                  ports: [{ containerPort: 80 }],
                  env: [{ name: 'A', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }],
                  livenessProbe: { httpGet: { path: '/', port: 80 } },
                  readinessProbe: { tcpSocket: { port: 80 } },
                  volumeMounts: [{ name: 'data', mountPath: '/data' }],
                  resources: { limits: { cpu: '1', memory: '128Mi' } },
                },
              ],
            },
          },
        },
      }),
      patch(
        nsd('apps/v1', 'deployments', 'd3'),
        'strategic',
        { spec: { template: { spec: { volumes: [{ name: 'more', secret: { secretName: 's' } }] } } } },
        { racy: DEPLOYMENT_RACY },
      ),
    ]),
    C('deployment-validation', 'invalid Deployments', [
      post(nsd('apps/v1', 'deployments'), deployment('bad1', { selector: { matchLabels: { app: 'other' } } }), {
        note: 'selector does not match the template labels',
      }),
      post(nsd('apps/v1', 'deployments'), deployment('bad2', { replicas: -1 })),
      post(nsd('apps/v1', 'deployments'), deployment('bad3', { selector: undefined }), { note: 'no selector' }),
      post(
        nsd('apps/v1', 'deployments'),
        deployment('bad4', { strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 0, maxUnavailable: 0 } } }),
      ),
      post(nsd('apps/v1', 'deployments'), deployment('bad5', { template: template({ app: 'bad5' }, []) }), {
        note: 'no containers',
      }),
    ]),
    C('deployment-selector-immutable', 'the selector of a Deployment cannot change', [
      post(nsd('apps/v1', 'deployments'), deployment('imm')),
      patch(nsd('apps/v1', 'deployments', 'imm'), 'merge', {
        spec: {
          selector: { matchLabels: { app: 'imm', x: 'y' } },
          template: { metadata: { labels: { app: 'imm', x: 'y' } } },
        },
      }),
    ]),
    C('deployment-generation', 'generation moves with spec and annotations, not with labels', [
      post(nsd('apps/v1', 'deployments'), deployment('gen')),
      patch(
        nsd('apps/v1', 'deployments', 'gen'),
        'merge',
        { metadata: { labels: { l: 'v' } } },
        { racy: DEPLOYMENT_RACY },
      ),
      patch(
        nsd('apps/v1', 'deployments', 'gen'),
        'merge',
        { metadata: { annotations: { a: 'v' } } },
        {
          racy: DEPLOYMENT_RACY,
        },
      ),
      patch(nsd('apps/v1', 'deployments', 'gen'), 'merge', { spec: { replicas: 2 } }, { racy: DEPLOYMENT_RACY }),
    ]),
    C('deployment-scale', 'the scale subresource of a Deployment', [
      post(nsd('apps/v1', 'deployments'), deployment('sc', { replicas: 1 })),
      get(nsd('apps/v1', 'deployments', 'sc') + '/scale', { racy: ['body.metadata.resourceVersion', 'body.status'] }),
      put(
        nsd('apps/v1', 'deployments', 'sc') + '/scale',
        { apiVersion: 'autoscaling/v1', kind: 'Scale', metadata: { name: 'sc' }, spec: { replicas: 3 } },
        { racy: ['body.metadata.resourceVersion', 'body.status'] },
      ),
      patch(
        nsd('apps/v1', 'deployments', 'sc') + '/scale',
        'merge',
        { spec: { replicas: 2 } },
        {
          racy: ['body.metadata.resourceVersion', 'body.status'],
        },
      ),
      patch(
        nsd('apps/v1', 'deployments', 'sc') + '/scale',
        'merge',
        { spec: { replicas: -2 } },
        {
          racy: ['body.metadata.resourceVersion', 'body.status'],
        },
      ),
      get(nsd('apps/v1', 'deployments', 'sc'), { racy: DEPLOYMENT_RACY }),
      get(nsd('apps/v1', 'deployments', 'missing') + '/scale'),
    ]),
    C('deployment-status', 'the status subresource ignores spec, the main resource ignores status', [
      post(nsd('apps/v1', 'deployments'), deployment('st', { replicas: 0, paused: true })),
      patch(
        nsd('apps/v1', 'deployments', 'st') + '/status',
        'merge',
        { spec: { replicas: 5 }, status: { observedGeneration: 1, replicas: 0, conditions: [] } },
        {
          racy: [
            'body.metadata.resourceVersion',
            'body.metadata.annotations["deployment.kubernetes.io/revision"]',
            'body.status.conditions',
          ],
        },
      ),
    ]),
    C('replicaset', 'a ReplicaSet with no replicas: defaults, scale, validation', [
      post(nsd('apps/v1', 'replicasets'), replicaSet('rs1')),
      get(nsd('apps/v1', 'replicasets', 'rs1') + '/scale', { racy: ['body.metadata.resourceVersion', 'body.status'] }),
      post(nsd('apps/v1', 'replicasets'), replicaSet('rs2', { selector: { matchLabels: { rs: 'other' } } })),
      get(nsd('apps/v1', 'replicasets'), {
        query: { fieldSelector: 'status.replicas=0' },
        racy: ['body.metadata.resourceVersion', 'body.items[*].metadata.resourceVersion', 'body.items[*].status'],
      }),
      del(nsd('apps/v1', 'replicasets', 'rs1'), undefined, { racy: DEPLOYMENT_RACY }),
    ]),
  ],
};
