import { cluster, conditionOf, core, del, get, metaOf, patch, post, put, rvOf, type Case } from '../harness/case.ts';
import type { CaseFile } from '../harness/suite.ts';

const C = (name: string, title: string, steps: Case['steps'], more: Partial<Case> = {}): Case => ({
  id: `core/${name}`,
  title,
  steps,
  ...more,
});

const secret = (name: string, extra: Record<string, unknown> = {}) => ({
  apiVersion: 'v1',
  kind: 'Secret',
  metadata: { name },
  ...extra,
});

const svc = (name: string, spec: Record<string, unknown>) => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name },
  spec,
});

const pod = (name: string, spec: Record<string, unknown> = {}, metadata: Record<string, unknown> = {}) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, ...metadata },
  spec: { containers: [{ name: 'c', image: 'nginx:1.27' }], ...spec },
});

const ns = (name: string, extra: Record<string, unknown> = {}) => ({
  apiVersion: 'v1',
  kind: 'Namespace',
  metadata: { name, ...extra },
});

export const coreCases: CaseFile = {
  file: 'core',
  cases: [
    // ------------------------------------------------------------------ Namespace
    C(
      'namespace-lifecycle',
      'a namespace: defaults, Terminating on delete, no new content, gone once its content is',
      [
        post('/api/v1/namespaces', ns('nsl-{{run}}', { labels: { team: 'a' } })),
        get('/api/v1/namespaces/nsl-{{run}}'),
        post('/api/v1/namespaces/nsl-{{run}}/configmaps', {
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: { name: 'held', finalizers: ['example.com/hold'] },
        }),
        del('/api/v1/namespaces/nsl-{{run}}', undefined, { note: 'delete: 200 with the Terminating namespace' }),
        post(
          '/api/v1/namespaces/nsl-{{run}}/configmaps',
          { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'late' } },
          { note: 'no new content in a Terminating namespace' },
        ),
        del('/api/v1/namespaces/nsl-{{run}}', undefined, {
          note: 'a second delete while content remains: the namespace as it is',
          // The namespace controller writes its conditions at a moment of its choosing.
          racy: ['body.metadata.resourceVersion', 'body.status.conditions'],
        }),
        get('/api/v1/namespaces/nsl-{{run}}/configmaps/held', {
          note: 'the namespace controller deletes the content (the finalizer holds it)',
          until: (r) => !!metaOf(r).deletionTimestamp,
        }),
        get('/api/v1/namespaces/nsl-{{run}}', {
          note: 'the namespace says what it waits for',
          until: (r) => conditionOf(r, 'NamespaceFinalizersRemaining')?.status === 'True',
        }),
        patch('/api/v1/namespaces/nsl-{{run}}/configmaps/held', 'merge', { metadata: { finalizers: null } }),
        get('/api/v1/namespaces/nsl-{{run}}', { until: (r) => r.status === 404, untilMs: 60_000 }),
      ],
      { namespace: false, cleanup: ['/api/v1/namespaces/nsl-{{run}}'] },
    ),
    C(
      'namespace-errors',
      'namespace names, immortal namespaces, content in a missing namespace',
      [
        post('/api/v1/namespaces', ns('Bad.Name')),
        post('/api/v1/namespaces', ns('has.dot')),
        del('/api/v1/namespaces/default'),
        del('/api/v1/namespaces/kube-system'),
        post('/api/v1/namespaces/missing-{{run}}/configmaps', {
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: { name: 'x' },
        }),
        get('/api/v1/namespaces/missing-{{run}}/configmaps/x'),
        get('/api/v1/namespaces/missing-{{run}}/configmaps'),
      ],
      { namespace: false },
    ),
    C(
      'namespace-finalize',
      'the finalize subresource and spec.finalizers',
      [
        post('/api/v1/namespaces', ns('nsf-{{run}}'), { id: 'ns' }),
        put(
          '/api/v1/namespaces/nsf-{{run}}/finalize',
          (c) => ({
            ...ns('nsf-{{run}}', { resourceVersion: rvOf(c, 'ns') }),
            spec: { finalizers: ['example.com/x'] },
          }),
          { id: 'fin' },
        ),
        patch('/api/v1/namespaces/nsf-{{run}}/status', 'merge', { status: { phase: 'Terminating' } }),
        put('/api/v1/namespaces/nsf-{{run}}/finalize', ns('nsf-{{run}}'), { note: 'no resourceVersion' }),
        del('/api/v1/namespaces/nsf-{{run}}'),
      ],
      { namespace: false, cleanup: ['/api/v1/namespaces/nsf-{{run}}'] },
    ),
    C(
      'namespace-spec',
      'spec.finalizers of a namespace change only through finalize',
      [
        post('/api/v1/namespaces', ns('nss-{{run}}'), { id: 'ns' }),
        put(
          '/api/v1/namespaces/nss-{{run}}',
          (c) => ({ ...ns('nss-{{run}}', { resourceVersion: rvOf(c, 'ns') }), spec: { finalizers: [] } }),
          {
            deviation: {
              reason:
                'no managedFields: an update that changes nothing but field ownership writes nothing here (the real server writes a new resourceVersion)',
              paths: ['body.metadata.resourceVersion'],
            },
          },
        ),
      ],
      { namespace: false, cleanup: ['/api/v1/namespaces/nss-{{run}}'] },
    ),
    C('namespace-content', 'what kube-controller-manager puts into every new namespace', [
      get(core('configmaps', 'kube-root-ca.crt'), {
        until: (r) => r.status === 200,
        untilMs: 10_000,
        select: (b: { metadata?: { name?: string }; data?: Record<string, string> }) => ({
          name: b.metadata?.name,
          keys: Object.keys(b.data ?? {}),
        }),
        deviation: {
          reason:
            'no root-CA publisher: local-apiserver runs no kube-controller-manager, namespaces get no kube-root-ca.crt',
        },
      }),
      get(core('serviceaccounts', 'default'), {
        until: (r) => r.status === 200,
        untilMs: 10_000,
        deviation: { reason: 'no ServiceAccount controller: namespaces get no default ServiceAccount' },
      }),
    ]),
    // ------------------------------------------------------------------ Secret
    C('secret', 'Secret defaults, stringData, base64 and type rules', [
      post(core('secrets'), secret('s1', { data: { a: 'YQ==' }, stringData: { b: 'bee' } })),
      get(core('secrets', 's1')),
      post(core('secrets'), secret('s2', { data: { a: 'not base64!' } }), { note: 'invalid base64' }),
      post(core('secrets'), secret('s3', { type: 'kubernetes.io/tls', data: {} }), {
        note: 'TLS Secret without its keys',
      }),
      post(
        core('secrets'),
        secret('s4', { type: 'kubernetes.io/dockerconfigjson', data: { '.dockerconfigjson': 'e30=' } }),
      ),
      patch(core('secrets', 's1'), 'merge', { type: 'kubernetes.io/tls' }, { note: 'type is immutable' }),
      post(core('secrets'), secret('s5', { data: { 'bad/key': 'YQ==' } })),
      post(core('secrets'), secret('s6', { immutable: true, data: { a: 'YQ==' } })),
      patch(core('secrets', 's6'), 'merge', { data: { a: 'Yg==' } }),
      del(core('secrets', 's1')),
    ]),
    // ------------------------------------------------------------------ Service
    C('service-clusterip', 'a ClusterIP Service: defaults and allocation', [
      post(core('services'), svc('web', { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080 }] })),
      get(core('services', 'web')),
      patch(
        core('services', 'web'),
        'merge',
        { spec: { clusterIP: '10.0.0.200' } },
        { note: 'clusterIP is immutable' },
      ),
      patch(core('services', 'web'), 'merge', { spec: { ports: [{ port: 81 }] } }),
      del(core('services', 'web')),
    ]),
    C('service-kinds', 'NodePort, headless, ExternalName and invalid Services', [
      post(
        core('services'),
        svc('np', { type: 'NodePort', selector: { app: 'a' }, ports: [{ name: 'http', port: 80 }] }),
      ),
      post(core('services'), svc('headless', { clusterIP: 'None', selector: { app: 'a' }, ports: [{ port: 80 }] })),
      post(core('services'), svc('ext', { type: 'ExternalName', externalName: 'example.com' })),
      post(core('services'), svc('two-ports', { ports: [{ port: 80 }, { port: 81 }] }), {
        note: 'several ports need names',
      }),
      post(core('services'), svc('noports', { selector: { app: 'a' } }), { note: 'a ClusterIP Service needs ports' }),
      post(core('services'), svc('badport', { ports: [{ port: 70000 }] })),
      post(core('services'), svc('badtype', { type: 'Magic', ports: [{ port: 80 }] })),
    ]),
    // ------------------------------------------------------------------ ServiceAccount
    C('serviceaccount', 'ServiceAccount create, update and delete (which answers with the object)', [
      post(core('serviceaccounts'), { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'robot' } }),
      patch(core('serviceaccounts', 'robot'), 'merge', { automountServiceAccountToken: false }),
      del(core('serviceaccounts', 'robot')),
    ]),
    // ------------------------------------------------------------------ Pod
    C('pod-defaults', 'a minimal Pod: defaults and status of an unscheduled Pod', [
      post(core('pods'), pod('p1')),
      get(core('pods', 'p1')),
      del(core('pods', 'p1'), undefined, { note: 'an unscheduled Pod is deleted at once' }),
      get(core('pods', 'p1')),
    ]),
    C('pod-validation', 'invalid Pods are 422 with the real causes', [
      post(core('pods'), pod('nocontainers', { containers: [] })),
      post(core('pods'), pod('noimage', { containers: [{ name: 'c' }] })),
      post(
        core('pods'),
        pod('dupnames', {
          containers: [
            { name: 'c', image: 'a' },
            { name: 'c', image: 'b' },
          ],
        }),
      ),
      post(core('pods'), pod('badrestart', { restartPolicy: 'Sometimes' })),
      post(core('pods'), pod('badport', { containers: [{ name: 'c', image: 'a', ports: [{ containerPort: 0 }] }] })),
    ]),
    C('pod-update', 'Pod spec updates: only images and a few fields may change', [
      post(core('pods'), pod('pu')),
      patch(core('pods', 'pu'), 'strategic', { spec: { containers: [{ name: 'c', image: 'nginx:1.28' }] } }),
      patch(
        core('pods', 'pu'),
        'merge',
        { spec: { restartPolicy: 'Never' } },
        {
          note: 'other spec fields are immutable (the message lists the allowed ones)',
          deviation: {
            reason:
              "the forbidden-update message ends with a diff of Go's dump of the pod spec, which local-apiserver does not reproduce",
            paths: ['body.message', 'body.details.causes[0].message'],
          },
        },
      ),
      patch(core('pods', 'pu') + '/status', 'merge', { status: { phase: 'Running' } }),
      get(core('pods', 'pu')),
    ]),
    // ------------------------------------------------------------------ discovery-free paths of core
    C('cluster-list-of-namespaced', 'listing a namespaced resource across namespaces', [
      post(core('configmaps'), {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'all1', labels: { cf: '{{ns}}' } },
      }),
      get(cluster('v1', 'configmaps'), { query: { labelSelector: 'cf={{ns}}' } }),
      post(
        cluster('v1', 'configmaps'),
        { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } },
        {
          note: 'create without a namespace in the path',
        },
      ),
    ]),
  ],
};
