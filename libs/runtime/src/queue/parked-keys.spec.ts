import { describe, expect, it } from 'vitest';
import { ParkedKeys } from './parked-keys.ts';

describe('ParkedKeys', () => {
  it('hands out due keys earliest first, ties in the order parked, and keeps the rest', () => {
    const p = new ParkedKeys();
    p.park('c', 30);
    p.park('a', 10);
    p.park('b', 20);
    p.park('a2', 10);
    expect(p.earliest()).toBe(10);
    expect(p.takeDue(20)).toEqual(['a', 'a2', 'b']);
    expect(p.size).toBe(1);
    expect(p.earliest()).toBe(30);
    expect(p.takeDue(29)).toEqual([]);
    expect(p.takeDue(30)).toEqual(['c']);
    expect(p.earliest()).toBeUndefined();
  });

  it('keeps the earlier time when a key is parked twice, and hands it out once', () => {
    const p = new ParkedKeys();
    p.park('k', 50);
    p.park('k', 80); // later: ignored
    expect(p.get('k')).toBe(50);
    p.park('k', 20); // earlier: wins; the entry for 50 is stale
    expect(p.size).toBe(1);
    expect(p.earliest()).toBe(20);
    expect(p.takeDue(100)).toEqual(['k']);
    expect(p.earliest()).toBeUndefined();
    expect(p.size).toBe(0);
  });

  it('matches a sort of every parked key over many random parks', () => {
    const p = new ParkedKeys();
    const want = new Map<string, number>();
    let seed = 7;
    const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let i = 0; i < 2000; i++) {
      const key = `k${Math.floor(rand() * 500)}`;
      const at = Math.floor(rand() * 1000);
      p.park(key, at);
      const old = want.get(key);
      if (old === undefined || at < old) want.set(key, at);
    }
    const got: string[] = [];
    for (const now of [100, 400, 999]) got.push(...p.takeDue(now));
    const sorted = [...want].sort((a, b) => a[1] - b[1]).map(([k]) => k);
    expect(got.map((k) => want.get(k))).toEqual(sorted.map((k) => want.get(k)));
    expect(new Set(got)).toEqual(new Set(sorted));
    expect(p.size).toBe(0);
  });

  it('forgets everything on clear', () => {
    const p = new ParkedKeys();
    p.park('a', 1);
    p.clear();
    expect(p.size).toBe(0);
    expect(p.takeDue(10)).toEqual([]);
  });
});
