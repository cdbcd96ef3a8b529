import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../kinds/kind.ts';
import { controllerOwnerUID, IndexConflictError, IndexNotFoundError, OWNER_UID_INDEX, Store } from './store.ts';
import { deepFreeze, LAST_APPLIED_ANNOTATION, stripBulkyFields, toPlainJson } from './transform.ts';

function obj(name: string, ns = 'default', owner?: string, rv = '1'): KubeObject {
  return {
    metadata: {
      name,
      namespace: ns,
      resourceVersion: rv,
      ...(owner ? { ownerReferences: [{ apiVersion: 'v1', kind: 'X', name: 'o', uid: owner, controller: true }] } : {}),
    },
  };
}

describe('Store', () => {
  it('indexes by controller owner UID and keeps the index current', () => {
    const s = new Store<KubeObject>();
    s.addIndex(OWNER_UID_INDEX, controllerOwnerUID);
    s.set(obj('a', 'ns', 'u1'));
    s.set(obj('b', 'ns', 'u1'));
    s.set(obj('c', 'ns', 'u2'));
    expect(
      s
        .byIndex(OWNER_UID_INDEX, 'u1')
        .map((o) => o.metadata.name)
        .sort(),
    ).toEqual(['a', 'b']);
    s.set(obj('a', 'ns', 'u2', '2'));
    expect(s.byIndex(OWNER_UID_INDEX, 'u1').map((o) => o.metadata.name)).toEqual(['b']);
    s.delete('ns/b');
    expect(s.byIndex(OWNER_UID_INDEX, 'u1')).toEqual([]);
    expect(s.byIndex(OWNER_UID_INDEX, 'u2')).toHaveLength(2);
  });

  it('ignores non-controller owner references', () => {
    const o = obj('a');
    o.metadata.ownerReferences = [{ apiVersion: 'v1', kind: 'X', name: 'o', uid: 'u', controller: false }];
    expect(controllerOwnerUID(o)).toEqual([]);
  });

  it('an index added later covers existing objects; unknown and conflicting indexes fail', () => {
    const s = new Store<KubeObject>();
    s.set(obj('a', 'x'));
    s.addIndex('ns', (o) => [o.metadata.namespace!]);
    expect(s.byIndex('ns', 'x')).toHaveLength(1);
    expect(() => s.byIndex('nope', 'x')).toThrow(IndexNotFoundError);
    expect(() => s.addIndex('ns', () => [])).toThrow(IndexConflictError);
  });

  it('replace swaps contents and indexes at once and returns the old content', () => {
    const s = new Store<KubeObject>();
    s.addIndex(OWNER_UID_INDEX, controllerOwnerUID);
    s.set(obj('a', 'ns', 'u1'));
    const old = s.replace([obj('b', 'ns', 'u1'), obj('c', 'other')]);
    expect([...old.keys()]).toEqual(['ns/a']);
    expect(s.get('ns/a')).toBeUndefined();
    expect(s.byIndex(OWNER_UID_INDEX, 'u1').map((o) => o.metadata.name)).toEqual(['b']);
    expect(s.size).toBe(2);
  });

  it('keys cluster-scoped objects by name alone', () => {
    const s = new Store<KubeObject>();
    s.set({ metadata: { name: 'n1' } });
    expect(s.get('n1')).toBeDefined();
  });
});

describe('transforms', () => {
  it('strips managedFields and the last-applied annotation, keeping other annotations', () => {
    const o: KubeObject = {
      metadata: {
        name: 'a',
        managedFields: [{ manager: 'kubectl' }],
        annotations: { [LAST_APPLIED_ANNOTATION]: '{}', keep: 'me' },
      },
    };
    stripBulkyFields(o);
    expect(o.metadata).toEqual({ name: 'a', annotations: { keep: 'me' } });
    const only: KubeObject = { metadata: { name: 'b', annotations: { [LAST_APPLIED_ANNOTATION]: '{}' } } };
    expect(stripBulkyFields(only).metadata.annotations).toBeUndefined();
  });

  it('deepFreeze makes nested mutation throw', () => {
    const o = deepFreeze({ metadata: { name: 'a', labels: { x: '1' } }, spec: { list: [{ v: 1 }] } });
    expect(() => {
      (o.metadata.labels as Record<string, string>).x = '2';
    }).toThrow(TypeError);
    expect(() => {
      (o.spec.list as { v: number }[]).push({ v: 2 });
    }).toThrow(TypeError);
  });

  it('toPlainJson turns Dates and class instances into JSON, leaves plain values alone', () => {
    const plain = { a: [1, 'x', null, { b: true }] };
    expect(toPlainJson(plain)).toBe(plain);
    class M {
      creationTimestamp = new Date('2026-01-01T00:00:00Z');
    }
    expect(toPlainJson({ metadata: new M() })).toEqual({ metadata: { creationTimestamp: '2026-01-01T00:00:00.000Z' } });
  });
});
