import { get, post, type Case } from '../harness/case.ts';
import type { CaseFile } from '../harness/suite.ts';

/**
 * The kinds local-apiserver serves (README "How it is built"). Discovery answers are compared on
 * these only: the real server serves many more (nodes, jobs, ...), which is the deviation
 * "a subset of the built-in kinds", not a difference in how the served ones are described.
 */
const SERVED: Record<string, string[]> = {
  v1: ['configmaps', 'events', 'namespaces', 'pods', 'secrets', 'serviceaccounts', 'services'],
  'apps/v1': ['deployments', 'replicasets'],
  'events.k8s.io/v1': ['events'],
  'coordination.k8s.io/v1': ['leases'],
  'rbac.authorization.k8s.io/v1': ['clusterrolebindings', 'clusterroles', 'rolebindings', 'roles'],
  'admissionregistration.k8s.io/v1': ['mutatingwebhookconfigurations', 'validatingwebhookconfigurations'],
  'apiextensions.k8s.io/v1': ['customresourcedefinitions'],
};
/** Subresources local-apiserver serves; pods/log, exec, attach, proxy... need a kubelet. */
const SERVED_SUBRESOURCES = ['status', 'scale', 'finalize'];

const servedResources =
  (gv: string) =>
  (body: { resources?: { name: string }[] }): unknown => ({
    ...body,
    resources: (body.resources ?? []).filter((r) => {
      const [main, sub] = r.name.split('/');
      return SERVED[gv]!.includes(main!) && (sub === undefined || SERVED_SUBRESOURCES.includes(sub));
    }),
  });

const servedGroups = (body: { groups?: { name: string }[] }): unknown => ({
  ...body,
  groups: (body.groups ?? []).filter((g) => Object.keys(SERVED).some((gv) => gv.startsWith(`${g.name}/`))),
});

const C = (name: string, title: string, steps: Case['steps'], more: Partial<Case> = {}): Case => ({
  id: `discovery/${name}`,
  title,
  steps,
  namespace: false,
  ...more,
});

export const discoveryCases: CaseFile = {
  file: 'discovery',
  cases: [
    C('version', '/version', [
      get('/version', {
        deviation: {
          reason: 'local-apiserver names its own build (v1.36.2-kubeloop) of the release it models',
          paths: ['body.gitVersion', 'body.gitCommit', 'body.buildDate', 'body.goVersion'],
        },
      }),
    ]),
    C('health', 'health endpoints answer ok as text', [
      get('/healthz', { accept: '*/*' }),
      get('/readyz', { accept: '*/*' }),
      get('/livez', { accept: '*/*' }),
    ]),
    C('api', 'GET /api and /api/v1', [get('/api'), get('/api/v1', { select: servedResources('v1') })]),
    C('apis', 'GET /apis lists the groups with their versions', [get('/apis', { select: servedGroups })]),
    C('group-documents', 'each served group and group-version document', [
      get('/apis/apps'),
      get('/apis/apps/v1', { select: servedResources('apps/v1') }),
      get('/apis/events.k8s.io/v1', { select: servedResources('events.k8s.io/v1') }),
      get('/apis/coordination.k8s.io/v1', { select: servedResources('coordination.k8s.io/v1') }),
      get('/apis/rbac.authorization.k8s.io/v1', { select: servedResources('rbac.authorization.k8s.io/v1') }),
      get('/apis/admissionregistration.k8s.io/v1', {
        select: servedResources('admissionregistration.k8s.io/v1'),
      }),
      get('/apis/apiextensions.k8s.io/v1', { select: servedResources('apiextensions.k8s.io/v1') }),
    ]),
    C('unknown-paths', 'paths that name nothing served', [
      get('/api/v2', { note: 'unknown core version' }),
      get('/apis/nope.example.com', { note: 'unknown group' }),
      get('/apis/nope.example.com/v1', { note: 'unknown group version' }),
      get('/apis/apps/v9', { note: 'unknown version of a known group' }),
      get('/api/v1/nothings', { note: 'unknown resource in a known group version' }),
      get('/api/v1/namespaces/default/nothings', { note: 'unknown namespaced resource' }),
      get('/apis/apps/v1/namespaces/default/nothings/x', { note: 'unknown resource, named' }),
      get('/api/v1/namespaces/default/configmaps/x/nothing', { note: 'unknown subresource of a built-in' }),
      get('/api/v1/namespaces/default/configmaps/x/y/z', { note: 'too many segments' }),
      get('/definitely/not/an/api', { note: 'outside /api and /apis' }),
      get('/api/v1/configmaps/x', { note: 'namespaced resource named without a namespace' }),
      get('/api/v1/namespaces/default/namespaces', { note: 'a cluster-scoped resource under a namespace' }),
    ]),
    C('methods-on-discovery', 'writes to discovery documents', [
      post('/api/v1', {}, { note: 'POST a group-version document' }),
      post('/apis', {}, { note: 'POST the group list', select: servedGroups }),
    ]),
    C('aggregated-discovery', 'kubectl asks for aggregated discovery first; JSON is the fallback it accepts', [
      get('/api', {
        accept:
          'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json',
        select: (b: { kind?: string; items?: unknown[] }) => ({ kind: b.kind, items: b.items ? '<items>' : undefined }),
        deviation: {
          reason: 'no aggregated discovery: the legacy APIVersions document is served (clients fall back to it)',
        },
      }),
    ]),
    C('openapi-v3-index', 'GET /openapi/v3 names a document per served group-version', [
      get('/openapi/v3', {
        select: (b: { paths?: Record<string, { serverRelativeURL: string }> }) => ({
          paths: Object.fromEntries(
            Object.entries(b.paths ?? {})
              .filter(([k]) => k === 'api/v1' || Object.keys(SERVED).some((gv) => k === `apis/${gv}`))
              .map(([k, v]) => [
                k,
                { serverRelativeURL: v.serverRelativeURL.replace(/hash=[0-9A-F]+/i, 'hash=<hash>') },
              ]),
          ),
        }),
      }),
    ]),
    C('openapi-v2', 'GET /openapi/v2 as JSON', [
      get('/openapi/v2', {
        select: (b: { swagger?: string }) => ({ swagger: b.swagger }),
        deviation: { reason: 'no OpenAPI v2 (kubectl reads only the protobuf v2, and prefers v3)' },
      }),
    ]),
  ],
};
