import { describe, expect, it } from 'vitest';
import { FakeClock } from '../queue/clock.ts';
import { Backoff, sleep } from './backoff.ts';

describe('Backoff', () => {
  it('doubles from 800 ms to a 30 s cap (no jitter drawn)', () => {
    const b = new Backoff({ initialMs: 800, maxMs: 30_000, clock: new FakeClock(), random: () => 0 });
    expect(Array.from({ length: 8 }, () => b.next())).toEqual([800, 1600, 3200, 6400, 12_800, 25_600, 30_000, 30_000]);
  });

  it('adds up to 100% jitter but never exceeds the cap', () => {
    const b = new Backoff({ initialMs: 800, maxMs: 30_000, clock: new FakeClock(), random: () => 0.5 });
    expect(b.next()).toBe(1200);
    expect(b.next()).toBe(2400);
    const all = Array.from({ length: 10 }, () => b.next());
    expect(Math.max(...all)).toBe(30_000);
  });

  it('starts over after 2 minutes without failures', () => {
    const clock = new FakeClock();
    const b = new Backoff({ initialMs: 800, maxMs: 30_000, resetAfterMs: 120_000, clock, random: () => 0 });
    b.next();
    b.next();
    clock.advance(119_000);
    expect(b.next()).toBe(3200);
    clock.advance(120_000);
    expect(b.next()).toBe(800);
  });

  it('sleep resolves on the clock and early on abort', async () => {
    const clock = new FakeClock();
    let done = false;
    const p = sleep(clock, 1000).then(() => (done = true));
    clock.advance(999);
    await Promise.resolve();
    expect(done).toBe(false);
    clock.advance(1);
    await p;
    expect(done).toBe(true);

    const ac = new AbortController();
    const q = sleep(clock, 60_000, ac.signal);
    ac.abort();
    await q;
    expect(clock.pending()).toBe(0);
  });
});
