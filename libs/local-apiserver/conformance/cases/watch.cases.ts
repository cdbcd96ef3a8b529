import {
  core,
  del,
  get,
  openWatch,
  patch,
  post,
  put,
  readWatch,
  rvOf,
  watch,
  type Case,
  type Step,
} from '../harness/case.ts';
import type { CaseFile } from '../harness/suite.ts';
import { secret } from './list.cases.ts';

const C = (name: string, title: string, steps: Step[], more: Partial<Case> = {}): Case => ({
  id: `watch/${name}`,
  title,
  steps,
  ...more,
});

const TABLE = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json';

export const watchCases: CaseFile = {
  file: 'watch',
  cases: [
    C('from-list', 'list, then watch from its resourceVersion: ADDED, MODIFIED, DELETED in order', [
      post(core('secrets'), secret('before')),
      get(core('secrets'), { id: 'list' }),
      openWatch('w', core('secrets'), (c) => ({ resourceVersion: rvOf(c, 'list') })),
      post(core('secrets'), secret('w1'), { id: 'c' }),
      put(core('secrets', 'w1'), (c) => ({
        ...secret('w1', {}, { a: 'Mg==' }),
        metadata: { name: 'w1', resourceVersion: rvOf(c, 'c') },
      })),
      del(core('secrets', 'w1')),
      readWatch('w', { events: 3 }),
    ]),
    C('initial-state', 'watch without or with resourceVersion 0: synthetic ADDED for what exists', [
      post(core('secrets'), secret('a')),
      post(core('secrets'), secret('b')),
      watch(core('secrets'), {}, { events: 2 }),
      watch(core('secrets'), { resourceVersion: '0' }, { events: 2 }),
    ]),
    C('selector-transitions', 'an object moving in and out of a label selector is ADDED and DELETED', [
      post(core('secrets'), secret('m', { sel: 'no' })),
      openWatch('w', core('secrets'), { labelSelector: 'sel=yes' }),
      patch(core('secrets', 'm'), 'merge', { metadata: { labels: { sel: 'yes' } } }),
      patch(core('secrets', 'm'), 'merge', { data: { a: 'Mg==' } }),
      patch(core('secrets', 'm'), 'merge', { metadata: { labels: { sel: 'no' } } }),
      readWatch('w', { events: 3 }),
    ]),
    C('field-selector-single-object', 'watching one object: metadata.name selector and the /watch/ prefix path', [
      post(core('secrets'), secret('one')),
      post(core('secrets'), secret('two')),
      watch(core('secrets'), { fieldSelector: 'metadata.name=two' }, { events: 1 }),
      get('/api/v1/watch/namespaces/{{ns}}/secrets/two', { watch: { events: 1 } }),
      get('/api/v1/watch/namespaces/{{ns}}/secrets', { watch: { events: 2 } }),
    ]),
    C('send-initial-events', 'the streaming list: initial ADDED events, then the initial-events-end bookmark', [
      post(core('secrets'), secret('i1')),
      post(core('secrets'), secret('i2')),
      watch(
        core('secrets'),
        { sendInitialEvents: 'true', resourceVersionMatch: 'NotOlderThan', allowWatchBookmarks: 'true' },
        { events: 3 },
      ),
      watch(
        core('secrets'),
        { sendInitialEvents: 'true', allowWatchBookmarks: 'true' },
        { events: 1 },
        {
          note: 'without resourceVersionMatch',
        },
      ),
      watch(
        core('secrets'),
        { sendInitialEvents: 'true', resourceVersionMatch: 'NotOlderThan' },
        { events: 1 },
        {
          note: 'without bookmarks',
        },
      ),
      watch(
        core('secrets'),
        { sendInitialEvents: 'false', resourceVersionMatch: 'NotOlderThan', allowWatchBookmarks: 'true' },
        {
          events: 1,
        },
      ),
      watch(core('secrets'), { resourceVersionMatch: 'Exact', resourceVersion: '5' }, { events: 1 }),
    ]),
    C('timeout-and-bookmark', 'timeoutSeconds ends the watch; a requested bookmark comes before the end', [
      post(core('secrets'), secret('t'), { id: 'c' }),
      openWatch('w', core('secrets'), (c) => ({
        resourceVersion: rvOf(c, 'c'),
        timeoutSeconds: '4',
        allowWatchBookmarks: 'true',
      })),
      post(core('secrets'), secret('u'), {
        note: 'a change moves the watch past its RV: the bookmark 2 s before the end carries it',
      }),
      readWatch(
        'w',
        { events: 'end', timeoutMs: 10_000 },
        {
          // The cacher's bookmark timer ticks per second: the bookmark 2 s before the deadline is
          // now and then sent twice (once in three recordings from kube-apiserver v1.36.2).
          selectEvents: (events: { type?: string }[]) =>
            events.filter((e, i) => !(e?.type === 'BOOKMARK' && events[i - 1]?.type === 'BOOKMARK')),
        },
      ),
      watch(core('secrets'), (c) => ({ resourceVersion: rvOf(c, 'c'), timeoutSeconds: '1' }), {
        events: 'end',
        timeoutMs: 10_000,
      }),
      watch(core('secrets'), { timeoutSeconds: 'x' }, { events: 1 }),
    ]),
    C('too-old', 'a watch from a resourceVersion the server no longer has: 410 Expired as an ERROR event', [
      watch(core('secrets'), { resourceVersion: '1' }, { events: 1, timeoutMs: 15_000 }),
    ]),
    C('too-new', 'a watch from a resourceVersion the server has not reached', [
      watch(core('secrets'), { resourceVersion: '99999999999' }, { events: 1, timeoutMs: 10_000 }),
    ]),
    C('bad-options', 'watch options that are refused before the stream starts', [
      watch(core('secrets'), { labelSelector: 'a in (' }, { events: 1 }),
      watch(core('secrets'), { fieldSelector: 'data.a=1' }, { events: 1 }),
      watch(core('secrets'), { resourceVersion: 'abc' }, { events: 1 }),
      get('/api/v1/watch/namespaces/{{ns}}/secrets/x', {
        query: { fieldSelector: 'metadata.name=y' },
        watch: { events: 1 },
      }),
      post('/api/v1/watch/namespaces/{{ns}}/secrets', secret('nope')),
    ]),
    C('table-watch', 'kubectl get -w: Table rows in watch events', [
      post(core('secrets'), secret('tw')),
      watch(core('secrets'), {}, { events: 1 }, { accept: TABLE }),
    ]),
    C(
      'namespace-scope',
      'a namespaced watch sees only its namespace; a cluster-wide one sees all',
      [
        openWatch('all', '/api/v1/secrets', { labelSelector: 'cf={{ns}}' }),
        openWatch('mine', core('secrets'), {}),
        post(core('secrets'), secret('s1', { cf: '{{ns}}' })),
        post('/api/v1/namespaces/default/secrets', secret('cf-{{ns}}', { cf: '{{ns}}' })),
        readWatch('all', { events: 2 }),
        readWatch('mine', { events: 1 }),
        del('/api/v1/namespaces/default/secrets/cf-{{ns}}'),
      ],
      { cleanup: ['/api/v1/namespaces/default/secrets/cf-{{ns}}'] },
    ),
  ],
};
