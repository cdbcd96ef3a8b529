import { describe, expect, it } from 'vitest';
import { percentile } from './stats.ts';
import { formatTable, fmt } from './report.ts';
import { parseOptions, DEFAULTS, SCENARIOS } from './options.ts';
import { Semaphore } from './pool.ts';

describe('percentile (nearest rank)', () => {
  it('picks a sample, never interpolates in our favour', () => {
    const xs = Array.from({ length: 100 }, (_, i) => 100 - i); // 1..100 unsorted
    expect(percentile(xs, 50)).toBe(50);
    expect(percentile(xs, 99)).toBe(99);
    expect(percentile(xs, 100)).toBe(100);
    expect(percentile([7], 99)).toBe(7);
    expect(percentile([], 50)).toBeNaN();
  });
});

describe('report', () => {
  it('formats one aligned table; only judged rows say PASS or MISS', () => {
    const t = formatTable([
      { scenario: 'converge', metric: 'ratio', value: '1.31×', target: '≤ 1.30×', pass: false },
      { scenario: 'memory', metric: 'heap', value: '1.00 KiB', target: '≤ 2 KiB', pass: true },
      { scenario: 'lag', metric: 'p99', value: '3 ms', target: '≤ 50 ms' },
      { scenario: 'throughput', metric: 'creates', value: '900/s' },
    ]);
    const lines = t.split('\n');
    expect(lines).toHaveLength(6);
    expect(new Set(lines.map((l) => l.length)).size).toBe(1);
    expect(lines[2]).toContain('MISS');
    expect(lines[3]).toContain('PASS');
    expect(lines[4]).toContain('n/a');
    expect(fmt(1.299999, 2)).toBe('1.30');
  });
});

describe('options', () => {
  it('defaults are the target sizes of docs/benchmarks.md; flags override; all expands', () => {
    const o = parseOptions([], '/tmp/r');
    expect(o.scenarios).toEqual([...SCENARIOS]);
    expect(o).toMatchObject({
      tuples: 1000,
      numbersPerTuple: 10,
      idleSeconds: 60,
      rate: 100,
      durationSeconds: 30,
      numbers: 100_000,
      objects: 100_000,
    });
    const p = parseOptions(['--scenario', 'converge', '--tuples', '200', '--smoke'], '/tmp/r');
    expect(p.scenarios).toEqual(['converge']);
    expect(p.tuples).toBe(200);
    expect(p.numbers).toBeLessThan(DEFAULTS.numbers);
  });
  it('rejects unknown scenarios and bad sizes', () => {
    expect(() => parseOptions(['--scenario', 'nope'], '/tmp')).toThrow(/unknown scenario "nope"/);
    expect(() => parseOptions(['--tuples', 'x'], '/tmp')).toThrow(/--tuples must be a positive number/);
  });
});

describe('Semaphore', () => {
  it('never lets more than limit run', async () => {
    const sem = new Semaphore(3);
    let running = 0;
    let peak = 0;
    await Promise.all(
      Array.from({ length: 20 }, () =>
        sem.run(async () => {
          peak = Math.max(peak, ++running);
          await new Promise((r) => setImmediate(r));
          running--;
        }),
      ),
    );
    expect(peak).toBe(3);
  });
});

describe('profile-summary', () => {
  it('adds self time per function and per area, idle included', async () => {
    const { summarize } = await import('../profile-summary.ts');
    const frame = (functionName: string, url: string) => ({ functionName, url, lineNumber: 0 });
    const s = summarize({
      nodes: [
        { id: 1, callFrame: frame('(root)', '') },
        { id: 2, callFrame: frame('(idle)', '') },
        {
          id: 3,
          callFrame: frame('reconcileTuple', 'file:///work/main/apps/math/src/controllers/tuple.controller.ts'),
        },
        { id: 4, callFrame: frame('parse', 'file:///work/main/node_modules/yaml/dist/index.js') },
      ],
      startTime: 0,
      endTime: 10_000,
      samples: [2, 3, 3, 4],
      timeDeltas: [1000, 2000, 3000, 4000],
    });
    expect(s.totalMs).toBe(10);
    expect(s.functions[0]).toEqual({
      what: 'reconcileTuple apps/math/src/controllers/tuple.controller.ts:1',
      ms: 5,
      share: 50,
    });
    expect(s.areas.map((a) => a.what)).toEqual(['apps/math', 'yaml', '(idle)']);
  });
});
