import { del, get, patch, post, put, rvOf, type Case, type Step } from '../harness/case.ts';
import type { CaseFile } from '../harness/suite.ts';
import { WGV, widget, widgetFixture, widgets } from './crd.cases.ts';

const C = (name: string, title: string, steps: Step[], more: Partial<Case> = {}): Case => ({
  id: `custom-resource/${name}`,
  title,
  steps,
  fixtures: [widgetFixture],
  ...more,
});

const TABLE =
  'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json';

export const customResourceCases: CaseFile = {
  file: 'custom-resource',
  cases: [
    C('create-defaults', 'a Widget gets its schema defaults, generation 1, no status', [
      post(widgets(), widget('w1', { replicas: 1 }, { status: { ready: true } })),
      get(widgets('w1')),
      get(widgets()),
      get(`/apis/${WGV}/widgets`, { query: { labelSelector: 'nothing=here' }, note: 'across namespaces' }),
    ]),
    C('schema-validation', 'schema violations are 422 with the real messages', [
      post(widgets(), widget('v1', { replicas: 9 })),
      post(widgets(), widget('v2', { replicas: 'two' })),
      post(widgets(), widget('v3', {}), { note: 'required replicas' }),
      post(widgets(), widget('v4', { replicas: 1, color: 'purple' })),
      post(widgets(), widget('v5', { replicas: 1, size: 'enormous' })),
      post(widgets(), widget('v6', { replicas: 1, tags: ['a', 'b', 'c', 'd'] })),
      post(widgets(), widget('v7', { replicas: 1, tags: ['a', 'a'] }), { note: 'list-type set duplicates' }),
      post(widgets(), widget('v8', { replicas: 1, email: 'not-an-email' })),
      post(widgets(), widget('v9', { replicas: 1, count: 3000000000 }), { note: 'int32 out of range' }),
      post(widgets(), widget('v10', { replicas: -1, color: 'pink' }), {
        note: 'two errors at once (the real server orders them at random)',
        unordered: ['body.details.causes'],
        racy: ['body.message'],
      }),
      post(widgets(), widget('v11', { replicas: 1, port: 8080 }), { note: 'int-or-string takes an int' }),
      post(widgets(), widget('v12', { replicas: 1, port: 'http' }), { note: '... and a string' }),
      post(widgets(), widget('v13', { replicas: 1, nullable: null })),
      post(widgets(), widget('v14', { replicas: 1, color: null }), {
        note: 'null for a defaulted, non-nullable field',
      }),
    ]),
    C('decode', 'custom resource bodies: kind, apiVersion, names', [
      post(widgets(), { apiVersion: WGV, metadata: { name: 'nokind' }, spec: { replicas: 1 } }, { note: 'no kind' }),
      post(widgets(), { ...widget('wrongkind'), kind: 'Gizmo' }),
      post(widgets(), { ...widget('wrongversion'), apiVersion: 'c{{run}}.example.com/v9' }),
      post(widgets(), widget('Bad_Name')),
      post(widgets(), widget('a.b'), { note: 'dots are fine in custom resource names' }),
      post(widgets(), '{"apiVersion":', { note: 'truncated JSON' }),
      post(
        widgets(),
        { ...widget('othergroup'), apiVersion: 'other.example.com/v1' },
        { note: 'not pruned: no warning' },
      ),
      post(widgets(), { kind: 'Widget', metadata: { name: 'noversion' }, spec: { replicas: 1 } }),
      post(widgets(), { ...widget('threeparts'), apiVersion: 'c{{run}}.example.com/v1/x' }),
      post(
        widgets(),
        { ...widget('wrongversion2'), apiVersion: 'c{{run}}.example.com/v9' },
        {
          query: { fieldValidation: 'Strict' },
          note: 'pruned with no schema: strict decoding error first',
        },
      ),
      post(
        widgets(),
        {
          ...widget('wrongkind2', { replicas: 1, bogus: 1 }),
          kind: 'Gizmo',
          metadata: { name: 'wrongkind2', bogusMeta: 1 },
        },
        { note: 'another kind is not pruned; unknown metadata fields still warn' },
      ),
    ]),
    C('unknown-fields', 'unknown fields are pruned; fieldValidation decides what the client is told', [
      post(widgets(), widget('f1', { replicas: 1, bogus: 1 }, { extra: true }), { note: 'default: Warn' }),
      get(widgets('f1')),
      post(widgets(), widget('f2', { replicas: 1, bogus: 1 }), { query: { fieldValidation: 'Strict' } }),
      post(widgets(), widget('f3', { replicas: 1, bogus: 1 }), { query: { fieldValidation: 'Ignore' } }),
      post(widgets(), widget('f4', { replicas: 1, free: { any: { thing: 1 } } }), {
        query: { fieldValidation: 'Strict' },
        note: 'preserve-unknown-fields subtree',
      }),
      post(widgets(), widget('f5', { replicas: 1 }, { metadata: { bogusMeta: 1 } }), {
        query: { fieldValidation: 'Strict' },
      }),
      patch(
        widgets('f1'),
        'merge',
        { spec: { bogus2: 2 } },
        {
          query: { fieldValidation: 'Strict' },
          deviation: {
            reason:
              'the real message embeds the patched object with its managedFields, which local-apiserver does not keep',
            paths: ['body.message', 'body.details.causes[0].message'],
          },
        },
      ),
      patch(widgets('f1'), 'merge', { spec: { bogus3: 3 } }, { query: { fieldValidation: 'Warn' } }),
      post(widgets(), widget('f6', { replicas: 1 }), { query: { fieldValidation: 'Loose' } }),
      post(
        widgets(),
        '{"apiVersion":"c{{run}}.example.com/v1","kind":"Widget","metadata":{"name":"f7"},"spec":{"replicas":1,"replicas":2}}',
        {
          query: { fieldValidation: 'Strict' },
          note: 'a duplicate field',
        },
      ),
    ]),
    C('status-subresource', 'with a status subresource: main writes ignore status, status writes ignore spec', [
      post(widgets(), widget('s1', { replicas: 1 }), { id: 'c' }),
      put(widgets('s1') + '/status', (c) =>
        widget(
          's1',
          { replicas: 4 },
          { metadata: { resourceVersion: rvOf(c, 'c') }, status: { replicas: 1, ready: true } },
        ),
      ),
      patch(
        widgets('s1'),
        'merge',
        { spec: { replicas: 2 }, status: { ready: false } },
        {
          note: 'spec changes bump generation; status is ignored',
        },
      ),
      patch(widgets('s1') + '/status', 'merge', { status: { replicas: 'x' } }, { note: 'status is validated' }),
      patch(
        widgets('s1'),
        'merge',
        { metadata: { labels: { a: 'b' } } },
        { note: 'metadata does not bump generation' },
      ),
      get(widgets('s1') + '/status'),
      get(widgets('missing') + '/status'),
    ]),
    C('scale-subresource', 'the scale subresource of a custom resource', [
      post(widgets(), widget('sc', { replicas: 1 })),
      patch(widgets('sc') + '/status', 'merge', { status: { replicas: 1, selector: 'app=sc' } }),
      get(widgets('sc') + '/scale'),
      put(widgets('sc') + '/scale', {
        apiVersion: 'autoscaling/v1',
        kind: 'Scale',
        metadata: { name: 'sc' },
        spec: { replicas: 3 },
      }),
      patch(widgets('sc') + '/scale', 'merge', { spec: { replicas: 9 } }, { note: 'the schema still applies' }),
      patch(widgets('sc') + '/scale', 'json', [{ op: 'replace', path: '/spec/replicas', value: 2 }]),
      get(widgets('sc')),
      put(
        widgets('sc') + '/scale',
        {
          apiVersion: 'autoscaling/v1',
          kind: 'Scale',
          metadata: { name: 'sc', resourceVersion: '1' },
          spec: { replicas: 3 },
        },
        {
          note: 'a stale resourceVersion on the scale',
        },
      ),
    ]),
    C('table', 'kubectl get: a Table with the printer columns', [
      post(widgets(), widget('t1', { replicas: 2, color: 'blue' })),
      post(widgets(), widget('t2', { replicas: 3 })),
      get(widgets(), { accept: TABLE }),
      get(widgets('t1'), { accept: TABLE }),
      get(widgets(), { accept: TABLE, query: { includeObject: 'Object' } }),
      get(widgets(), { accept: TABLE, query: { includeObject: 'None' } }),
      get(widgets(), { accept: TABLE, query: { includeObject: 'Everything' } }),
      get(widgets('t1'), { query: { includeObject: 'Everything' }, note: 'no Table asked: includeObject is ignored' }),
      get(widgets(), { accept: 'application/json;as=Table;v=v1;g=meta.k8s.io', query: { limit: '1' } }),
    ]),
    C('selectable-fields', 'field selectors on custom resources: metadata and selectableFields', [
      post(widgets(), widget('r', { replicas: 1, color: 'red' })),
      post(widgets(), widget('g', { replicas: 1, color: 'green' })),
      post(widgets(), widget('d', { replicas: 1 }), { note: 'color defaulted to red' }),
      get(widgets(), { query: { fieldSelector: 'spec.color=red' } }),
      get(widgets(), { query: { fieldSelector: 'spec.color!=red' } }),
      get(widgets(), { query: { fieldSelector: 'metadata.name=g' } }),
      get(widgets(), { query: { fieldSelector: 'spec.replicas=1' }, note: 'not selectable' }),
    ]),
    C('patch-types', 'patches of custom resources: merge, JSON, strategic (415), apply', [
      post(widgets(), widget('p', { replicas: 1, tags: ['a'] })),
      patch(widgets('p'), 'merge', { spec: { tags: ['b', 'c'], color: null } }),
      patch(widgets('p'), 'json', [
        { op: 'add', path: '/spec/tags/-', value: 'd' },
        { op: 'replace', path: '/spec/replicas', value: 3 },
      ]),
      patch(widgets('p'), 'json', [{ op: 'test', path: '/spec/replicas', value: 1 }], { note: 'a failing test op' }),
      patch(widgets('p'), 'json', [{ op: 'remove', path: '/spec/nothing' }]),
      patch(widgets('p'), 'strategic', { spec: { replicas: 2 } }),
      patch(
        widgets('p'),
        'apply',
        { apiVersion: WGV, kind: 'Widget', metadata: { name: 'p' }, spec: { replicas: 2 } },
        {
          query: { fieldManager: 'conformance' },
          deviation: { reason: 'no server-side apply: application/apply-patch+yaml answers 415' },
        },
      ),
      patch(widgets('p'), 'merge', { spec: { replicas: 7 } }, { note: 'a patch that makes the object invalid' }),
      patch(widgets('nothere'), 'merge', { spec: { replicas: 1 } }),
    ]),
    C('finalizers', 'finalizers on a custom resource: deletion waits, removal deletes', [
      post(widgets(), widget('fin', { replicas: 1 }, { metadata: { finalizers: ['example.com/cleanup'] } })),
      del(widgets('fin')),
      get(widgets('fin')),
      patch(
        widgets('fin'),
        'merge',
        { metadata: { finalizers: ['example.com/cleanup', 'example.com/more'] } },
        {
          note: 'no new finalizers while deleting',
        },
      ),
      patch(widgets('fin'), 'merge', { spec: { replicas: 2 } }, { note: 'spec may still change' }),
      patch(widgets('fin'), 'merge', { metadata: { finalizers: null } }),
      get(widgets('fin')),
    ]),
    C('delete-collection', 'deletecollection of custom resources with a selector', [
      post(widgets(), widget('dc1', { replicas: 1 }, { metadata: { labels: { batch: 'x' } } })),
      post(widgets(), widget('dc2', { replicas: 1 }, { metadata: { labels: { batch: 'x' } } })),
      post(widgets(), widget('dc3', { replicas: 1 })),
      del(widgets(), undefined, { query: { labelSelector: 'batch=x' } }),
      get(widgets()),
    ]),
    C('put-replaces', 'PUT replaces spec; status and generation rules', [
      post(widgets(), widget('pr', { replicas: 1, color: 'blue', tags: ['x'] }), { id: 'c' }),
      put(widgets('pr'), (c) => widget('pr', { replicas: 1 }, { metadata: { resourceVersion: rvOf(c, 'c') } }), {
        note: 'color defaults again, tags gone',
      }),
    ]),
  ],
};
