import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../types.ts';
import { HistoryExpiredError, ObjectStore, clone } from './object-store.ts';

const obj = (namespace: string, name: string): KubeObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace },
});
const names = (os: KubeObject[]) => os.map((o) => `${o.metadata?.namespace}/${o.metadata?.name}`);

describe('ObjectStore key order', () => {
  it('lists in key order through creates, deletes and re-creates between reads', () => {
    const s = new ObjectStore(100);
    for (const n of ['n-10', 'n-2', 'n-1']) s.create('/cm', obj('b', n));
    s.create('/cm', obj('a', 'z'));
    s.create('/cm', obj('a-b', 'x'));
    expect(names(s.list('/cm'))).toEqual(['a-b/x', 'a/z', 'b/n-1', 'b/n-10', 'b/n-2']);
    s.delete('/cm', 'b', 'n-10');
    s.create('/cm', obj('b', 'n-0'));
    s.delete('/cm', 'a', 'z');
    s.create('/cm', obj('a', 'z'));
    expect(names(s.list('/cm'))).toEqual(['a-b/x', 'a/z', 'b/n-0', 'b/n-1', 'b/n-2']);
    expect(names(s.list('/cm', 'a'))).toEqual(['a/z']);
    expect(names(s.list('/cm', 'b'))).toEqual(['b/n-0', 'b/n-1', 'b/n-2']);
    expect(s.count('/cm')).toBe(5);
    expect(s.count('/cm', 'b')).toBe(3);
    expect(s.count('/cm', 'c')).toBe(0);
  });

  it('keyRange starts after a continue key and stays inside the namespace', () => {
    const s = new ObjectStore(100);
    for (const ns of ['a', 'b', 'c']) for (let i = 0; i < 5; i++) s.create('/cm', obj(ns, `o${i}`));
    const r = s.keyRange('/cm', 'b', 'b/o1');
    expect(r.keys.slice(r.start, r.end)).toEqual(['b/o2', 'b/o3', 'b/o4']);
    const all = s.keyRange('/cm', undefined, 'b/o4');
    expect(all.end - all.start).toBe(5);
    expect(all.keys[all.start]).toBe('c/o0');
    // A deleted continue key still positions the next page.
    s.delete('/cm', 'b', 'o1');
    const after = s.keyRange('/cm', 'b', 'b/o1');
    expect(after.keys.slice(after.start, after.end)).toEqual(['b/o2', 'b/o3', 'b/o4']);
    expect(s.keyRange('/nothing', 'b').end).toBe(0);
  });
});

describe('clone', () => {
  it('copies JSON data deeply, keeps "__proto__" as a plain key and leaves the original alone', () => {
    const src = JSON.parse('{"a":{"b":[1,{"c":null}]},"__proto__":{"polluted":true},"u":"x"}') as Record<
      string,
      unknown
    >;
    const out = clone(src);
    expect(out).toEqual(src);
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(Object.hasOwn(out, '__proto__')).toBe(true);
    expect((out as { polluted?: boolean }).polluted).toBeUndefined();
    ((out.a as { b: unknown[] }).b[1] as { c: unknown }).c = 1;
    expect(((src.a as { b: unknown[] }).b[1] as { c: unknown }).c).toBeNull();
  });
});

describe('ObjectStore history', () => {
  it('keeps exactly the last historySize events across many writes', () => {
    const s = new ObjectStore(3);
    for (let i = 0; i < 20; i++) s.create('/cm', obj('a', `o${i}`));
    expect(s.eventsSince(17).map((e) => e.rv)).toEqual([18, 19, 20]);
    expect(s.oldestRetainedRv).toBe(17);
    expect(() => s.eventsSince(16)).toThrow(HistoryExpiredError);
    s.create('/cm', obj('a', 'late'));
    expect(s.eventsSince(18).map((e) => e.rv)).toEqual([19, 20, 21]);
    expect(s.eventsSince(20).map((e) => e.rv)).toEqual([21]);
    s.compact();
    expect(s.eventsSince(21)).toEqual([]);
    expect(() => s.eventsSince(20)).toThrow(HistoryExpiredError);
  });
});
