import { describe, expect, it } from 'vitest';
import { Normalizer, normalizeContentType, storageVersionHash, warningText } from './normalize.ts';

const UID1 = '0f8fad5b-d9cb-469f-a165-70867728950e';
const UID2 = '7c9e6679-7425-40de-944b-e07fc1f90ae7';

const obj = (name: string, uid: string, rv: string, extra: object = {}) => ({
  kind: 'ConfigMap',
  metadata: { name, namespace: 'cf-qabcde-1', uid, resourceVersion: rv, creationTimestamp: '2025-01-01T00:00:00Z' },
  ...extra,
});

/** A normalised answer, read as these tests read it (Normalizer.answer returns plain JSON). */
interface Normalised {
  metadata: Record<string, unknown>;
  body: Normalised;
  more: Normalised;
  resources: { storageVersionHash: string }[];
}
const read = (v: unknown) => v as Normalised;

describe('Normalizer', () => {
  it('gives each uid and object RV one token per case, whatever the key order', () => {
    const a = new Normalizer([['cf-qabcde-1', '{{ns}}']]);
    const b = new Normalizer([['cf-qabcde-1', '{{ns}}']]);
    const x = a.answer({ body: obj('a', UID1, '10'), more: obj('b', UID2, '12') });
    const reordered = { more: obj('b', UID2, '12'), body: obj('a', UID1, '10') };
    expect(b.answer(reordered)).toEqual(x);
    expect(read(x).body.metadata).toMatchObject({ uid: '<uid#1>', resourceVersion: '<rv#1>', namespace: '{{ns}}' });
    expect(read(x).more.metadata).toMatchObject({ uid: '<uid#2>', resourceVersion: '<rv#2>' });
    // Identity is kept: the same uid later is the same token, a new RV a new one.
    expect(read(a.answer(obj('a', UID1, '15'))).metadata).toMatchObject({
      uid: '<uid#1>',
      resourceVersion: '<rv#3>',
    });
  });

  it('keeps the precision of timestamps and normalises them inside messages', () => {
    const n = new Normalizer([]);
    expect(n.answer({ t: '2025-01-01T00:00:00.000000Z', u: '2025-01-01T00:00:00Z' })).toEqual({
      t: '<time.6>',
      u: '<time>',
    });
    expect(n.answer({ message: 'at 2025-01-01T00:00:00.12Z it broke' })).toEqual({ message: 'at <time.2> it broke' });
  });

  it('compares a list RV as current or as the older object RV it equals', () => {
    const n = new Normalizer([]);
    const list = n.answer({
      kind: 'ConfigMapList',
      metadata: { resourceVersion: '99' },
      items: [obj('a', UID1, '10')],
    });
    expect(read(list).metadata.resourceVersion).toBe('<rv:current>');
    n.answer(obj('b', UID2, '20'));
    const stale = n.answer({ kind: 'ConfigMapList', metadata: { resourceVersion: '10' }, items: [] });
    expect(read(stale).metadata.resourceVersion).toBe('<rv#1>');
    const unknown = n.answer({ kind: 'ConfigMapList', metadata: { resourceVersion: '15' }, items: [] });
    expect(read(unknown).metadata.resourceVersion).toBe('<rv:older>');
  });

  it('names generated from a request prefix are tokens even inside messages', () => {
    const n = new Normalizer([]);
    n.request({ path: '/x', query: {}, body: { metadata: { generateName: 'Bad_' } } });
    expect(n.answer({ message: 'ConfigMap "Bad_x2b4z" is invalid', details: { name: 'Bad_x2b4z' } })).toEqual({
      message: 'ConfigMap "Bad_<gen#1>" is invalid',
      details: { name: 'Bad_<gen#1>' },
    });
  });

  it('maps RVs quoted by requests and messages to the tokens of the objects', () => {
    const n = new Normalizer([]);
    n.answer(obj('a', UID1, '10'));
    expect(n.request({ path: '/x', query: { resourceVersion: ['10'] }, body: undefined }).query).toEqual({
      resourceVersion: ['<rv#1>'],
    });
    expect(n.answer({ message: 'too old resource version: 10 (57)' }, { resourceVersion: ['10'] })).toEqual({
      message: 'too old resource version: <rv#1> (<rv>)',
    });
  });

  it('drops managedFields and replaces run literals in label keys', () => {
    const n = new Normalizer([['qabcde', '{{run}}']]);
    const out = n.answer(obj('a', UID1, '1', {}));
    expect(out).not.toHaveProperty('metadata.managedFields');
    const labelled = n.answer({ metadata: { name: 'x', labels: { 'cf-qabcde/x': 'y' }, managedFields: [{}] } });
    expect(labelled).toEqual({ metadata: { name: 'x', labels: { 'cf-{{run}}/x': 'y' } } });
  });

  it('accepts a storageVersionHash only when it is the hash of what it names', () => {
    const good = storageVersionHash('', 'v1', 'ConfigMap');
    expect(good).toBe('qFsyl6wFWjQ='); // as kube-apiserver v1.36 answers for configmaps
    const n = new Normalizer([]);
    const doc = (hash: string) => ({
      kind: 'APIResourceList',
      groupVersion: 'v1',
      resources: [{ name: 'configmaps', kind: 'ConfigMap', storageVersionHash: hash }],
    });
    expect(read(n.answer(doc(good))).resources[0].storageVersionHash).toBe('<storage-version-hash>');
    expect(read(n.answer(doc('AAAAAAAAAAA='))).resources[0].storageVersionHash).toBe('AAAAAAAAAAA=');
  });
});

it('content types and warnings compare by meaning', () => {
  expect(normalizeContentType('application/json;g=meta.k8s.io;v=v1;as=Table')).toBe(
    normalizeContentType('application/json; as=Table; g=meta.k8s.io; v=v1'),
  );
  expect(warningText('299 - "unknown field \\"spec.x\\""')).toBe('unknown field "spec.x"');
});
