import {
  core,
  del,
  get,
  metaOf,
  patch,
  post,
  rvOf,
  uidOf,
  type Case,
  type CaseContext,
  type Step,
} from '../harness/case.ts';
import type { CaseFile } from '../harness/suite.ts';
import { cm } from './configmap.cases.ts';

const C = (name: string, title: string, steps: Step[], more: Partial<Case> = {}): Case => ({
  id: `delete/${name}`,
  title,
  steps,
  ...more,
});

/** A ConfigMap owned by the step `ownerId`'s object. */
const child =
  (name: string, ownerId: string, extra: Record<string, unknown> = {}) =>
  (c: CaseContext) =>
    cm(
      name,
      { a: '1' },
      {
        metadata: {
          ownerReferences: [
            {
              apiVersion: 'v1',
              kind: 'ConfigMap',
              name: metaOf(c.step(ownerId)).name,
              uid: uidOf(c, ownerId),
              ...extra,
            },
          ],
        },
      },
    );

const gone = (r: { status: number }) => r.status === 404;

export const deleteCases: CaseFile = {
  file: 'delete',
  cases: [
    C('background', 'Background propagation: the owner goes at once, the garbage collector deletes the dependent', [
      post(core('configmaps'), cm('owner'), { id: 'o' }),
      post(core('configmaps'), child('kid', 'o')),
      del(core('configmaps', 'owner'), { kind: 'DeleteOptions', apiVersion: 'v1', propagationPolicy: 'Background' }),
      get(core('configmaps', 'kid'), { until: gone }),
    ]),
    C('foreground', 'Foreground propagation: the owner waits (foregroundDeletion) until blocking dependents are gone', [
      post(core('configmaps'), cm('owner'), { id: 'o' }),
      post(core('configmaps'), child('kid', 'o', { blockOwnerDeletion: true })),
      del(core('configmaps', 'owner'), { kind: 'DeleteOptions', apiVersion: 'v1', propagationPolicy: 'Foreground' }),
      get(core('configmaps', 'kid'), { until: gone }),
      get(core('configmaps', 'owner'), { until: gone }),
    ]),
    C('orphan', 'Orphan propagation: the dependent stays, without its owner reference', [
      post(core('configmaps'), cm('owner'), { id: 'o' }),
      post(core('configmaps'), child('kid', 'o')),
      del(core('configmaps', 'owner'), undefined, { query: { propagationPolicy: 'Orphan' } }),
      get(core('configmaps', 'owner'), { until: gone }),
      get(core('configmaps', 'kid'), { until: (r) => !metaOf(r).ownerReferences }),
    ]),
    C('options', 'invalid delete options', [
      post(core('configmaps'), cm('x')),
      del(core('configmaps', 'x'), { propagationPolicy: 'Sideways' }),
      del(core('configmaps', 'x'), { propagationPolicy: 'Orphan', orphanDependents: true }),
      del(core('configmaps', 'x'), { dryRun: ['Maybe'] }),
      del(core('configmaps', 'x'), '{"propagationPolicy":', { note: 'malformed body' }),
      del(core('configmaps', 'x'), { gracePeriodSeconds: -5 }),
      get(core('configmaps', 'x')),
    ]),
    C('preconditions', 'delete preconditions on uid and resourceVersion', [
      post(core('configmaps'), cm('p'), { id: 'p' }),
      del(core('configmaps', 'p'), { preconditions: { uid: '6b0c3a3e-0000-4000-8000-00000000000a' } }),
      del(core('configmaps', 'p'), { preconditions: { resourceVersion: '1' } }),
      del(core('configmaps', 'p'), (c) => ({
        preconditions: {
          uid: uidOf(c, 'p'),
          resourceVersion: rvOf(c, 'p'),
        },
      })),
    ]),
    C('dry-run', 'dryRun=All on delete keeps the object', [
      post(core('configmaps'), cm('d')),
      del(core('configmaps', 'd'), undefined, { query: { dryRun: 'All' } }),
      get(core('configmaps', 'd')),
      post(core('configmaps'), cm('df', { a: '1' }, { metadata: { finalizers: ['example.com/x'] } })),
      del(core('configmaps', 'df'), { dryRun: ['All'] }),
      get(core('configmaps', 'df')),
      patch(core('configmaps', 'df'), 'merge', { metadata: { finalizers: null } }),
    ]),
    C('finalizer-names', 'invalid finalizer names and owner references are 422 with the real field paths', [
      post(core('configmaps'), cm('bad', { a: '1' }, { metadata: { finalizers: ['no-slash-finalizer'] } }), {
        note: 'a finalizer name without a domain',
      }),
      post(core('configmaps'), cm('bad2', { a: '1' }, { metadata: { finalizers: ['example.com/ok', 'Not Valid/x'] } })),
      post(
        core('configmaps'),
        cm(
          'bad3',
          { a: '1' },
          { metadata: { ownerReferences: [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'o', uid: '' }] } },
        ),
      ),
      post(
        core('configmaps'),
        cm(
          'bad4',
          { a: '1' },
          {
            metadata: {
              ownerReferences: [
                {
                  apiVersion: 'v1',
                  kind: 'ConfigMap',
                  name: 'o1',
                  uid: '6b0c3a3e-0000-4000-8000-00000000000b',
                  controller: true,
                },
                {
                  apiVersion: 'v1',
                  kind: 'ConfigMap',
                  name: 'o2',
                  uid: '6b0c3a3e-0000-4000-8000-00000000000c',
                  controller: true,
                },
              ],
            },
          },
        ),
        { note: 'two controllers' },
      ),
      post(
        core('configmaps'),
        cm(
          'bad5',
          { a: '1' },
          {
            metadata: {
              ownerReferences: [{ apiVersion: '', kind: '', name: '', uid: '6b0c3a3e-0000-4000-8000-00000000000d' }],
            },
          },
        ),
      ),
    ]),
    C('dangling-owner', 'a dependent whose owner does not exist is collected', [
      post(
        core('configmaps'),
        cm(
          'orphaned',
          { a: '1' },
          {
            metadata: {
              ownerReferences: [
                { apiVersion: 'v1', kind: 'ConfigMap', name: 'ghost', uid: '6b0c3a3e-0000-4000-8000-00000000000e' },
              ],
            },
          },
        ),
      ),
      get(core('configmaps', 'orphaned'), { until: gone }),
    ]),
    C('delete-collection', 'deletecollection with a label selector and options', [
      post(core('configmaps'), cm('k1', { a: '1' }, { metadata: { labels: { grp: 'a' } } })),
      post(
        core('configmaps'),
        cm('k2', { a: '1' }, { metadata: { labels: { grp: 'a' }, finalizers: ['example.com/x'] } }),
      ),
      post(core('configmaps'), cm('k3', { a: '1' }, { metadata: { labels: { grp: 'b' } } })),
      del(core('configmaps'), undefined, { query: { labelSelector: 'grp=a', dryRun: 'All' } }),
      get(core('configmaps'), { query: { labelSelector: 'grp' } }),
      del(core('configmaps'), undefined, { query: { labelSelector: 'grp=a' } }),
      get(core('configmaps'), { query: { labelSelector: 'grp' } }),
      patch(core('configmaps', 'k2'), 'merge', { metadata: { finalizers: null } }),
      del(core('configmaps'), undefined, { query: { fieldSelector: 'data.a=1' } }),
    ]),
  ],
};
