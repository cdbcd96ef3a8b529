import { cluster, core, del, get, nsd, patch, post, type Case } from '../harness/case.ts';
import type { CaseFile } from '../harness/suite.ts';

const C = (name: string, title: string, steps: Case['steps'], more: Partial<Case> = {}): Case => ({
  id: `rbac-admission/${name}`,
  title,
  steps,
  ...more,
});

const RBAC = 'rbac.authorization.k8s.io/v1';
const ADM = 'admissionregistration.k8s.io/v1';

const role = (name: string, rules: unknown[]) => ({
  apiVersion: RBAC,
  kind: 'Role',
  metadata: { name },
  rules,
});

const binding = (name: string, roleRef: Record<string, unknown>, subjects: unknown[]) => ({
  apiVersion: RBAC,
  kind: 'RoleBinding',
  metadata: { name },
  roleRef,
  subjects,
});

const webhook = (extra: Record<string, unknown> = {}) => ({
  name: 'v.conformance.example.com',
  clientConfig: { url: 'https://127.0.0.1:1/validate' },
  rules: [{ apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE'], resources: ['configmaps'] }],
  sideEffects: 'None',
  admissionReviewVersions: ['v1'],
  namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': '{{ns}}' } },
  ...extra,
});

export const rbacAdmissionCases: CaseFile = {
  file: 'rbac-admission',
  cases: [
    C('role-and-binding', 'a Role and its RoleBinding: defaults, immutable roleRef', [
      post(
        nsd(RBAC, 'roles'),
        role('reader', [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get', 'list'] }]),
      ),
      post(
        nsd(RBAC, 'rolebindings'),
        binding('read', { kind: 'Role', name: 'reader' }, [
          { kind: 'ServiceAccount', name: 'default' },
          { kind: 'User', name: 'alice' },
          { kind: 'Group', name: 'devs' },
        ]),
      ),
      patch(
        nsd(RBAC, 'rolebindings', 'read'),
        'merge',
        { roleRef: { name: 'other' } },
        { note: 'roleRef is immutable' },
      ),
      get(nsd(RBAC, 'roles'), {}),
      del(nsd(RBAC, 'roles', 'reader')),
    ]),
    C('rbac-validation', 'invalid RBAC objects', [
      post(nsd(RBAC, 'roles'), role('noverbs', [{ apiGroups: [''], resources: ['pods'], verbs: [] }])),
      post(nsd(RBAC, 'roles'), role('nonresource', [{ nonResourceURLs: ['/healthz'], verbs: ['get'] }]), {
        note: 'non-resource URLs only in ClusterRoles',
      }),
      post(nsd(RBAC, 'rolebindings'), binding('badref', { kind: 'Pod', name: 'x' }, [])),
      post(
        nsd(RBAC, 'rolebindings'),
        binding('badsubject', { kind: 'Role', name: 'x' }, [{ kind: 'Robot', name: 'r' }]),
      ),
    ]),
    C(
      'cluster-role',
      'a ClusterRole with an aggregation rule and a ClusterRoleBinding',
      [
        post(cluster(RBAC, 'clusterroles'), {
          apiVersion: RBAC,
          kind: 'ClusterRole',
          metadata: { name: 'cf-{{run}}-base', labels: { 'cf-{{run}}/aggregate': 'true' } },
          rules: [{ apiGroups: ['apps'], resources: ['deployments'], verbs: ['get'] }],
        }),
        post(
          cluster(RBAC, 'clusterrolebindings'),
          {
            apiVersion: RBAC,
            kind: 'ClusterRoleBinding',
            metadata: { name: 'cf-{{run}}-bind' },
            roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cf-{{run}}-base' },
            subjects: [{ kind: 'ServiceAccount', name: 'default' }],
          },
          { note: 'a ServiceAccount subject needs a namespace in a ClusterRoleBinding' },
        ),
        post(cluster(RBAC, 'clusterrolebindings'), {
          apiVersion: RBAC,
          kind: 'ClusterRoleBinding',
          metadata: { name: 'cf-{{run}}-bind' },
          roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cf-{{run}}-base' },
          subjects: [{ kind: 'ServiceAccount', name: 'default', namespace: '{{ns}}' }],
        }),
        del(cluster(RBAC, 'clusterrolebindings', 'cf-{{run}}-bind')),
        del(cluster(RBAC, 'clusterroles', 'cf-{{run}}-base')),
      ],
      {
        cleanup: [
          '/apis/rbac.authorization.k8s.io/v1/clusterroles/cf-{{run}}-base',
          '/apis/rbac.authorization.k8s.io/v1/clusterrolebindings/cf-{{run}}-bind',
        ],
      },
    ),
    C(
      'webhook-configuration',
      'a ValidatingWebhookConfiguration: defaults; a failing webhook blocks a matching create',
      [
        post(cluster(ADM, 'validatingwebhookconfigurations'), {
          apiVersion: ADM,
          kind: 'ValidatingWebhookConfiguration',
          metadata: { name: 'cf-{{run}}-vwc' },
          webhooks: [webhook()],
        }),
        post(
          core('configmaps'),
          { apiVersion: 'v1', kind: 'ConfigMap', metadata: { generateName: 'blocked-' } },
          {
            note: 'the webhook cannot be reached: failurePolicy Fail (polled: a new configuration takes a moment)',
            until: (r) => r.status !== 201,
            untilMs: 10_000,
          },
        ),
        patch(cluster(ADM, 'validatingwebhookconfigurations', 'cf-{{run}}-vwc'), 'json', [
          { op: 'replace', path: '/webhooks/0/failurePolicy', value: 'Ignore' },
        ]),
        post(
          core('configmaps'),
          { apiVersion: 'v1', kind: 'ConfigMap', metadata: { generateName: 'passes-' } },
          { note: 'failurePolicy Ignore', until: (r) => r.status === 201, untilMs: 10_000 },
        ),
        del(cluster(ADM, 'validatingwebhookconfigurations', 'cf-{{run}}-vwc')),
      ],
      { cleanup: ['/apis/admissionregistration.k8s.io/v1/validatingwebhookconfigurations/cf-{{run}}-vwc'] },
    ),
    C(
      'mutating-webhook-configuration',
      'a MutatingWebhookConfiguration: defaults and validation',
      [
        post(cluster(ADM, 'mutatingwebhookconfigurations'), {
          apiVersion: ADM,
          kind: 'MutatingWebhookConfiguration',
          metadata: { name: 'cf-{{run}}-mwc' },
          webhooks: [webhook({ name: 'm.conformance.example.com', failurePolicy: 'Ignore' })],
        }),
        post(cluster(ADM, 'mutatingwebhookconfigurations'), {
          apiVersion: ADM,
          kind: 'MutatingWebhookConfiguration',
          metadata: { name: 'cf-{{run}}-bad' },
          webhooks: [
            webhook({ name: 'nodots', sideEffects: undefined, admissionReviewVersions: undefined, timeoutSeconds: 31 }),
          ],
        }),
        post(cluster(ADM, 'mutatingwebhookconfigurations'), {
          apiVersion: ADM,
          kind: 'MutatingWebhookConfiguration',
          metadata: { name: 'cf-{{run}}-bad2' },
          webhooks: [webhook({ clientConfig: { url: 'http://insecure.example.com/' } })],
        }),
        del(cluster(ADM, 'mutatingwebhookconfigurations', 'cf-{{run}}-mwc')),
      ],
      {
        namespace: true,
        cleanup: [
          '/apis/admissionregistration.k8s.io/v1/mutatingwebhookconfigurations/cf-{{run}}-mwc',
          '/apis/admissionregistration.k8s.io/v1/mutatingwebhookconfigurations/cf-{{run}}-bad',
          '/apis/admissionregistration.k8s.io/v1/mutatingwebhookconfigurations/cf-{{run}}-bad2',
        ],
      },
    ),
  ],
};
