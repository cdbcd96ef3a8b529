import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseOptions, SCENARIOS } from './lib/options.ts';
import { runBench } from './run.ts';

/**
 * Every scenario end to end at smoke sizes, against envtest's default control plane: the
 * harness works and the system converges. Correctness only: timings are never asserted.
 */
const dir = mkdtempSync(join(tmpdir(), 'kubeloop-bench-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('npm run bench -- --smoke', () => {
  it('runs the math scenarios, prints the table and writes one result file each', async () => {
    // foo runs in its own test below: each stays within the test timeout on a loaded machine.
    const math = SCENARIOS.filter((s) => s !== 'foo');
    const o = parseOptions(['--smoke', '--results-dir', dir, '--scenario', math.join(',')], dir);
    const run = await runBench(o, 'smoke test');
    expect(run.files.map((f) => f.slice(dir.length + 1)).sort()).toEqual(math.map((s) => `${s}.json`).sort());
    expect(run.table).toContain('| converge');
    // Smoke sizes judge nothing.
    expect(run.table).not.toMatch(/PASS|MISS/);

    const read = (s: string) => JSON.parse(readFileSync(join(dir, `${s}.json`), 'utf8'));
    const converge = read('converge');
    for (const key of [
      'tuples',
      'numbersPerTuple',
      'convergeSeconds',
      'floorSeconds',
      'writes',
      'minimalWrites',
      'steadyStateWrites',
      'requestsByVerb',
      'server',
    ]) {
      expect(converge).toHaveProperty(key);
    }
    expect(converge).toMatchObject({
      tuples: o.tuples,
      numbersPerTuple: o.numbersPerTuple,
      readyTuples: o.tuples,
      readyNumbers: o.tuples * o.numbersPerTuple,
      unresolvedConflicts: 0,
    });
    expect(converge.minimalWrites).toBe(o.tuples * (2 * o.numbersPerTuple + 1));
    // The manager issued at least the minimal set, and the floor exactly it (plus the Tuple input).
    expect(converge.writesByKind.numberCreates).toBe(o.tuples * o.numbersPerTuple);
    expect(converge.writes).toBeGreaterThanOrEqual(converge.minimalWrites);
    expect(converge.floor.writes).toBe(converge.minimalWrites + o.tuples);
    expect(converge.requestsByVerb.create).toBeGreaterThan(0);
    expect(typeof converge.steadyStateWrites).toBe('number');

    const latency = read('latency');
    expect(latency.edits).toBe(o.rate * o.durationSeconds);
    expect(latency.editFailures).toBe(0);
    expect(latency.matched).toBe(latency.edits);

    const memory = read('memory');
    expect(memory.reconciles.number).toBeGreaterThanOrEqual(o.numbers);
    expect(memory.after.heapUsed).toBeGreaterThan(0);

    const lag = read('lag');
    expect(lag.objects).toBe(o.objects);

    const throughput = read('throughput');
    for (const phase of ['creates', 'gets', 'lists', 'watchFanout'])
      expect(throughput[phase].perSecond).toBeGreaterThan(0);

    const fermat = read('fermat');
    for (const key of [
      'number',
      'convergeSeconds',
      'floorSeconds',
      'writes',
      'minimalWrites',
      'peakRssBytes',
      'server',
    ])
      expect(fermat).toHaveProperty(key);
    const tuples = Math.floor(o.number / 2);
    expect(fermat).toMatchObject({ number: o.number, minimalWrites: 6 * tuples + 1 });
    expect(fermat.writesByKind).toMatchObject({ tupleCreates: tuples, numberCreates: 2 * tuples });
    expect(fermat.floor.writes).toBe(fermat.minimalWrites + 1); // + the Fermat create, the input
  });

  it('runs the foo scenario: the sample-controller against its floor, every Foo synced', async () => {
    const o = parseOptions(['--smoke', '--results-dir', dir, '--scenario', 'foo'], dir);
    const run = await runBench(o, 'smoke test');
    expect(run.files.map((f) => f.slice(dir.length + 1))).toEqual(['foo.json']);
    expect(run.table).toContain('| foo');
    expect(run.table).not.toMatch(/PASS|MISS/);
    const foo = JSON.parse(readFileSync(join(dir, 'foo.json'), 'utf8'));
    for (const key of [
      'foos',
      'kubeloopSeconds',
      'floorSeconds',
      'goSeconds',
      'writes',
      'minimalWrites',
      'steadyStateWrites',
      'requestsByVerb',
      'server',
    ])
      expect(foo).toHaveProperty(key);
    expect(foo).toMatchObject({ foos: o.foos, minimalWrites: 2 * o.foos, goSeconds: null });
    expect(foo.writesByKind).toMatchObject({ deploymentCreates: o.foos, fooStatus: o.foos });
    // The floor writes exactly the minimal set, plus the Foo creates (the input).
    expect(foo.floor.writes).toBe(foo.minimalWrites + o.foos);
  });
});
