import { describe, expect, it } from 'vitest';
import { forEachLimit } from './for-each-limit.ts';

describe('forEachLimit', () => {
  it('never has more than `limit` calls in flight, and calls each item once with its index', async () => {
    let inFlight = 0;
    let peak = 0;
    const seen: [string, number][] = [];
    await forEachLimit(['a', 'b', 'c', 'd', 'e'], 2, async (item, i) => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      await Promise.resolve();
      await Promise.resolve();
      seen.push([item, i]);
      inFlight--;
    });
    expect(peak).toBe(2);
    expect(seen.sort()).toEqual([
      ['a', 0],
      ['b', 1],
      ['c', 2],
      ['d', 3],
      ['e', 4],
    ]);
  });

  it('rethrows the first failure after the calls in flight settle, and starts no new ones', async () => {
    const settled: number[] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const run = forEachLimit([0, 1, 2, 3], 2, async (n) => {
      if (n === 0) throw new Error('first');
      await gate;
      settled.push(n);
    });
    release();
    await expect(run).rejects.toThrow('first');
    expect(settled).toEqual([1]);
  });

  it('refuses a limit below 1', async () => {
    await expect(forEachLimit([1], 0, async () => {})).rejects.toThrow(RangeError);
  });
});
