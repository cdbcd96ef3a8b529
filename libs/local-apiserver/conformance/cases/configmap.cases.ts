import { core, del, get, patch, post, put, rvOf, uidOf, type Case } from '../harness/case.ts';
import type { CaseFile } from '../harness/suite.ts';

export const cm = (name: string, data: Record<string, string> = { a: '1' }, extra: Record<string, unknown> = {}) => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, ...((extra.metadata as object) ?? {}) },
  data,
  ...Object.fromEntries(Object.entries(extra).filter(([k]) => k !== 'metadata')),
});

const C = (name: string, title: string, steps: Case['steps'], more: Partial<Case> = {}): Case => ({
  id: `configmap/${name}`,
  title,
  steps,
  ...more,
});

export const configmapCases: CaseFile = {
  file: 'configmap',
  cases: [
    C('crud', 'create, get, list, update, delete a ConfigMap', [
      post(core('configmaps'), cm('one', { a: '1' }, { metadata: { labels: { app: 'x' } } }), { id: 'create' }),
      get(core('configmaps', 'one')),
      get(core('configmaps'), { query: { labelSelector: 'app=x' } }),
      put(
        core('configmaps', 'one'),
        (c) => cm('one', { a: '2' }, { metadata: { resourceVersion: rvOf(c, 'create') } }),
        {
          id: 'update',
        },
      ),
      put(
        core('configmaps', 'one'),
        (c) => cm('one', { a: '3' }, { metadata: { resourceVersion: rvOf(c, 'create') } }),
        {
          note: 'stale resourceVersion: 409 Conflict',
        },
      ),
      put(core('configmaps', 'one'), cm('one', { a: '4' }), {
        note: 'no resourceVersion: ConfigMaps allow unconditional update',
      }),
      del(core('configmaps', 'one')),
      get(core('configmaps', 'one'), { note: '404 after delete' }),
      del(core('configmaps', 'one'), undefined, { note: '404 on a second delete' }),
    ]),
    C('already-exists', 'a second create of the same name is 409 AlreadyExists', [
      post(core('configmaps'), cm('dup')),
      post(core('configmaps'), cm('dup')),
    ]),
    C('generate-name', 'generateName gives a name of the prefix and 5 random characters', [
      post(core('configmaps'), { apiVersion: 'v1', kind: 'ConfigMap', metadata: { generateName: 'gen-' }, data: {} }),
      post(
        core('configmaps'),
        { apiVersion: 'v1', kind: 'ConfigMap', metadata: { generateName: 'Bad_' } },
        {
          note: 'invalid prefix: 422 on the generated name',
        },
      ),
    ]),
    C('name-mismatch', 'PUT whose body names another object is 400', [
      post(core('configmaps'), cm('n1'), { id: 'c' }),
      put(core('configmaps', 'n1'), (c) => cm('n2', { a: '1' }, { metadata: { resourceVersion: rvOf(c, 'c') } })),
      put(core('configmaps', 'n1'), (c) =>
        cm('n1', { a: '1' }, { metadata: { namespace: 'other', resourceVersion: rvOf(c, 'c') } }),
      ),
      post(core('configmaps'), cm('n3', { a: '1' }, { metadata: { namespace: 'other' } }), {
        note: 'create with a body namespace different from the URL',
      }),
    ]),
    C('validation', 'invalid names, keys and labels are 422 with field causes', [
      post(core('configmaps'), cm('Not_Valid')),
      post(core('configmaps'), cm('okname', { 'bad key!': 'x' })),
      post(core('configmaps'), cm('okname2', { a: '1' }, { binaryData: { a: 'eA==' } }), {
        note: 'the same key in data and binaryData',
      }),
      post(core('configmaps'), cm('okname3', { a: '1' }, { metadata: { labels: { 'bad label': 'x' } } })),
      post(core('configmaps'), cm('okname4', { a: '1' }, { metadata: { annotations: { 'bad/key/x': 'x' } } })),
      post(core('configmaps'), { apiVersion: 'v1', kind: 'ConfigMap', metadata: {} }, { note: 'no name at all' }),
      post(core('configmaps'), cm('x'.repeat(254)), { note: 'name over 253 characters' }),
    ]),
    C('decode-errors', 'bodies that cannot be decoded are 400', [
      post(core('configmaps'), '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"x"},', {
        note: 'truncated JSON',
      }),
      post(core('configmaps'), { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'x' } }, { note: 'wrong kind' }),
      post(
        core('configmaps'),
        { apiVersion: 'v2', kind: 'ConfigMap', metadata: { name: 'x' } },
        {
          note: 'wrong apiVersion',
        },
      ),
      post(
        core('configmaps'),
        { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' }, data: { a: 1 } },
        {
          note: 'data value not a string',
        },
      ),
      post(core('configmaps'), '[]', { note: 'a JSON array' }),
      post(
        core('configmaps'),
        { metadata: { name: 'nokind' }, data: { a: '1' } },
        {
          note: 'no apiVersion/kind: built-ins take them from the URL',
        },
      ),
    ]),
    C('immutable', 'an immutable ConfigMap refuses data changes and un-immutability', [
      post(core('configmaps'), cm('imm', { a: '1' }, { immutable: true }), { id: 'c' }),
      put(core('configmaps', 'imm'), (c) =>
        cm('imm', { a: '2' }, { immutable: true, metadata: { resourceVersion: rvOf(c, 'c') } }),
      ),
      patch(core('configmaps', 'imm'), 'merge', { immutable: false }),
      patch(
        core('configmaps', 'imm'),
        'merge',
        { metadata: { labels: { l: 'v' } } },
        {
          note: 'metadata may still change',
        },
      ),
    ]),
    C('uid-precondition', 'PUT with a different metadata.uid is 409', [
      post(core('configmaps'), cm('u1'), { id: 'c' }),
      put(core('configmaps', 'u1'), (c) =>
        cm(
          'u1',
          { a: '2' },
          {
            metadata: { resourceVersion: rvOf(c, 'c'), uid: '6b0c3a3e-0000-4000-8000-000000000000' },
          },
        ),
      ),
      put(core('configmaps', 'u1'), (c) =>
        cm('u1', { a: '2' }, { metadata: { resourceVersion: rvOf(c, 'c'), uid: uidOf(c, 'c') } }),
      ),
    ]),
    C('no-op-update', 'an update that changes nothing keeps the resourceVersion', [
      post(core('configmaps'), cm('noop'), { id: 'c' }),
      put(core('configmaps', 'noop'), (c) => cm('noop', { a: '1' }, { metadata: { resourceVersion: rvOf(c, 'c') } })),
      patch(core('configmaps', 'noop'), 'merge', { data: { a: '1' } }),
      get(core('configmaps', 'noop')),
    ]),
    C('system-fields', 'create ignores uid, creationTimestamp, generation and deletion fields sent by the client', [
      post(
        core('configmaps'),
        cm(
          'sys',
          { a: '1' },
          {
            metadata: {
              uid: '6b0c3a3e-0000-4000-8000-000000000001',
              creationTimestamp: '2001-01-01T00:00:00Z',
              generation: 7,
              deletionTimestamp: '2001-01-01T00:00:00Z',
              deletionGracePeriodSeconds: 5,
              selfLink: '/x',
            },
          },
        ),
      ),
      post(core('configmaps'), cm('sys2', { a: '1' }, { metadata: { resourceVersion: '12' } }), {
        note: 'resourceVersion on create',
      }),
    ]),
    C('yaml-body', 'a YAML request body', [
      post(core('configmaps'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: y1\ndata:\n  a: "1"\n', {
        contentType: 'application/yaml',
      }),
      post(core('configmaps'), 'apiVersion: v1\nkind: ConfigMap\nmetadata: [\n', {
        contentType: 'application/yaml',
        note: 'malformed YAML',
        deviation: {
          reason:
            "a YAML syntax error is worded by the `yaml` package, not by go-yaml's port of libyaml (code, reason and the message around it match)",
          paths: ['body.message'],
        },
      }),
    ]),
  ],
};
