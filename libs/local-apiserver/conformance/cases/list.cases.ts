import { continueOf, core, del, get, patch, post, rvOf, type Case, type Step } from '../harness/case.ts';
import type { CaseFile } from '../harness/suite.ts';

const C = (name: string, title: string, steps: Step[], more: Partial<Case> = {}): Case => ({
  id: `list/${name}`,
  title,
  steps,
  ...more,
});

/**
 * List cases use Secrets: kube-controller-manager writes ConfigMaps into every new namespace
 * (kube-root-ca.crt, and on this OpenShift-built server openshift-service-ca.crt) at a time of
 * its choosing, so an unfiltered ConfigMap list is not fixed by the real server itself.
 */
export const secret = (
  name: string,
  labels: Record<string, string> = {},
  data: Record<string, string> = { a: 'MQ==' },
) => ({
  apiVersion: 'v1',
  kind: 'Secret',
  metadata: { name, ...(Object.keys(labels).length ? { labels } : {}) },
  data,
});

/** Five labelled Secrets a..e. */
const five: Step[] = ['a', 'b', 'c', 'd', 'e'].map((n, i) =>
  post(
    core('secrets'),
    secret(n, { env: i % 2 ? 'prod' : 'dev', tier: n < 'c' ? 'front' : 'back', ...(n === 'e' ? { only: 'e' } : {}) }),
    { id: `s-${n}` },
  ),
);

const sel = (labelSelector: string, note?: string): Step =>
  get(core('secrets'), { query: { labelSelector }, ...(note ? { note } : {}) });
const fsel = (fieldSelector: string, note?: string): Step =>
  get(core('secrets'), { query: { fieldSelector }, ...(note ? { note } : {}) });

