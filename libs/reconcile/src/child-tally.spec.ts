import { describe, expect, it } from 'vitest';
import { ChildTally } from './child-tally.ts';

describe('ChildTally', () => {
  it('counts words and finds the first position holding one, as children change', () => {
    const t = new ChildTally<'pending' | 'done'>(5);
    for (let i = 0; i < 5; i++) t.set(i, 'pending');
    expect(t.count('pending')).toBe(5);
    expect(t.firstIndex('done')).toBeUndefined();
    t.set(0, 'done');
    t.set(1, 'done');
    expect(t.firstIndex('pending')).toBe(2);
    expect(t.firstIndex('done')).toBe(0);
    t.set(0, 'pending'); // a child goes back: the first position moves back with it
    expect(t.firstIndex('pending')).toBe(0);
    expect(t.firstIndex('done')).toBe(1);
    t.set(0, 'done');
    t.set(2, 'done');
    t.set(3, 'done');
    t.set(4, 'done');
    expect(t.count('pending')).toBe(0);
    expect(t.firstIndex('pending')).toBeUndefined();
    expect(t.count('done')).toBe(5);
    t.set(4, undefined);
    expect(t.count('done')).toBe(4);
    expect(t.get(4)).toBeUndefined();
  });
});
