import { describe, expect, it } from 'vitest';
import { ConcurrencyLimiter, ExponentialBackoff, FakeClock, WorkQueue, type QueueMetrics } from './index.ts';

function recordingMetrics() {
  const m = { adds: 0, depth: 0, queued: [] as number[], worked: [] as number[], retries: 0 };
  const hooks: QueueMetrics = {
    add: () => void m.adds++,
    depth: (n) => void (m.depth = n),
    queued: (s) => void m.queued.push(s),
    worked: (s) => void m.worked.push(s),
    retry: () => void m.retries++,
  };
  return { m, hooks };
}

describe('WorkQueue', () => {
  it('coalesces duplicate adds of a waiting key', async () => {
    const q = new WorkQueue();
    q.add('ns/a');
    q.add('ns/a');
    q.add('ns/b');
    q.add('ns/a');
    expect(q.len()).toBe(2);
    expect(await q.get()).toBe('ns/a');
    expect(await q.get()).toBe('ns/b');
    expect(q.len()).toBe(0);
  });

  it('never hands out a key twice at once; a key dirtied while processing runs once more', async () => {
    const q = new WorkQueue();
    q.add('ns/a');
    const first = await q.get();
    expect(first).toBe('ns/a');
    q.add('ns/a');
    q.add('ns/a');
    expect(q.len()).toBe(0); // held back while processing
    const next = q.get();
    let got: string | undefined;
    void next.then((k) => (got = k));
    await Promise.resolve();
    expect(got).toBeUndefined();
    q.done('ns/a');
    expect(await next).toBe('ns/a');
    q.done('ns/a');
    expect(q.len()).toBe(0);
    expect(q.inFlight()).toBe(0);
  });

  it('serves real changes before initial-list items, and a real change lifts a waiting low item', async () => {
    const q = new WorkQueue();
    for (let i = 0; i < 5; i++) q.add(`ns/old-${i}`, 'low');
    q.add('ns/new');
    q.add('ns/old-3'); // now changed for real
    const order: string[] = [];
    while (q.len() > 0) {
      const k = (await q.get())!;
      order.push(k);
      q.done(k);
    }
    expect(order).toEqual(['ns/new', 'ns/old-3', 'ns/old-0', 'ns/old-1', 'ns/old-2', 'ns/old-4']);
  });

  it('a low add of a key waiting at high keeps it high', async () => {
    const q = new WorkQueue();
    q.add('ns/x', 'low');
    q.add('ns/a');
    q.add('ns/a', 'low');
    expect(await q.get()).toBe('ns/a');
  });

  it('addAfter fires on time, earliest request wins, with a fake clock', async () => {
    const clock = new FakeClock();
    const q = new WorkQueue({ clock });
    q.addAfter('ns/a', 1000);
    q.addAfter('ns/a', 5000); // later: ignored
    q.addAfter('ns/b', 300);
    clock.advance(299);
    expect(q.len()).toBe(0);
    clock.advance(1);
    expect(q.len()).toBe(1);
    expect(await q.get()).toBe('ns/b');
    clock.advance(699);
    expect(q.len()).toBe(0);
    clock.advance(1);
    expect(await q.get()).toBe('ns/a');
    clock.advance(10_000);
    expect(q.len()).toBe(0);
    expect(clock.pending()).toBe(0);
  });

  it('backs off per key exponentially from 5 ms, capped at 1000 s, reset by forget', async () => {
    const clock = new FakeClock();
    const { m, hooks } = recordingMetrics();
    const q = new WorkQueue({ clock, metrics: hooks });
    const delays: number[] = [];
    for (let i = 0; i < 5; i++) {
      const before = clock.now();
      q.addRateLimited('ns/a');
      // Find the moment the key becomes ready.
      let waited = 0;
      while (q.len() === 0 && waited < 1000) {
        clock.advance(1);
        waited++;
      }
      delays.push(clock.now() - before);
      q.done((await q.get())!);
    }
    expect(delays).toEqual([5, 10, 20, 40, 80]);
    expect(q.numRequeues('ns/a')).toBe(5);
    expect(m.retries).toBe(5);
    q.forget('ns/a');
    expect(q.numRequeues('ns/a')).toBe(0);
    const b = new ExponentialBackoff();
    let last = 0;
    for (let i = 0; i < 40; i++) last = b.when('k');
    expect(last).toBe(1_000_000);
    expect(b.when('other')).toBe(5);
  });

  it('shutDown wakes waiting getters with undefined, ignores adds, drops parked keys, drains in-flight', async () => {
    const clock = new FakeClock();
    const q = new WorkQueue({ clock });
    q.add('ns/a');
    const a = await q.get();
    const waiting = q.get();
    q.addAfter('ns/b', 100);
    q.shutDown();
    expect(await waiting).toBeUndefined();
    q.add('ns/c');
    expect(q.len()).toBe(0);
    expect(clock.pending()).toBe(0);
    let drained = false;
    void q.drained().then(() => (drained = true));
    await Promise.resolve();
    expect(drained).toBe(false);
    q.done(a!);
    await q.drained();
    expect(await q.get()).toBeUndefined();
  });

  it('inLine: waiting or in hand, in a queue whose workers release keys; not parked (requeueAfter, a failure backing off)', async () => {
    const clock = new FakeClock();
    const q = new WorkQueue({ clock });
    q.add('ns/waiting');
    q.add('ns/held');
    q.addAfter('ns/soon', 1_000);
    q.addAfter('ns/late', 60_000);
    q.addRateLimited('ns/failing');
    expect(q.inLine('ns/waiting', 5_000)).toBe(true);
    expect(q.inLine('ns/soon', 5_000)).toBe(false);
    expect(q.inLine('ns/late', 5_000)).toBe(false);
    expect(q.inLine('ns/failing', 5_000)).toBe(false);
    expect(q.inLine('ns/unknown', 5_000)).toBe(false);
    expect(await q.get()).toBe('ns/waiting');
    expect(await q.get()).toBe('ns/held');
    q.done('ns/waiting');
    expect(q.inLine('ns/held', 5_000)).toBe(true);
    // A worker that holds its key for longer than withinMs is stuck, not in line.
    clock.advance(5_001);
    expect(q.inLine('ns/held', 5_000)).toBe(false);
    // Nothing released for longer than withinMs: the queue does not move, so nothing in it is in line.
    q.add('ns/waiting');
    expect(q.inLine('ns/waiting', 5_000)).toBe(false);
    q.done('ns/held');
    expect(q.inLine('ns/waiting', 5_000)).toBe(true);
  });

  it('get honours an abort signal', async () => {
    const q = new WorkQueue();
    const ac = new AbortController();
    const p = q.get(ac.signal);
    ac.abort();
    expect(await p).toBeUndefined();
    q.add('ns/a');
    expect(await q.get()).toBe('ns/a'); // the aborted getter did not swallow it
  });

  it('reports adds, depth, queue and work durations', async () => {
    const clock = new FakeClock();
    const { m, hooks } = recordingMetrics();
    const q = new WorkQueue({ clock, metrics: hooks });
    q.add('ns/a');
    q.add('ns/b');
    q.add('ns/a');
    expect(m.adds).toBe(2);
    expect(m.depth).toBe(2);
    clock.advance(250);
    const k = (await q.get())!;
    expect(m.queued).toEqual([0.25]);
    clock.advance(1500);
    q.done(k);
    expect(m.worked).toEqual([1.5]);
    expect(m.depth).toBe(1);
  });

  it('a key updated 100 times while its reconcile is slow is processed a few times, never concurrently, ending on the last state', async () => {
    const q = new WorkQueue();
    const state = { version: 0 };
    const seen: number[] = [];
    let active = 0;
    let maxActive = 0;
    let gate: (() => void) | undefined;
    const workers = Array.from({ length: 4 }, async () => {
      for (;;) {
        const key = await q.get();
        if (key === undefined) return;
        active++;
        maxActive = Math.max(maxActive, active);
        seen.push(state.version);
        // A slow reconcile: it only finishes when the test lets it.
        await new Promise<void>((r) => (gate = r));
        active--;
        q.done(key);
      }
    });
    for (let i = 1; i <= 100; i++) {
      state.version = i;
      q.add('ns/slow');
      if (i % 25 === 0 && gate) {
        const g = gate;
        gate = undefined;
        g();
      }
      await Promise.resolve();
    }
    // Let the remaining reconciles finish, one at a time.
    for (let spins = 0; spins < 100 && (q.len() > 0 || q.inFlight() > 0); spins++) {
      const g = gate;
      gate = undefined;
      g?.();
      await new Promise((r) => setImmediate(r));
    }
    q.shutDown();
    gate?.();
    await Promise.all(workers);
    expect(maxActive).toBe(1);
    expect(seen.length).toBeGreaterThanOrEqual(2);
    expect(seen.length).toBeLessThanOrEqual(6);
    expect(seen.at(-1)).toBe(100);
  });
});

describe('ConcurrencyLimiter', () => {
  it('bounds slots and hands them over in order', async () => {
    const l = new ConcurrencyLimiter(2);
    const r1 = await l.acquire();
    const r2 = await l.acquire();
    const order: number[] = [];
    const p3 = l.acquire().then((r) => (order.push(3), r));
    const p4 = l.acquire().then((r) => (order.push(4), r));
    await Promise.resolve();
    expect(order).toEqual([]);
    expect(l.inUse()).toBe(2);
    r1();
    r1(); // double release is harmless
    const r3 = await p3;
    expect(order).toEqual([3]);
    r2();
    const r4 = await p4;
    expect(order).toEqual([3, 4]);
    r3();
    r4();
    expect(l.inUse()).toBe(0);
    expect(() => new ConcurrencyLimiter(0)).toThrow(RangeError);
  });
});