export const listCases: CaseFile = {
  file: 'list',
  cases: [
    C('label-selectors', 'label selector operators and edge cases', [
      ...five,
      sel('env=prod'),
      sel('env==dev'),
      sel('env!=prod'),
      sel('env in (prod)'),
      sel('env in (prod,dev),tier=back'),
      sel('env notin (prod)'),
      sel('only'),
      sel('!only'),
      sel('env in ()', 'an empty set'),
      sel('env notin ()', 'an empty exclusion'),
      sel('', 'empty selector'),
      sel('env=prod,env=dev', 'contradiction'),
      sel('tier in (front, back)', 'spaces inside the set'),
      sel(' env = prod ', 'spaces around'),
    ]),
    C('label-selector-errors', 'malformed label selectors are 400', [
      sel('env==a==b'),
      sel('env in (a'),
      sel('bad key!=x'),
      sel('env=bad value'),
      sel('env in a'),
      sel('a,,b'),
      sel('env>1'),
      sel('x'.repeat(64) + '=y', 'a key over 63 characters'),
    ]),
    C('field-selectors', 'field selectors on ConfigMaps', [
      ...five.slice(0, 3),
      fsel('metadata.name=b'),
      fsel('metadata.name==b'),
      fsel('metadata.name!=b'),
      fsel('metadata.namespace={{ns}}'),
      fsel('metadata.name=a,metadata.name=b', 'contradiction'),
      fsel('', 'empty'),
      fsel('data.a=MQ==', 'not a selectable field'),
      fsel('metadata.uid=x', 'not selectable either'),
      fsel('metadata.name', 'no operator'),
      fsel('metadata.name in (a,b)', 'set syntax is not field syntax'),
      get(core('pods'), { query: { fieldSelector: 'spec.nodeName=,status.phase!=Running' }, note: 'Pod fields' }),
      get(core('pods'), {
        query: { fieldSelector: 'spec.restartPolicy=Always' },
        note: 'a Pod field that is not selectable',
      }),
      fsel('type=Opaque', 'Secret type'),
      fsel('type!=Opaque'),
      get('/api/v1/namespaces', { query: { fieldSelector: 'metadata.name={{ns}}' } }),
      get('/api/v1/namespaces', { query: { fieldSelector: 'status.phase=Active,metadata.name={{ns}}' } }),
    ]),
    C('pagination', 'limit and continue: a consistent snapshot across pages', [
      ...five,
      get(core('secrets'), { query: { limit: '2' }, id: 'p1' }),
      post(core('secrets'), secret('aa'), { note: 'created after the first page, sorts into the second' }),
      patch(core('secrets', 'd'), 'merge', { data: { changed: 'eWVz' } }, { note: 'changed after the first page' }),
      del(core('secrets', 'c'), undefined, { note: 'deleted after the first page' }),
      get(core('secrets'), { query: (c) => ({ limit: '2', continue: continueOf(c, 'p1') }), id: 'p2' }),
      get(core('secrets'), { query: (c) => ({ limit: '2', continue: continueOf(c, 'p2') }), id: 'p3' }),
      get(core('secrets'), { query: { limit: '100' }, note: 'a fresh list sees the changes' }),
    ]),
    C('pagination-selectors', 'limit with a label selector', [
      ...five,
      get(core('secrets'), { query: { limit: '1', labelSelector: 'env=dev' }, id: 'p1' }),
      get(core('secrets'), {
        query: (c) => ({ limit: '1', labelSelector: 'env=dev', continue: continueOf(c, 'p1') }),
        id: 'p2',
      }),
      get(core('secrets'), {
        query: (c) => ({ limit: '1', labelSelector: 'env=dev', continue: continueOf(c, 'p2') }),
      }),
      get(core('secrets'), { query: { limit: '0' }, note: 'limit 0 means no limit' }),
      get(core('secrets'), { query: { limit: '-1' }, note: 'a negative limit' }),
      get(core('secrets'), { query: { limit: 'x' } }),
    ]),
    C('continue-errors', 'bad continue tokens and continue with resourceVersion', [
      ...five.slice(0, 3),
      get(core('secrets'), { query: { limit: '1' }, id: 'p1' }),
      get(core('secrets'), { query: { limit: '1', continue: 'garbage' } }),
      get(core('secrets'), {
        query: (c) => ({ limit: '1', continue: continueOf(c, 'p1'), resourceVersion: '5' }),
      }),
      get(core('secrets'), {
        query: (c) => ({
          limit: '1',
          continue: continueOf(c, 'p1'),
          resourceVersionMatch: 'NotOlderThan',
        }),
      }),
      get(core('secrets'), {
        query: (c) => ({ continue: continueOf(c, 'p1') }),
        note: 'continue without limit',
      }),
    ]),
    C('resource-versions', 'resourceVersion and resourceVersionMatch on lists and gets', [
      post(core('secrets'), secret('x'), { id: 'x' }),
      patch(core('secrets', 'x'), 'merge', { data: { a: 'Mg==' } }, { id: 'x2' }),
      get(core('secrets'), { query: { resourceVersion: '0' }, note: 'any version (the cache)' }),
      get(core('secrets'), {
        query: (c) => ({
          resourceVersion: rvOf(c, 'x2'),
          resourceVersionMatch: 'NotOlderThan',
        }),
      }),
      get(core('secrets'), {
        query: (c) => ({ resourceVersion: rvOf(c, 'x'), resourceVersionMatch: 'Exact' }),
        note: 'the list as it was at the first write',
      }),
      get(core('secrets'), {
        query: (c) => ({ resourceVersion: rvOf(c, 'x'), limit: '10' }),
        note: 'a paginated list at an older RV is exact',
      }),
      get(core('secrets', 'x'), { query: { resourceVersion: '0' } }),
      get(core('secrets', 'x'), {
        query: (c) => ({ resourceVersion: rvOf(c, 'x') }),
        note: 'get at an older RV: not older than',
      }),
      get(core('secrets'), { query: { resourceVersion: '1', resourceVersionMatch: 'Exact' }, note: 'compacted away' }),
      get(core('secrets'), { query: { resourceVersionMatch: 'NotOlderThan' }, note: 'match without a version' }),
      get(core('secrets'), { query: { resourceVersion: '0', resourceVersionMatch: 'Exact' } }),
      get(core('secrets'), { query: { resourceVersion: '5', resourceVersionMatch: 'Sometimes' } }),
      get(core('secrets'), { query: { resourceVersion: 'abc' } }),
      get(core('secrets'), { query: { resourceVersion: '99999999999' }, note: 'a version the server has not reached' }),
      get(core('secrets'), { query: { sendInitialEvents: 'true' }, note: 'sendInitialEvents is for watches' }),
    ]),
  ],
};
