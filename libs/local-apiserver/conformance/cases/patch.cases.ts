import { core, get, nsd, patch, post, uidOf, type Case, type Step } from '../harness/case.ts';
import type { CaseFile } from '../harness/suite.ts';
import { cm } from './configmap.cases.ts';
import { deployment } from './apps.cases.ts';

const C = (name: string, title: string, steps: Step[], more: Partial<Case> = {}): Case => ({
  id: `patch/${name}`,
  title,
  steps,
  ...more,
});

const DEPLOYMENT_RACY = [
  'body.status',
  'body.metadata.resourceVersion',
  'body.metadata.annotations["deployment.kubernetes.io/revision"]',
];

const withFinalizers = (fins: string[]) => cm('f', { a: '1' }, { metadata: { finalizers: fins } });

export const patchCases: CaseFile = {
  file: 'patch',
  cases: [
    C('merge', 'JSON merge patch: maps merge, null deletes, lists are replaced', [
      post(core('configmaps'), cm('m', { a: '1', b: '2' }, { metadata: { labels: { x: '1', y: '2' } } })),
      patch(core('configmaps', 'm'), 'merge', { data: { b: null, c: '3' }, metadata: { labels: { y: null } } }),
      patch(core('configmaps', 'm'), 'merge', { metadata: { finalizers: ['example.com/a', 'example.com/b'] } }),
      patch(
        core('configmaps', 'm'),
        'merge',
        { metadata: { finalizers: ['example.com/b'] } },
        { note: 'the list is replaced' },
      ),
      patch(core('configmaps', 'm'), 'merge', { metadata: { finalizers: null } }),
      patch(core('configmaps', 'm'), 'merge', '{"data":', { note: 'malformed patch' }),
      patch(core('configmaps', 'm'), 'merge', '[]', { note: 'a merge patch that is not an object' }),
      patch(core('configmaps', 'm'), 'merge', { metadata: { name: 'renamed' } }, { note: 'a patch may not rename' }),
      patch(
        core('configmaps', 'm'),
        'merge',
        { metadata: { resourceVersion: '1' } },
        { note: 'a stale resourceVersion in a patch' },
      ),
      patch(core('configmaps', 'm'), 'merge', { metadata: { uid: '6b0c3a3e-0000-4000-8000-000000000009' } }),
      patch(
        core('configmaps', 'm'),
        'merge',
        { data: { a: 5 } },
        {
          note: 'a patch that makes the object undecodable',
          deviation: {
            reason:
              'the real message embeds the patched object with its managedFields, which local-apiserver does not keep',
            paths: ['body.message', 'body.details.causes[0].message'],
          },
        },
      ),
      patch(core('configmaps', 'missing'), 'merge', { data: { a: '1' } }),
    ]),
    C('json-patch', 'RFC 6902 operations and their failures', [
      post(core('configmaps'), cm('j', { a: '1' })),
      patch(core('configmaps', 'j'), 'json', [
        { op: 'add', path: '/data/b', value: '2' },
        { op: 'replace', path: '/data/a', value: '10' },
        { op: 'copy', from: '/data/a', path: '/data/c' },
        { op: 'move', from: '/data/c', path: '/data/d' },
        { op: 'add', path: '/metadata/labels', value: { k: 'v' } },
      ]),
      patch(core('configmaps', 'j'), 'json', [{ op: 'remove', path: '/data/zzz' }], { note: 'remove a missing key' }),
      patch(core('configmaps', 'j'), 'json', [{ op: 'replace', path: '/data/zzz', value: 'x' }], {
        note: 'replace a missing key',
      }),
      patch(core('configmaps', 'j'), 'json', [{ op: 'test', path: '/data/a', value: 'nope' }]),
      patch(core('configmaps', 'j'), 'json', [{ op: 'jump', path: '/data/a' }], { note: 'unknown op' }),
      patch(core('configmaps', 'j'), 'json', { op: 'add' }, { note: 'not an array' }),
      patch(core('configmaps', 'j'), 'json', [{ op: 'add', path: '/metadata/finalizers', value: ['example.com/x'] }]),
      patch(core('configmaps', 'j'), 'json', [
        { op: 'add', path: '/metadata/finalizers/0', value: 'example.com/first' },
      ]),
      patch(core('configmaps', 'j'), 'json', [{ op: 'remove', path: '/metadata/finalizers/5' }], {
        note: 'index out of range',
      }),
      patch(core('configmaps', 'j'), 'json', [{ op: 'remove', path: '/metadata/finalizers' }]),
      patch(core('configmaps', 'j'), 'json', [], { note: 'an empty patch' }),
    ]),
    C('json-patch-edges', "json-patch v4's semantics as kube-apiserver applies them, and its decoding errors", [
      post(core('configmaps'), cm('e', { a: '1' })),
      patch(core('configmaps', 'e'), 'json', [{ op: 'add', path: '/data/x' }], { note: 'add without a value' }),
      patch(core('configmaps', 'e'), 'json', [{ path: '/data/x', value: '1' }], { note: 'no op' }),
      patch(core('configmaps', 'e'), 'json', [{ op: 'add', path: 'data/y', value: '2' }], {
        note: 'a pointer without its leading slash: the first segment is skipped',
      }),
      patch(core('configmaps', 'e'), 'json', [{ op: 'add', path: '/data/q', value: '2', extra: 1 }]),
      patch(core('configmaps', 'e'), 'json', [{ op: 'copy', from: '/data/nope', path: '/data/c' }], {
        note: 'copy from a missing member writes null',
      }),
      patch(core('configmaps', 'e'), 'json', [{ op: 'test', path: '/data/nope', value: null }]),
      patch(core('configmaps', 'e'), 'json', [{ op: 'test', path: '/data/a', value: '1' }]),
      patch(core('configmaps', 'e'), 'json', [
        { op: 'add', path: '/metadata/finalizers', value: ['example.com/a'] },
        { op: 'add', path: '/metadata/finalizers/-1', value: 'example.com/b' },
      ]),
      patch(core('configmaps', 'e'), 'json', [{ op: 'remove', path: '/metadata/finalizers/-1' }], {
        note: 'negative indices count from the end',
      }),
      patch(core('configmaps', 'e'), 'json', [{ op: 'add', path: '/metadata/finalizers/01', value: 'example.com/c' }]),
      patch(core('configmaps', 'e'), 'json', [{ op: 'add', path: '/metadata/finalizers/x', value: 'example.com/d' }]),
      patch(core('configmaps', 'e'), 'json', [{ op: 'remove', path: '' }]),
      patch(core('configmaps', 'e'), 'json', [{ op: 'add', path: '', value: { a: 1 } }]),
      patch(core('configmaps', 'e'), 'json', [{ op: 'move', from: '/data/a', path: '/data/a' }]),
      patch(core('configmaps', 'e'), 'json', [{ op: 'add', path: '/nope/x', value: '1' }]),
      patch(core('configmaps', 'e'), 'json', [
        {
          op: 'replace',
          path: '',
          value: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'e' }, data: { r: '1' } },
        },
      ]),
      patch(core('configmaps', 'e'), 'json', '[1]'),
      patch(core('configmaps', 'e'), 'json', '[{"op":1}]'),
      patch(core('configmaps', 'e'), 'json', '[{"op":"add","path":5,"value":1}]'),
      patch(core('configmaps', 'e'), 'json', '"x"'),
      patch(core('configmaps', 'e'), 'json', 'null', { note: 'null is the empty patch' }),
      patch(core('configmaps', 'e'), 'json', '[null]'),
      patch(core('configmaps', 'e'), 'json', 'nope'),
      patch(core('configmaps', 'e'), 'json', '', { note: 'an empty body' }),
      patch(core('configmaps', 'e'), 'merge', 'null'),
      patch(core('configmaps', 'e'), 'merge', '5'),
      patch(core('configmaps', 'e'), 'strategic', '[1]'),
      patch(core('configmaps', 'e'), 'strategic', '{"data":'),
      patch(core('configmaps', 'e'), 'strategic', 'null', { note: 'changes nothing' }),
    ]),
    C(
      'strategic-finalizers',
      'strategic merge patch of finalizers (a set): order, $deleteFromPrimitiveList, $setElementOrder',
      [
        post(core('configmaps'), withFinalizers(['example.com/a', 'example.com/b'])),
        patch(
          core('configmaps', 'f'),
          'strategic',
          { metadata: { finalizers: ['example.com/c'] } },
          {
            note: 'finalizers merge: added at the end',
          },
        ),
        patch(
          core('configmaps', 'f'),
          'strategic',
          { metadata: { finalizers: ['example.com/a', 'example.com/d'] } },
          {
            note: 'an existing one and a new one',
          },
        ),
        patch(core('configmaps', 'f'), 'strategic', {
          metadata: { '$deleteFromPrimitiveList/finalizers': ['example.com/b'] },
        }),
        patch(core('configmaps', 'f'), 'strategic', {
          metadata: {
            '$setElementOrder/finalizers': ['example.com/d', 'example.com/c', 'example.com/a'],
            finalizers: ['example.com/d'],
          },
        }),
        patch(core('configmaps', 'f'), 'strategic', { metadata: { finalizers: null } }),
      ],
    ),
    C('strategic-lists', 'strategic merge patch of keyed lists in a Deployment: containers, env, ports, $patch', [
      post(
        nsd('apps/v1', 'deployments'),
        deployment('smp', {
          template: {
            metadata: { labels: { app: 'smp' } },
            spec: {
              containers: [
                { name: 'a', image: 'nginx:1', env: [{ name: 'X', value: '1' }], ports: [{ containerPort: 80 }] },
                { name: 'b', image: 'busybox:1' },
              ],
            },
          },
        }),
      ),
      patch(
        nsd('apps/v1', 'deployments', 'smp'),
        'strategic',
        {
          spec: {
            template: {
              spec: {
                containers: [
                  { name: 'b', image: 'busybox:2' },
                  { name: 'c', image: 'redis:7' },
                ],
              },
            },
          },
        },
        { racy: DEPLOYMENT_RACY, note: 'containers merge by name: b updated, c added, a kept' },
      ),
      patch(
        nsd('apps/v1', 'deployments', 'smp'),
        'strategic',
        {
          spec: {
            template: {
              spec: { containers: [{ name: 'a', env: [{ name: 'Y', value: '2' }], ports: [{ containerPort: 443 }] }] },
            },
          },
        },
        { racy: DEPLOYMENT_RACY, note: 'env by name, ports by containerPort' },
      ),
      patch(
        nsd('apps/v1', 'deployments', 'smp'),
        'strategic',
        { spec: { template: { spec: { containers: [{ name: 'c', $patch: 'delete' }] } } } },
        { racy: DEPLOYMENT_RACY, note: '$patch: delete removes one element' },
      ),
      patch(
        nsd('apps/v1', 'deployments', 'smp'),
        'strategic',
        { spec: { template: { spec: { containers: [{ name: 'z', image: 'z:1' }, { $patch: 'replace' }] } } } },
        { racy: DEPLOYMENT_RACY, note: '$patch: replace replaces the list' },
      ),
      patch(
        nsd('apps/v1', 'deployments', 'smp'),
        'strategic',
        { spec: { strategy: { $retainKeys: ['type'], type: 'Recreate' } } },
        { racy: DEPLOYMENT_RACY, note: '$retainKeys drops rollingUpdate' },
      ),
      patch(
        nsd('apps/v1', 'deployments', 'smp'),
        'strategic',
        { spec: { template: { spec: { containers: { name: 'x' } } } } },
        {
          note: 'a list given as an object',
        },
      ),
    ]),
    C('strategic-owner-references', 'ownerReferences merge by uid', [
      post(core('configmaps'), cm('owner1'), { id: 'o1' }),
      post(core('configmaps'), cm('owner2'), { id: 'o2' }),
      post(core('configmaps'), (c) =>
        cm(
          'dep',
          { a: '1' },
          {
            metadata: {
              ownerReferences: [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'owner1', uid: uidOf(c, 'o1') }],
            },
          },
        ),
      ),
      patch(core('configmaps', 'dep'), 'strategic', (c) => ({
        metadata: {
          ownerReferences: [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'owner2', uid: uidOf(c, 'o2') }],
        },
      })),
      patch(core('configmaps', 'dep'), 'strategic', (c) => ({
        metadata: { ownerReferences: [{ uid: uidOf(c, 'o1'), $patch: 'delete' }] },
      })),
      get(core('configmaps', 'dep')),
    ]),
    C('patch-content-types', 'patch content types that are not accepted', [
      post(core('configmaps'), cm('ct')),
      patch(
        core('configmaps', 'ct'),
        'merge',
        { data: { a: '2' } },
        { contentType: 'application/json', note: 'plain JSON' },
      ),
      patch(core('configmaps', 'ct'), 'merge', { data: { a: '2' } }, { contentType: 'text/plain' }),
      patch(core('configmaps', 'ct'), 'merge', { data: { a: '2' } }, { contentType: null, note: 'no Content-Type' }),
      patch(
        core('configmaps', 'ct'),
        'merge',
        { data: { a: '2' } },
        { query: { force: 'true' }, note: 'force is for apply only' },
      ),
      get(core('configmaps', 'ct')),
      patch(
        core('configmaps', 'ct'),
        'apply',
        'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ct\ndata:\n  a: "3"\n',
        {
          query: { fieldManager: 'conformance' },
          deviation: { reason: 'no server-side apply: application/apply-patch+yaml answers 415' },
        },
      ),
    ]),
  ],
};
