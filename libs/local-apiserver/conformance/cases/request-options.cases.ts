import { core, del, get, nsd, patch, post, put, rvOf, watch, type Case, type Step } from '../harness/case.ts';
import type { CaseFile } from '../harness/suite.ts';
import { cm } from './configmap.cases.ts';
import { deployment } from './apps.cases.ts';

const C = (name: string, title: string, steps: Step[], more: Partial<Case> = {}): Case => ({
  id: `request-options/${name}`,
  title,
  steps,
  ...more,
});

const TABLE =
  'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json';

export const requestOptionsCases: CaseFile = {
  file: 'request-options',
  cases: [
    C('dry-run', 'dryRun=All: answers as if written, stores nothing', [
      post(core('configmaps'), cm('dr'), { query: { dryRun: 'All' } }),
      get(core('configmaps', 'dr')),
      post(core('configmaps'), cm('dr'), { id: 'c' }),
      put(core('configmaps', 'dr'), (c) => cm('dr', { a: '2' }, { metadata: { resourceVersion: rvOf(c, 'c') } }), {
        query: { dryRun: 'All' },
      }),
      patch(core('configmaps', 'dr'), 'merge', { data: { a: '3' } }, { query: { dryRun: 'All' } }),
      get(core('configmaps', 'dr')),
      post(core('configmaps'), cm('dr2'), { query: { dryRun: 'Sometimes' } }),
      post(core('configmaps'), cm('dr3'), { query: { dryRun: ['All', 'All'] } }),
      post(core('configmaps'), cm('Bad_'), { query: { dryRun: 'All' }, note: 'validation still runs' }),
      post(
        core('configmaps'),
        { apiVersion: 'v1', kind: 'ConfigMap', metadata: { generateName: 'g-' } },
        {
          query: { dryRun: 'All' },
        },
      ),
    ]),
    C('field-validation-builtin', 'fieldValidation on built-ins: Strict refuses, Warn warns, Ignore drops', [
      post(core('configmaps'), { ...cm('fv1'), bogus: 1 }, { note: 'default (Warn)' }),
      post(core('configmaps'), { ...cm('fv2'), bogus: 1 }, { query: { fieldValidation: 'Strict' } }),
      post(
        core('configmaps'),
        { ...cm('fv3'), bogus: 1, metadata: { name: 'fv3', bogusMeta: 2 } },
        {
          query: { fieldValidation: 'Warn' },
        },
      ),
      post(core('configmaps'), { ...cm('fv4'), bogus: 1 }, { query: { fieldValidation: 'Ignore' } }),
      post(
        core('configmaps'),
        '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"fv5"},"data":{"a":"1"},"data":{"b":"2"}}',
        { query: { fieldValidation: 'Strict' }, note: 'a duplicate field' },
      ),
      post(
        core('configmaps'),
        '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"fv6"},"data":{"a":"1"},"data":{"b":"2"}}',
        { query: { fieldValidation: 'Warn' }, note: 'a duplicate field, warned' },
      ),
      post(core('configmaps'), cm('fv7'), { query: { fieldValidation: 'Bogus' } }),
      patch(
        core('configmaps', 'fv1'),
        'merge',
        { bogus: 2 },
        {
          query: { fieldValidation: 'Strict' },
          deviation: {
            reason:
              'the real message embeds the patched object with its managedFields, which local-apiserver does not keep',
            paths: ['body.message', 'body.details.causes[0].message'],
          },
        },
      ),
      patch(core('configmaps', 'fv1'), 'strategic', { bogus: 2 }, { query: { fieldValidation: 'Strict' } }),
      post(
        nsd('apps/v1', 'deployments'),
        deployment('fvd', {
          template: {
            metadata: { labels: { app: 'fvd' } },
            spec: { containers: [{ name: 'c', image: 'x', imagee: 'typo' }] },
          },
        }),
        { query: { fieldValidation: 'Strict' }, note: "kubectl's default for create/apply" },
      ),
      post(
        nsd('apps/v1', 'deployments'),
        deployment('fvd2', {
          template: {
            metadata: { labels: { app: 'fvd2' } },
            spec: { containers: [{ name: 'c', image: 'x', imagee: 'typo' }] },
          },
        }),
        { query: { fieldValidation: 'Warn' } },
      ),
    ]),
    C('field-manager', 'fieldManager is accepted on writes (its managedFields are not compared)', [
      post(core('configmaps'), cm('fm'), { query: { fieldManager: 'conformance' } }),
      patch(core('configmaps', 'fm'), 'merge', { data: { a: '2' } }, { query: { fieldManager: 'x'.repeat(200) } }),
    ]),
    C('content-types', 'request and response media types: 415, 406, YAML, protobuf', [
      post(core('configmaps'), cm('ct1'), { contentType: 'text/plain' }),
      post(core('configmaps'), cm('ct3'), { contentType: 'application/json; charset=utf-8' }),
      post(core('configmaps'), cm('ct4'), {
        contentType: 'application/vnd.kubernetes.protobuf',
        note: 'JSON bytes labelled protobuf',
      }),
      get(core('configmaps', 'ct3'), { accept: 'application/xml' }),
      get(core('configmaps', 'ct3'), { accept: 'application/yaml' }),
      get(core('configmaps', 'ct3'), { accept: '*/*' }),
      get(core('configmaps', 'ct3'), {
        accept: 'application/vnd.kubernetes.protobuf, application/json',
        deviation: { reason: 'responses are always JSON: protobuf asked first is answered with the JSON listed next' },
      }),
      get(core('configmaps', 'ct3'), {
        accept: 'application/vnd.kubernetes.protobuf',
        deviation: { reason: 'responses are always JSON: Accept protobuf alone is 406' },
      }),
      get(core('configmaps'), {
        accept: 'application/json;as=PartialObjectMetadataList;v=v1;g=meta.k8s.io',
        query: { fieldSelector: 'metadata.name=ct3' },
        note: "selected: the real cluster's controllers add CA bundle ConfigMaps to every namespace",
      }),
      get(core('configmaps', 'ct3'), { accept: 'application/json;as=PartialObjectMetadata;v=v1;g=meta.k8s.io' }),
      get(core('configmaps', 'ct-missing'), { accept: 'application/yaml', note: 'an error in YAML too' }),
      get(core('configmaps'), {
        accept: 'application/json;as=PartialObjectMetadata;v=v1;g=meta.k8s.io',
        note: 'a list asked for as one object',
      }),
      get(core('configmaps', 'ct3'), {
        accept: 'application/json;as=PartialObjectMetadataList;v=v1;g=meta.k8s.io',
        note: 'an object asked for as a list',
      }),
      get(core('configmaps', 'ct3'), {
        accept: 'application/json;as=Table;v=v1;g=meta.k8s.io;q=0.5, application/yaml',
        note: 'q orders the clauses',
      }),
      get(core('configmaps', 'ct3'), {
        accept: 'application/json;as=Table;v=v1;g=meta.k8s.io',
        query: { includeObject: 'Everything' },
        note: 'a Table error is JSON (errors negotiate without conversions)',
      }),
      watch(
        core('configmaps'),
        { fieldSelector: 'metadata.name=ct3' },
        { events: 1 },
        { accept: 'application/json;as=PartialObjectMetadata;v=v1;g=meta.k8s.io', note: 'a metadata-only watch' },
      ),
      watch(
        core('configmaps'),
        { fieldSelector: 'metadata.name=ct3' },
        { events: 0 },
        { accept: 'application/yaml', note: 'YAML has no stream serializer: 406' },
      ),
      // Last, so that the objects the real server creates here shift no later resourceVersion token.
      post(core('configmaps'), cm('ct2'), {
        contentType: null,
        note: 'no Content-Type',
        deviation: {
          reason: 'a body without Content-Type is refused (415), not read as JSON: a web page can send one cross-site',
        },
      }),
    ]),
    C('methods', 'verbs a path does not serve: 405', [
      post(core('configmaps', 'x'), cm('x'), { note: 'POST to a named path' }),
      put(core('configmaps'), cm('x'), { note: 'PUT to a collection' }),
      patch(core('configmaps'), 'merge', {}, { note: 'PATCH a collection' }),
      del(core('configmaps', 'x') + '/status', undefined, { note: 'DELETE a subresource' }),
      get(core('configmaps', 'x') + '/status', { note: 'ConfigMaps have no status' }),
      { method: 'HEAD', path: core('configmaps') },
    ]),
    C('tables-builtin', 'Tables of built-ins (kubectl get)', [
      post(core('configmaps'), cm('tb', { a: '1', b: '2' }, { metadata: { labels: { t: 'b' } } })),
      get(core('configmaps'), { accept: TABLE, query: { labelSelector: 't=b' } }),
      get(core('configmaps', 'tb'), { accept: TABLE }),
      post(core('secrets'), { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'ts' }, data: { a: 'YQ==' } }),
      get(core('secrets'), { accept: TABLE }),
      get('/api/v1/namespaces/{{ns}}', { accept: TABLE }),
      post(core('serviceaccounts'), { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'tsa' } }),
      get(core('serviceaccounts', 'tsa'), { accept: TABLE }),
      post(core('services'), {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: 'tsvc' },
        spec: { ports: [{ port: 80 }] },
      }),
      get(core('services', 'tsvc'), { accept: TABLE }),
      post(nsd('coordination.k8s.io/v1', 'leases'), {
        apiVersion: 'coordination.k8s.io/v1',
        kind: 'Lease',
        metadata: { name: 'tl' },
        spec: { holderIdentity: 'me' },
      }),
      get(nsd('coordination.k8s.io/v1', 'leases'), { accept: TABLE }),
      post(nsd('rbac.authorization.k8s.io/v1', 'roles'), {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'Role',
        metadata: { name: 'tr' },
        rules: [],
      }),
      get(nsd('rbac.authorization.k8s.io/v1', 'roles'), { accept: TABLE }),
    ]),
  ],
};
