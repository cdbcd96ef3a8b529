import { describe, expect, it } from 'vitest';
import { isWriteVerb, requestInfo } from './request-info.ts';

describe('requestInfo (kube-apiserver RequestInfo rules)', () => {
  it('names verbs of namespaced custom resources and subresources', () => {
    const base = '/apis/math.potsbo.k8s.wantedly.com/v1beta1/namespaces/ns';
    expect(requestInfo('GET', `${base}/numbers?limit=500`)).toMatchObject({
      verb: 'list',
      resource: 'numbers',
      namespace: 'ns',
    });
    expect(requestInfo('GET', `${base}/numbers?watch=true&resourceVersion=5`)).toMatchObject({
      verb: 'watch',
      resource: 'numbers',
    });
    expect(requestInfo('GET', `${base}/numbers?watch=1`).verb).toBe('watch');
    expect(requestInfo('GET', `${base}/numbers/t-1-0`)).toMatchObject({ verb: 'get', name: 't-1-0' });
    expect(requestInfo('POST', `${base}/numbers?fieldManager=math`)).toMatchObject({
      verb: 'create',
      resource: 'numbers',
    });
    expect(requestInfo('PUT', `${base}/numbers/a/status`)).toMatchObject({
      verb: 'update',
      resource: 'numbers/status',
      name: 'a',
    });
    expect(requestInfo('PATCH', `${base}/tuples/t/status`)).toMatchObject({
      verb: 'patch',
      resource: 'tuples/status',
      group: 'math.potsbo.k8s.wantedly.com',
    });
    expect(requestInfo('DELETE', `${base}/numbers/a`).verb).toBe('delete');
    expect(requestInfo('DELETE', `${base}/numbers`).verb).toBe('deletecollection');
  });

  it('treats /namespaces/<name> and its status/finalize as the namespace itself', () => {
    expect(requestInfo('GET', '/api/v1/namespaces/foo')).toMatchObject({
      verb: 'get',
      resource: 'namespaces',
      name: 'foo',
      namespace: 'foo',
    });
    expect(requestInfo('PUT', '/api/v1/namespaces/foo/finalize')).toMatchObject({
      verb: 'update',
      resource: 'namespaces/finalize',
    });
    expect(requestInfo('POST', '/api/v1/namespaces/foo/events')).toMatchObject({
      verb: 'create',
      resource: 'events',
      namespace: 'foo',
    });
    expect(requestInfo('GET', '/api/v1/namespaces')).toMatchObject({ verb: 'list', resource: 'namespaces' });
  });

  it('cluster-wide lists and non-resource URLs', () => {
    expect(requestInfo('GET', '/apis/math.potsbo.k8s.wantedly.com/v1beta1/numbers?limit=500')).toMatchObject({
      verb: 'list',
      resource: 'numbers',
      namespace: undefined,
    });
    expect(requestInfo('GET', '/version')).toEqual({ verb: 'get', resource: '/version' });
    expect(requestInfo('GET', '/apis')).toEqual({ verb: 'get', resource: '/apis' });
  });

  it('write verbs', () => {
    expect(['create', 'update', 'patch', 'delete', 'deletecollection'].every(isWriteVerb)).toBe(true);
    expect(['get', 'list', 'watch'].some(isWriteVerb)).toBe(false);
  });
});
